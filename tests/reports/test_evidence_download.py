"""Evidence files reach desk staff only, as downloads, and every download is audited."""

import pytest
from factories import PNG

from intake.audit.models import AuditEvent
from intake.core.extensions import db
from intake.core.models import Attachment, Report


@pytest.fixture
def attachment_id(app, make_reported_case, make_user):
    make_user("otto", role="operator", desks=())
    make_user("mona")
    make_user("vic", desks=("vehicle-data",))
    make_user("root", role="admin", desks=())
    _case_id, codes = make_reported_case(evidence=True)
    with app.app_context():
        report = db.session.scalars(db.select(Report).where(Report.tracking_code == codes[0])).one()
        return report.attachments[0].id


def _downloads(app) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "evidence.download")))


@pytest.mark.parametrize("who", ["mona", "root"])
def test_desk_staff_download_as_attachment_and_it_is_audited(app, client_as, attachment_id,
                                                             who):
    response = client_as(who).get(f"/staff/evidence/{attachment_id}")
    assert response.status_code == 200
    assert response.data == PNG
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "screenshot.png" in response.headers["Content-Disposition"]
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    [event] = _downloads(app)
    assert (event.actor_name, event.target_type, event.target_id) == (
        who, "attachment", str(attachment_id))


@pytest.mark.parametrize("who, status", [(None, 303), ("otto", 403), ("vic", 403)])
def test_others_get_nothing(app, client_as, attachment_id, who, status):
    response = client_as(who).get(f"/staff/evidence/{attachment_id}")
    assert response.status_code == status
    assert PNG not in response.data
    assert _downloads(app) == []


def test_public_paths_do_not_serve_evidence(app, client_as, attachment_id):
    with app.app_context():
        stored = db.session.get(Attachment, attachment_id).stored_name
    client = client_as(None)
    for path in (f"/static/{stored}", f"/uploads/{stored}", f"/evidence/{attachment_id}"):
        response = client.get(path)
        assert response.status_code == 404 and PNG not in response.data


@pytest.mark.parametrize("path", ["/staff/evidence/999999", "/staff/evidence/abc",
                                  "/staff/evidence/99999999999999999999999"])
def test_unknown_evidence_is_404(client_as, attachment_id, path):
    assert client_as("root").get(path).status_code == 404


def test_missing_file_is_404_and_not_audited(app, client_as, attachment_id):
    with app.app_context():
        db.session.get(Attachment, attachment_id).stored_name = "gone"
        db.session.commit()
    assert client_as("root").get(f"/staff/evidence/{attachment_id}").status_code == 404
    assert _downloads(app) == []
