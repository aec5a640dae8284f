"""A view that fails after an operation flushed stores nothing of it (one request, one commit).

Each test mounts a throwaway route that runs a real operation and then fails, as a view
would on a bug after the service returned; the request ends in an error and the database
holds neither the change nor its audit event.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from factories import PNG

from intake.audit.models import AuditEvent
from intake.cases import claims, decisions, sla
from intake.clustering import merge as case_merge
from intake.core.extensions import db
from intake.core.models import Case, Decision, Report, utcnow
from intake.hotline import calls
from intake.notifications import delivery as mail_delivery
from intake.notifications import messages as notifications
from intake.notifications.models import OutboxMessage
from intake.reports.evidence import Upload
from intake.reports.operations import ReportInput, submit_report
from intake.triage import registry as model_registry
from intake.users import accounts as users
from intake.users import signin

PASSWORD = "correct horse battery"


def _fails_after(app, operation) -> None:
    """Run operation inside a request whose view then raises; the request must fail."""

    def view():
        operation()
        raise RuntimeError("the view failed after the operation")

    app.add_url_rule("/test-fails-after", "fails_after", view, methods=["POST"])
    response = app.test_client().post("/test-fails-after", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    assert "was not saved" in response.get_data(as_text=True)  # the page says so, truly


def _audit_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))


def _report(app, code: str) -> Report:
    return db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()


def test_users_create(app):
    _fails_after(app, lambda: users.create_user("zed", PASSWORD, "admin", actor="cli:t"))
    with app.app_context():
        assert users.find_user("zed") is None
    assert _audit_count(app) == 0


def test_users_role_change(app, make_user):
    make_user("mona")
    before = _audit_count(app)
    _fails_after(app, lambda: users.set_role(users.find_user("mona"), "admin", actor="cli:t"))
    with app.app_context():
        assert users.find_user("mona").role == "moderator"
    assert _audit_count(app) == before


def test_signin_failure_record(app):
    _fails_after(app, lambda: signin.authenticate("nobody", "wrong password"))
    assert _audit_count(app) == 0


def test_model_registry_audit(app):
    _fails_after(app, lambda: model_registry.record_rescore("open", 3, None, actor="cli:t"))
    assert _audit_count(app) == 0


def test_notifications_stop_mail(app, make_report):
    code = make_report(contact_email="reporter@example.org", contact_consent=True)
    before = _audit_count(app)
    with app.app_context():
        report = _report(app, code)
    _fails_after(app, lambda: notifications.stop_mail(db.session.merge(report)))
    with app.app_context():
        assert _report(app, code).contact_email == "reporter@example.org"
    assert _audit_count(app) == before


def test_hotline_purge_contact(app, make_report):
    code = make_report(contact_email="reporter@example.org", contact_consent=True)
    before = _audit_count(app)
    _fails_after(app, lambda: calls.purge_contact(timedelta(0), "cli:t"))
    with app.app_context():
        assert _report(app, code).contact_email == "reporter@example.org"
    assert _audit_count(app) == before


def test_clustering_merge(app, make_case):
    target, source = make_case(), make_case()
    before = _audit_count(app)
    _fails_after(app, lambda: case_merge.merge_cases(
        db.session.get(Case, target), db.session.get(Case, source), "cli:t"))
    with app.app_context():
        assert db.session.get(Case, source).status == "open"
        assert db.session.get(Case, source).merged_into_id is None
    assert _audit_count(app) == before


def test_sla_expire_claims(app, make_case, make_user):
    make_user("mona")
    with app.app_context():
        mona_id = users.find_user("mona").id
    stale = make_case(claimed_by_id=mona_id, claimed_until=utcnow() - timedelta(minutes=1),
                      status="under_review")
    before = _audit_count(app)
    _fails_after(app, lambda: sla.expire_claims(actor="cli:t"))
    with app.app_context():
        assert db.session.get(Case, stale).claimed_by_id == mona_id
    assert _audit_count(app) == before


def test_sla_reprioritise_batch(app, make_case):
    case_id = make_case(age_hours=24 * 5)
    _fails_after(app, lambda: list(sla.reprioritise_batches(actor="cli:t")))
    with app.app_context():
        assert db.session.get(Case, case_id).priority == 50
    assert _audit_count(app) == 0


def _outbox_message(app, make_report, status: str) -> int:
    code = make_report(contact_email="reporter@example.org", contact_consent=True)
    with app.app_context():
        message = OutboxMessage(kind="receipt", report_id=_report(app, code).id,
                                recipient="reporter@example.org", language="en", subject="s",
                                body_text="t", body_html="<p>t</p>", status=status)
        db.session.add(message)
        db.session.commit()
        return message.id


def test_delivery_lease(app, make_report):
    message_id = _outbox_message(app, make_report, "pending")
    _fails_after(app, lambda: mail_delivery.lease(message_id))
    with app.app_context():
        assert db.session.get_one(OutboxMessage, message_id).attempts == 0


def test_delivery_retry(app, make_report):
    message_id = _outbox_message(app, make_report, "dead")
    before = _audit_count(app)
    _fails_after(app, lambda: mail_delivery.retry([message_id], actor="cli:t"))
    with app.app_context():
        assert db.session.get_one(OutboxMessage, message_id).status == "dead"
    assert _audit_count(app) == before


@pytest.mark.parametrize("operation", ["claim", "release"])
def test_claims(app, make_case, make_user, operation):
    make_user("mona")
    case_id, held = make_case(), make_case()
    with app.app_context():
        assert claims.claim(held, users.find_user("mona")).ok
        db.session.commit()
    before = _audit_count(app)
    if operation == "claim":
        _fails_after(app, lambda: claims.claim(case_id, users.find_user("mona")))
    else:
        _fails_after(app, lambda: claims.release(held, users.find_user("mona")))
    with app.app_context():
        assert db.session.get(Case, case_id).claimed_by_id is None
        assert db.session.get(Case, held).status == "under_review"
    assert _audit_count(app) == before


@pytest.mark.parametrize("operation", ["decide", "reopen"])
def test_decisions(app, make_case, make_user, operation):
    make_user("root", role="admin")
    case_id = make_case(status="resolved" if operation == "reopen" else "open")
    before = _audit_count(app)

    def run():
        case, root = db.session.get(Case, case_id), users.find_user("root")
        if operation == "decide":
            decisions.decide(case, root, "false", None, "Old video.")
        else:
            decisions.reopen(case, root)

    _fails_after(app, run)
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.status == ("resolved" if operation == "reopen" else "open")
        assert db.session.scalar(db.select(db.func.count()).select_from(Decision)) == 0
    assert _audit_count(app) == before


@pytest.mark.parametrize("failure", ["view raises", "commit fails"])
def test_intake_submit_report(app, failure):
    # Evidence files are written before the rows: they must go with the rows, however the
    # view's transaction ends without a commit.
    folder = Path(app.config["UPLOAD_DIR"])
    data = ReportInput(claim="A video says a parked EV caught fire by itself in Wuhan.",
                       uploads=[Upload("a.png", "image/png", PNG)])

    def run():
        report, _ = submit_report(data, channel="web", upload_dir=str(folder))
        assert len(list(folder.iterdir())) == 1  # written, not committed yet
        if failure == "commit fails":
            report.claim = None  # NOT NULL: the commit's flush is refused
            db.session.commit()

    _fails_after(app, run)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Report)) == 0
    assert list(folder.iterdir()) == []
