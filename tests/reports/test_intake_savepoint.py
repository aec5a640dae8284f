"""submit_report only flushes: a retry inside it keeps the caller's transaction and locks.

The tracking-code retry rolls back to a SAVEPOINT taken after the case locks, so the caller's
earlier writes, the locked case and the openings lock all survive it; a lost idempotency
race still ends in the replay of the first report, with the loser's evidence files gone.
"""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from intake.clustering.operations import OPENING_LOCK
from intake.core.extensions import db
from intake.core.models import Case, CaseTerm, IdempotencyKey, Report
from intake.reports import operations as reports
from intake.reports.evidence import Upload
from intake.reports.operations import ReportInput, submit_report
from intake.reports.tracking import new_code
from intake.users import accounts as users

URL = "https://weibo.com/7712/GarageFire"
GARAGE = "A video says a parked EV caught fire by itself in a Wuhan underground garage."
OTHER = "Robotaxis were banned from every street in Wuhan today, says a forwarded post."
PASSWORD = "correct horse battery"


def _submit(app, claim: str, key: str, idempotency: tuple[str, str] | None = None,
            **fields) -> tuple[Report, bool]:
    data = ReportInput(claim=claim, urls=[URL] if claim == GARAGE else [], reporter_key=key,
                       **fields)
    return submit_report(data, channel="api", upload_dir=app.config["UPLOAD_DIR"],
                         idempotency=idempotency)


def _locked_elsewhere(case_id: int | None) -> bool:
    """Can another connection not take what this transaction holds (case row or openings)?"""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":  # one write lock for everything
        other = create_engine(url, connect_args={"timeout": 0, "isolation_level": None})
        try:
            with other.connect() as conn:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                conn.exec_driver_sql("ROLLBACK")
            return False
        except OperationalError:
            return True
        finally:
            other.dispose()
    other = create_engine(url)
    try:
        with other.connect() as conn:
            if case_id is None:
                return not conn.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"),
                                       {"k": OPENING_LOCK})
            try:
                conn.execute(text("SELECT id FROM cases WHERE id = :id FOR UPDATE NOWAIT"),
                             {"id": case_id})
            except OperationalError:
                return True
            return False
    finally:
        other.dispose()


@pytest.mark.commits  # other connections probe the locks: the test's own must start unlocked
@pytest.mark.parametrize("joins", [True, False], ids=["joins-a-case", "opens-a-case"])
def test_a_code_collision_keeps_the_transaction_and_its_locks(app, monkeypatch, joins):
    with app.app_context():
        first, _ = _submit(app, GARAGE, "a")
        db.session.commit()
        first_code, first_case = first.tracking_code, first.case_id
        terms_before = sorted(db.session.scalars(db.select(CaseTerm.term)))
        codes = iter([first_code])  # the first code drawn is taken: the insert collides
        monkeypatch.setattr(reports, "new_code", lambda: next(codes, None) or new_code())
        users.create_user("zed", PASSWORD, "admin", actor="cli:t")  # the caller's own write
        second, created = _submit(app, GARAGE if joins else OTHER, "b")
        assert created and second.tracking_code != first_code
        assert next(codes, None) is None  # the colliding code was really tried
        # Before the commit: the retry did not give up what the transaction holds.
        assert _locked_elsewhere(first_case if joins else None)
        db.session.commit()
        second_code = second.tracking_code
    with app.app_context():
        assert not _locked_elsewhere(first_case if joins else None)
        assert users.find_user("zed") is not None  # the caller's write was not rolled back
        stored = db.session.scalars(db.select(Report).order_by(Report.id)).all()
        assert [r.tracking_code for r in stored] == [first_code, second_code]
        cases = db.session.scalars(db.select(Case).order_by(Case.id)).all()
        terms = db.session.execute(db.select(CaseTerm.case_id, CaseTerm.term)).all()
        if joins:
            assert [(c.id, c.report_count, c.reporter_count) for c in cases] == [
                (first_case, 2, 2)]
            assert sorted(term for _, term in terms) == terms_before  # no index rows twice
        else:
            assert [c.report_count for c in cases] == [1, 1]  # the failed case insert is gone
            assert {case_id for case_id, _ in terms} == {c.id for c in cases}
            assert stored[1].case_id == cases[1].id


def test_a_replay_returns_the_first_report(app):
    with app.app_context():
        first, created = _submit(app, GARAGE, "a", idempotency=("k-1", "h"))
        db.session.commit()
        again, again_created = _submit(app, GARAGE, "a", idempotency=("k-1", "h"))
        assert (created, again_created) == (True, False)
        assert again.id == first.id
        assert db.session.scalar(db.select(db.func.count()).select_from(Report)) == 1


def test_a_lost_idempotency_race_replays_the_winner_and_drops_its_files(
        app, monkeypatch, sample, stored):
    with app.app_context():
        first, _ = _submit(app, GARAGE, "a", idempotency=("race", "h"))
        db.session.commit()
        before = stored(app)
        # The loser looked before the winner committed: its first look finds no key.
        real_replay, looks = reports._replay, []
        monkeypatch.setattr(reports, "_replay", lambda key, digest: None if not looks.append(
            key) and len(looks) == 1 else real_replay(key, digest))
        upload = Upload("a.png", "image/png", sample("png"))
        again, created = _submit(app, OTHER, "b", idempotency=("race", "h"), uploads=[upload])
        assert (again.id, created) == (first.id, False)
        assert len(looks) == 2  # the second look, after the insert failed, replayed
        users.create_user("zed", PASSWORD, "admin", actor="cli:t")
        db.session.commit()  # the caller's transaction survived the failed insert
        assert users.find_user("zed") is not None
        assert db.session.scalar(db.select(db.func.count()).select_from(IdempotencyKey)) == 1
    assert stored(app) == before  # no second report, case, attachment or file
