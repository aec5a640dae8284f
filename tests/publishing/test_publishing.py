"""Publish and withdraw debunks from the case page: who may, what is refused, the audit trail."""

import pytest

from intake.appeals import operations as appeals
from intake.audit.models import AuditEvent
from intake.core.extensions import db
from intake.core.models import Case
from intake.publishing.models import Debunk
from intake.users import accounts as users
from intake.users.models import User

from .conftest import EN, case_of


def _events(case_id: int, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.target_type == "case", AuditEvent.target_id == str(case_id),
        AuditEvent.action == action).order_by(AuditEvent.id)))


def _debunk(case_id: int) -> Debunk | None:
    return db.session.scalar(db.select(Debunk).where(Debunk.case_id == case_id))


DECIDE = {"outcome": "false", "final_topic": "battery-safety",
          "public_note": "The video was filmed in 2021 in another city."}
PUBLISH = {"debunk-publish": "y",
           "debunk-claim_reviewed": "A parked EV caught fire by itself in a Wuhan garage.",
           "debunk-sources": "https://example.org/fire-brigade-statement\n"
                             "http://news.example.com/2021/garage-fire"}


def test_publish_with_the_decision(app, client_as, claimed_case, mona):
    case_id, _code = claimed_case()
    client = client_as(mona)
    response = client.post(f"/staff/cases/{case_id}/decide", data={**DECIDE, **PUBLISH})
    assert response.status_code == 303
    page = client.get(f"/staff/cases/{case_id}").get_data(as_text=True)
    with app.app_context():
        debunk = _debunk(case_id)
        assert debunk.is_live and debunk.verdict == "false" and debunk.topic == "battery-safety"
        # Left empty, the explanation is the decision's public note.
        assert debunk.explanation == DECIDE["public_note"]
        assert debunk.source_list() == PUBLISH["debunk-sources"].splitlines()
        assert debunk.slug == "a-parked-ev-caught-fire-by-itself-in-a-wuhan-garage"
        [event] = _events(case_id, "debunk.publish")
        assert event.actor_name == mona and event.before is None
        assert event.after["debunk_id"] == debunk.id and event.after["verdict"] == "false"
        assert f"/debunks/{debunk.id}-{debunk.slug}" in page
    assert 'id="debunk-public-link"' in page


def test_publish_later_from_the_case_page_then_withdraw_and_publish_again(
        app, client_as, decided_case, mona):
    case_id, _code = decided_case()
    client = client_as(mona)
    assert 'id="publish-form"' in client.get(f"/staff/cases/{case_id}").get_data(as_text=True)
    response = client.post(f"/staff/cases/{case_id}/publish", data={
        "debunk-claim_reviewed": "网传武汉一辆停放的电动车自燃。",
        "debunk-explanation": "消防部门确认视频拍摄于2021年。"})
    assert response.status_code == 303
    with app.app_context():
        debunk = _debunk(case_id)
        first, slug = debunk.published_at, debunk.slug
        assert slug == "battery-safety"  # Chinese has no ASCII slug: the desk's key
    url = f"/debunks/{debunk.id}-{slug}"
    assert client_as().get(url).status_code == 200

    response = client.post(f"/staff/cases/{case_id}/unpublish", data={
        "unpublish-reason": "The fire brigade corrected its statement."})
    assert response.status_code == 303
    assert client_as().get(url).status_code == 410
    with app.app_context():
        [event] = _events(case_id, "debunk.unpublish")
        assert event.actor_name == mona
        assert event.before["unpublished_at"] is None and event.after["unpublished_at"]
        assert event.after["reason"] == "The fire brigade corrected its statement."

    assert client.post(f"/staff/cases/{case_id}/publish", data={
        "debunk-claim_reviewed": "网传武汉一辆停放的电动车自燃。"}).status_code == 303
    assert client_as().get(url).status_code == 200
    with app.app_context():
        assert len(_events(case_id, "debunk.publish")) == 2
        debunk = _debunk(case_id)
        assert debunk.published_at >= first and debunk.unpublished_at is None
        # Republished without an explanation: the decision's public note again.
        assert debunk.explanation == "The video is from 2021."


def test_unpublish_needs_a_reason_and_a_published_debunk(client_as, decided_case, mona):
    case_id, _code = decided_case()
    client = client_as(mona)
    response = client.post(f"/staff/cases/{case_id}/unpublish",
                           data={"unpublish-reason": "whatever"})
    assert response.status_code == 409
    assert "has no published debunk" in response.get_data(as_text=True)
    client.post(f"/staff/cases/{case_id}/publish", data={"debunk-claim_reviewed": "A claim."})
    response = client.post(f"/staff/cases/{case_id}/unpublish", data={"unpublish-reason": ""})
    assert response.status_code == 400
    assert "Say why the debunk is withdrawn." in response.get_data(as_text=True)


@pytest.mark.parametrize("fields, message", [
    ({"debunk-claim_reviewed": "   "}, "Write the claim reviewed"),
    ({"debunk-claim_reviewed": "x" * 501}, "at most 500 characters"),
    ({"debunk-explanation": "y" * 4001}, "at most 4000 characters"),
    ({"debunk-sources": "ftp://example.org/file"}, "ftp://example.org/file"),
    ({"debunk-sources": "javascript:alert(1)"}, "not a web address"),
    ({"debunk-sources": "\n".join(f"https://example.org/{i}" for i in range(11))},
     "at most 10 sources"),
])
def test_bad_input_is_refused_with_a_message(app, client_as, decided_case, mona,
                                             fields, message):
    case_id, _code = decided_case()
    data = {"debunk-claim_reviewed": "A parked EV caught fire.", **fields}
    response = client_as(mona).post(f"/staff/cases/{case_id}/publish", data=data)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body and 'id="debunk-errors"' in body
    with app.app_context():
        assert _debunk(case_id) is None and _events(case_id, "debunk.publish") == []


def test_a_quoted_source_is_escaped(client_as, decided_case, mona):
    case_id, _code = decided_case()
    response = client_as(mona).post(f"/staff/cases/{case_id}/publish", data={
        "debunk-claim_reviewed": "A claim.", "debunk-sources": "<b>bold</b>"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "<b>bold</b>" not in body and "&lt;b&gt;bold&lt;/b&gt;" in body


@pytest.mark.parametrize("outcome", ["spam", "unverifiable"])
def test_spam_and_unverifiable_cases_are_not_published(app, client_as, decided_case, mona,
                                                       outcome):
    case_id, _code = decided_case(outcome)
    client = client_as(mona)
    page = client.get(f"/staff/cases/{case_id}").get_data(as_text=True)
    assert 'id="debunk-refusal"' in page and 'id="publish-form"' not in page
    response = client.post(f"/staff/cases/{case_id}/publish",
                           data={"debunk-claim_reviewed": "A claim."})
    assert response.status_code == 409
    assert "Only false, misleading or accurate findings are published" in (
        response.get_data(as_text=True))
    with app.app_context():
        assert _debunk(case_id) is None


def test_an_undecided_case_is_not_published(app, client_as, claimed_case, mona):
    case_id, _code = claimed_case()
    response = client_as(mona).post(f"/staff/cases/{case_id}/publish",
                                    data={"debunk-claim_reviewed": "A claim."})
    assert response.status_code == 409
    assert f"Case {case_id} is not decided" in response.get_data(as_text=True)
    with app.app_context():
        assert _debunk(case_id) is None


def test_publishing_with_a_spam_decision_refuses_both(app, client_as, claimed_case, mona):
    case_id, _code = claimed_case()
    response = client_as(mona).post(f"/staff/cases/{case_id}/decide",
                                    data={**DECIDE, **PUBLISH, "outcome": "spam"})
    assert response.status_code == 400
    assert "Only false, misleading or accurate" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Case, case_id).status != "resolved"  # nothing was decided
        assert _debunk(case_id) is None


def test_publishing_with_the_decision_checks_the_fields_first(app, client_as, claimed_case,
                                                              mona):
    case_id, _code = claimed_case()
    response = client_as(mona).post(f"/staff/cases/{case_id}/decide", data={
        **DECIDE, **PUBLISH, "debunk-sources": "not a link"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'id="decision-errors"' in body and "not a link" in body
    with app.app_context():
        assert db.session.get(Case, case_id).status != "resolved"


def test_unticked_publish_decides_without_a_debunk(app, client_as, claimed_case, mona):
    case_id, _code = claimed_case()
    response = client_as(mona).post(f"/staff/cases/{case_id}/decide", data={
        **DECIDE, "debunk-claim_reviewed": "typed but not ticked"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Case, case_id).status == "resolved"
        assert _debunk(case_id) is None


def test_unknown_case_and_outsiders(app, client_as, decided_case, mona):
    case_id, code = decided_case()
    client = client_as(mona)
    assert client.post("/staff/cases/999999/publish",
                       data={"debunk-claim_reviewed": "A claim."}).status_code == 404
    assert client.post("/staff/cases/99999999999/publish").status_code == 404
    from intake.users import accounts as users

    with app.app_context():
        users.create_user("otto", "correct horse battery", "operator", [], actor="cli:test")
        db.session.commit()
        users.create_user("vera", "correct horse battery", "moderator", ["vehicle-data"],
                          actor="cli:test")
        db.session.commit()
    data = {"debunk-claim_reviewed": "A claim."}
    assert client_as("otto").post(f"/staff/cases/{case_id}/publish", data=data
                                  ).status_code == 403
    assert client_as("vera").post(f"/staff/cases/{case_id}/publish", data=data
                                  ).status_code == 403
    anonymous = client_as().post(f"/staff/cases/{case_id}/publish", data=data)
    assert anonymous.status_code == 303 and "/staff/login" in anonymous.location
    with app.app_context():
        assert _debunk(case_id) is None
        assert case_of(code).id == case_id


def test_reopening_withdraws_the_debunk(app, client_as, decided_case, mona):
    case_id, _code = decided_case()
    client = client_as(mona)
    client.post(f"/staff/cases/{case_id}/publish", data={"debunk-claim_reviewed": "A claim."})
    response = client.post(f"/staff/cases/{case_id}/reopen",
                           data={"reason": "New footage arrived.", "confirm": "y"})
    assert response.status_code == 303
    with app.app_context():
        debunk = _debunk(case_id)
        assert not debunk.is_live
        [event] = _events(case_id, "debunk.unpublish")
        assert event.after["reason"] == "case reopened"
    assert client_as().get(f"/debunks/{debunk.id}-{debunk.slug}").status_code == 410


def test_a_decision_reversed_on_appeal_withdraws_the_debunk(app, client_as, published, mona):
    debunk_id = published()
    with app.test_request_context(headers=EN):
        debunk = db.session.get(Debunk, debunk_id)
        case, report = debunk.case_id, db.session.get(Case, debunk.case_id).reports[0]
        appeals.file_appeal(report, "The fire brigade said the car was electric.")
        users.create_user("nils", "correct horse battery", "admin", [], actor="cli:test")
        db.session.commit()
        nils = db.session.scalars(db.select(User).where(User.username == "nils")).one()
        appeals.decide_appeal(db.session.get(Case, case), nils, "reversed", "accurate",
                              "The fire brigade confirmed the car was electric.")
        db.session.commit()
        assert not db.session.get(Debunk, debunk_id).is_live
        [event] = _events(case, "debunk.unpublish")
        assert event.after["reason"] == "decision reversed on appeal"
        slug = db.session.get(Debunk, debunk_id).slug
    assert client_as().get(f"/debunks/{debunk_id}-{slug}").status_code == 410
