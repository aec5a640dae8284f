"""New reports are stored with one ORM flush, in a fixed number of statements."""

import pytest
from sql_log import recorded
from sqlalchemy import inspect

from intake.core.extensions import db
from intake.core.models import Case, Report, ReportUrl
from intake.reports import operations as reports
from intake.reports.operations import ReportInput, submit_report
from intake.reports.tracking import new_code

URL = "https://news.example.com/a/2026/ev-fire?utm_source=x"
# Statements one report sends: as the Core-INSERT path sent them before the plain ORM, less
# one link query (clustering and claim matching share it since).
OPENING_STATEMENTS, JOINING_STATEMENTS = 7, 10
SAVEPOINT = 2  # SAVEPOINT and RELEASE around the insert: a code collision keeps the transaction


def _submit(app, **overrides) -> Report:
    fields = {"claim": "A video says a parked EV caught fire by itself in Wuhan.",
              "explanation": "The same video circulated in 2021.", "urls": [URL]}
    fields.update(overrides)
    report, created = submit_report(ReportInput(**fields), channel="api",
                                    upload_dir=app.config["UPLOAD_DIR"])
    db.session.commit()  # the service flushes; the caller owns the transaction
    assert created
    return report


def test_stored_objects_are_persistent_and_match_their_rows(app):
    with app.app_context():
        report = _submit(app)
        state = inspect(report)
        assert state.persistent and not state.expired_attributes
        assert report.id and report.case_id == report.case.id
        assert [u.report_id for u in report.urls] == [report.id]
        # Column defaults are applied to the object, as a flush would refresh them.
        assert report.urgent is False and report.scoring_status in ("scored", "unscored")
        row = db.session.execute(
            db.select(Report.__table__).where(Report.id == report.id)).mappings().one()
        assert row["tracking_code"] == report.tracking_code
        assert row["case_id"] == report.case.id
        assert row["scoring_status"] == report.scoring_status
        assert row["urgent"] is False
        assert db.session.get(Report, report.id) is report  # the identity map has it


def test_tracking_code_collision_is_retried_without_leftovers(app, monkeypatch):
    with app.app_context():
        first = _submit(app)
        codes = iter([first.tracking_code])
        monkeypatch.setattr(reports, "new_code", lambda: next(codes, None) or new_code())
        second = _submit(app, claim="Another claim about robotaxis banned in Wuhan today.",
                         urls=[])
        assert second.tracking_code != first.tracking_code
        stored = db.session.scalars(db.select(Report).order_by(Report.id)).all()
        assert [r.tracking_code for r in stored] == [first.tracking_code, second.tracking_code]
        # The failed attempt's case insert was rolled back: one case per report.
        case_ids = db.session.scalars(db.select(Case.id)).all()
        assert sorted(case_ids) == sorted({first.case_id, second.case_id})


@pytest.mark.parametrize("clustering", [True, False])
def test_a_report_joining_a_stored_case_adds_no_case(app, clustering):
    app.config["CLUSTER_ENABLED"] = clustering
    with app.app_context():
        first = _submit(app)
        second = _submit(app)  # same link: clustering puts it into the first case
        cases = db.session.scalar(db.select(db.func.count()).select_from(Case))
        assert cases == (1 if clustering else 2)
        assert (second.case_id == first.case_id) is clustering
        assert db.session.scalar(
            db.select(db.func.count()).select_from(ReportUrl)) == 2
        if clustering:
            case = db.session.get(Case, first.case_id)
            assert case.report_count == 2


def _count_statements(app, send) -> list[str]:
    with recorded(db.engine) as statements:
        send()
    return statements


# It counts every statement: the test transaction's savepoints would add to it.
@pytest.mark.commits
def test_a_report_costs_a_fixed_number_of_statements(app):
    # The write path's speed guard: plain ORM flushes must not add statements per report
    # (a lazy load, a flush per object, a lookup run twice). Opening and joining a case.
    with app.app_context():
        _submit(app)  # warm: the first report opens the case
        opening = _count_statements(app, lambda: _submit(
            app, claim="Robotaxis were banned in Wuhan today, says a post.", urls=[]))
        joining = _count_statements(app, lambda: _submit(app))
        locks = db.engine.dialect.name == "postgresql"  # the advisory opening lock
        assert len(opening) <= OPENING_STATEMENTS + SAVEPOINT + locks, opening
        assert len(joining) <= JOINING_STATEMENTS + SAVEPOINT, joining
        assert sum(s.startswith(("SAVEPOINT", "RELEASE")) for s in joining) == SAVEPOINT
