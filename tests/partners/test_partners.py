"""Trusted partners: keys issued once and stored hashed, bearer auth, trust, own reports."""

import hashlib
import re

import pytest
from sqlalchemy import text

from intake.audit.models import AuditEvent
from intake.core.extensions import db, limiter
from intake.core.models import Case, Report
from intake.partners.models import Partner

KEY = re.compile(r"^rdp_[A-Za-z0-9_-]{43}$")
CLAIMS = ["A clip says a robotaxi in Wuhan ran a red light with a child inside it.",
          "A post says an EV battery exploded in a Shenzhen car park last night.",
          "A video claims the new sedan's brakes fail above 120 km/h on highways.",
          "Screenshots say an over-the-air update bricked thousands of cars in Hefei."]


def _create(app, name: str) -> str:
    result = app.test_cli_runner().invoke(args=["partners", "create", name])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def _bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}", "Accept-Language": "en"}


def _audit(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


def _report(code: str) -> Report:
    return db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()


def test_create_prints_the_key_once_and_stores_only_its_hash(app):
    result = app.test_cli_runner().invoke(args=["partners", "create", "Acme News"])

    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert KEY.match(key) and result.output.count(key) == 1
    with app.app_context():
        row = db.session.execute(text("SELECT * FROM partners")).one()
        assert key not in " ".join(str(value) for value in row)  # grep the stored row
        assert key[4:] not in " ".join(str(value) for value in row)
        partner = db.session.scalars(db.select(Partner)).one()
        assert partner.key_hash == hashlib.sha256(key.encode()).hexdigest()
        assert key.startswith(partner.key_prefix) and len(partner.key_prefix) < 12
    [event] = _audit(app, "partner.create")
    assert event.actor_name.startswith("cli:") and key not in str(event.after)


@pytest.mark.parametrize(("name", "message"), [
    ("Acme", "exists already"), ("x" * 65, "1 to 64"), ("   ", "1 to 64")])
def test_bad_names_are_clear_errors(app, name, message):
    _create(app, "Acme")
    result = app.test_cli_runner().invoke(args=["partners", "create", name])

    assert result.exit_code == 1 and message in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Partner)) == 1


def test_a_partner_report_carries_the_partner_and_trust(scoring_app, api_body):
    key = _create(scoring_app, "Acme")
    client = scoring_app.test_client()

    sent = client.post("/api/v1/reports", json=api_body(claim=CLAIMS[0]), headers=_bearer(key))
    public = client.post("/api/v1/reports", json=api_body(claim=CLAIMS[1], url=None))

    assert sent.status_code == public.status_code == 201
    with scoring_app.app_context():
        partner = db.session.scalars(db.select(Partner)).one()
        report = _report(sent.get_json()["tracking_code"])
        assert report.partner_id == partner.id and report.reporter_key is None
        assert report.case.priority_components["trust"] == scoring_app.config["PARTNER_TRUST"]
        assert report.case.priority == pytest.approx(
            min(100, sum(report.case.priority_components.values())), abs=0.1)
        anonymous = _report(public.get_json()["tracking_code"])
        assert anonymous.partner_id is None and anonymous.case_id != report.case_id
        assert "trust" not in anonymous.case.priority_components
        assert partner.last_used_at is not None
    listing = scoring_app.test_cli_runner().invoke(args=["partners", "list"]).output
    row = next(line for line in listing.splitlines() if line.startswith("Acme"))
    assert row.split()[-2:] == ["1", "active"] and "never" not in row


def test_a_partner_lists_only_its_own_reports_paged(app, api_body):
    keys = {name: _create(app, name) for name in ("Acme", "Bolt")}
    client = app.test_client()
    mine = [client.post("/api/v1/reports", json=api_body(claim=claim, url=None),
                        headers=_bearer(keys["Acme"])).get_json()["tracking_code"]
            for claim in CLAIMS[:3]]
    theirs = client.post("/api/v1/reports", json=api_body(claim=CLAIMS[3]),
                         headers=_bearer(keys["Bolt"])).get_json()["tracking_code"]
    client.post("/api/v1/reports", json=api_body(claim=CLAIMS[3] + " Again."))

    first = client.get("/api/v1/partner/reports?per_page=2", headers=_bearer(keys["Acme"]))
    assert first.status_code == 200
    page = first.get_json()
    assert page["total"] == 3 and page["page"] == 1 and page["next"]
    assert [r["tracking_code"] for r in page["reports"]] == mine[::-1][:2]  # newest first
    assert {r["status"] for r in page["reports"]} == {"received"}
    assert page["reports"][0] == client.get(f"/api/v1/reports/{mine[2]}").get_json()
    second = client.get(page["next"], headers=_bearer(keys["Acme"])).get_json()
    assert [r["tracking_code"] for r in second["reports"]] == [mine[0]]
    assert second["next"] is None

    other = client.get("/api/v1/partner/reports", headers=_bearer(keys["Bolt"])).get_json()
    assert [r["tracking_code"] for r in other["reports"]] == [theirs] and other["total"] == 1
    anonymous = client.get("/api/v1/partner/reports")
    assert anonymous.status_code == 401 and anonymous.get_json()["error"]
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    for bad in ("per_page=101", "per_page=0", "page=0", "page=x"):
        response = client.get(f"/api/v1/partner/reports?{bad}", headers=_bearer(keys["Acme"]))
        assert response.status_code == 400 and response.get_json()["error"], bad


def test_a_revoked_key_gets_401_with_a_message(app, api_body, stored):
    key = _create(app, "Acme")
    client = app.test_client()
    assert client.post("/api/v1/reports", json=api_body(), headers=_bearer(key)).status_code == 201

    result = app.test_cli_runner().invoke(args=["partners", "revoke", "Acme"])
    assert result.exit_code == 0, result.output
    refused = client.post("/api/v1/reports", json=api_body(claim=CLAIMS[2]), headers=_bearer(key))
    listing = client.get("/api/v1/partner/reports", headers=_bearer(key))

    assert refused.status_code == listing.status_code == 401
    assert "revoked" in refused.get_json()["error"]
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert stored(app)["reports"] == 1
    again = app.test_cli_runner().invoke(args=["partners", "revoke", "Acme"])
    assert again.exit_code == 1 and "revoked" in again.output
    assert len(_audit(app, "partner.revoke")) == 1
    failed = _audit(app, "partner.auth_failed")
    assert [e.after["reason"] for e in failed] == ["revoked", "revoked"]
    assert all(e.target_id is not None and e.ip for e in failed)
    listed = app.test_cli_runner().invoke(args=["partners", "list"]).output
    assert re.search(r"^Acme .* 1  revoked$", listed, re.MULTILINE), listed


@pytest.mark.parametrize("header", [
    "Bearer rdp_" + "A" * 43, "Bearer not-a-key", "Basic dXNlcjpwYXNz", "Bearer", "rdp_x"])
def test_wrong_or_malformed_keys_are_refused_not_anonymous(app, api_body, stored, header):
    _create(app, "Acme")
    response = app.test_client().post("/api/v1/reports", json=api_body(),
                                      headers={"Authorization": header})

    assert response.status_code == 401 and response.mimetype == "application/json"
    assert response.get_json()["error"] and response.get_json()["fields"] == {}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert stored(app)["reports"] == 0
    [event] = _audit(app, "partner.auth_failed")
    assert event.after["reason"] in ("unknown", "malformed") and event.target_id is None


def test_partners_get_a_higher_limit_counted_per_partner(app_factory, client_from, api_body):
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://",
                      RATELIMIT_API="2 per minute", RATELIMIT_PARTNER="5 per minute")
    with app.app_context():
        limiter.reset()
    key = _create(app, "Acme")
    client = client_from(app)

    public = [client.post("/api/v1/reports", json=api_body()).status_code for _ in range(3)]
    partner = [client.post("/api/v1/reports", json=api_body(), headers=_bearer(key)).status_code
               for _ in range(6)]

    assert public == [201, 201, 429]
    assert partner == [201] * 5 + [429]  # same address, its own larger budget


def test_a_suspended_partner_is_stored_marked_and_ranked_last(scoring_app, api_body):
    key = _create(scoring_app, "Acme")
    runner, client = scoring_app.test_cli_runner(), scoring_app.test_client()
    first = client.post("/api/v1/reports", json=api_body(claim=CLAIMS[0]), headers=_bearer(key))

    assert runner.invoke(args=["partners", "suspend", "Acme", "--reason", " "]).exit_code == 1
    result = runner.invoke(args=["partners", "suspend", "Acme", "--reason", "Bulk spam"])
    assert result.exit_code == 0, result.output
    later = client.post("/api/v1/reports", json=api_body(claim=CLAIMS[1], url=None),
                        headers=_bearer(key))
    anonymous = client.post("/api/v1/reports", json=api_body(claim=CLAIMS[2], url=None))

    assert later.status_code == 201
    with scoring_app.app_context():
        for code in (first, later):
            case = _report(code.get_json()["tracking_code"]).case
            assert case.priority_components["trust"] == -100 and case.priority == 0
        assert _report(later.get_json()["tracking_code"]).partner_id is not None
        queue = db.session.scalars(db.select(Case).order_by(Case.priority.desc())).all()
        assert queue[0].id == _report(anonymous.get_json()["tracking_code"]).case_id
    assert "suspended (Bulk spam)" in runner.invoke(args=["partners", "list"]).output

    assert runner.invoke(args=["partners", "lift", "Acme"]).exit_code == 0
    with scoring_app.app_context():
        case = _report(first.get_json()["tracking_code"]).case
        assert case.priority_components["trust"] == scoring_app.config["PARTNER_TRUST"]
    assert [e.after["state"] for e in _audit(scoring_app, "partner.suspend")] == ["suspended"]
    assert len(_audit(scoring_app, "partner.lift")) == 1


def test_the_401_message_is_in_the_callers_language(app, api_body):
    response = app.test_client().post("/api/v1/reports", json=api_body(), headers={
        "Authorization": "Bearer rdp_" + "B" * 43, "Accept-Language": "zh"})

    assert response.status_code == 401 and response.get_json()["error"] == "该合作方密钥无效。"
