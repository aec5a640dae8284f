"""Caller privacy: numbers normalised, stored as a keyed hash and a mask, in full only with
consent; contact details purged after the retention period."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import JSON, String, Text

from intake.audit.models import AuditEvent
from intake.core.extensions import db
from intake.core.models import Report, utcnow
from intake.hotline import calls
from intake.users import accounts as users

from .hotline_data import NUMBER_FORMS, call_form, call_row, write_log


@pytest.mark.parametrize("typed, normal", [
    ("13800138000", "+8613800138000"),
    ("138 0013 8000", "+8613800138000"),
    ("+86 138-0013-8000", "+8613800138000"),
    ("0086 (138) 0013 8000", "+8613800138000"),
    ("010 6512 3456", "+861065123456"),
    ("+44 20 7946 0958", "+442079460958"),
])
def test_numbers_are_normalised(app, typed, normal):
    with app.app_context():
        assert calls.normalise_number(typed) == normal
        assert calls.caller(typed).hash == calls.caller(normal).hash


@pytest.mark.parametrize("typed", ["", "12", "call me", "+86 138 0013 8000 1234 5678"])
def test_not_a_number_is_refused(app, typed):
    with app.app_context(), pytest.raises(calls.CallerNumberError):
        calls.normalise_number(typed)


def test_hash_is_keyed_and_mask_keeps_last_four(app_factory):
    numbers = {}
    for key in ("first key", "second key"):
        with app_factory(CALLER_HASH_KEY=key).app_context():
            who = calls.caller("138 0013 8000")
            numbers[key] = who.hash
            assert who.masked == "****8000"
            assert len(who.hash) == 64 and "13800138000" not in who.hash
    assert numbers["first key"] != numbers["second key"]


def _text_values(conn) -> list[str]:
    """Every value of every text or JSON column of every table."""
    values = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if columns:
            for row in conn.execute(db.select(*columns)):
                values.extend(str(v) for v in row if v is not None)
    return values


def _leaks(values: list[str]) -> list[str]:
    return [v for v in values if any(form in v for form in NUMBER_FORMS)]


@pytest.fixture
def logged_in_operator(make_user, login):
    make_user("olga", role="operator", desks=())
    login("olga")


def test_full_number_is_nowhere_without_consent(app, client, runner, logged_in_operator,
                                                tmp_path, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    assert client.post("/staff/hotline", data=call_form()).status_code == 303
    client.post("/staff/hotline/lookup", data={"caller_number": "138 0013 8000"})
    log = write_log(tmp_path / "calls.csv", [call_row(1, caller_number="138-0013-8000"),
                                             call_row(2, caller_number="12")])
    result = runner.invoke(args=["hotline", "import", str(log), "--skip-invalid"])
    assert result.exit_code == 0, result.output

    with app.app_context():
        reports = list(db.session.scalars(db.select(Report)))
        assert len(reports) == 2 and {r.caller_masked for r in reports} == {"****8000"}
        assert len({r.caller_hash for r in reports}) == 1
        values = _text_values(db.session.connection())
    assert values and not _leaks(values)
    logged = caplog.text + "\n".join(capfd.readouterr())
    assert "POST /staff/hotline" in logged  # the request log ran, and carries no number
    assert not _leaks([logged, result.output])


def test_with_consent_the_number_is_kept_only_as_contact(app, client, logged_in_operator):
    client.post("/staff/hotline", data=call_form(consent="y"))
    with app.app_context():
        report = db.session.scalars(db.select(Report)).one()
        assert report.contact_consent and report.contact_phone == "+8613800138000"
        leaks = _leaks(_text_values(db.session.connection()))
    assert leaks == ["+8613800138000"]


def _old_report(app, days: int, **fields) -> int:
    with app.app_context():
        who = calls.caller("13800138000")
        call = calls.Call(number="13800138000", claim="来电称电池自燃视频是真的", **fields)
        report, _ = calls.submit_call(call, users.find_user("olga"))
        report.received_at = utcnow() - timedelta(days=days)
        db.session.commit()
        assert report.caller_hash == who.hash
        return report.id


def test_purge_contact_clears_old_contact_details(app, runner, make_user):
    make_user("olga", role="operator", desks=())
    old = _old_report(app, 200, consent=True)
    recent = _old_report(app, 10, consent=True)
    result = runner.invoke(args=["reports", "purge-contact", "--older-than", "180d"])
    assert result.exit_code == 0, result.output
    assert "1 reports" in result.output
    with app.app_context():
        purged, kept = db.session.get(Report, old), db.session.get(Report, recent)
        assert purged.contact_phone is None and purged.contact_purged_at is not None
        assert purged.caller_masked == "****8000"  # the mask and hash stay for lookup
        assert kept.contact_phone == "+8613800138000" and kept.contact_purged_at is None
        event = db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "report.purge_contact")).one()
        assert event.after["reports"] == 1 and event.actor_name.startswith("cli:")


@pytest.mark.parametrize("age", ["180", "soon", "-5d", "180y"])
def test_purge_contact_refuses_a_bad_age(runner, age):
    result = runner.invoke(args=["reports", "purge-contact", "--older-than", age])
    assert result.exit_code == 2
    assert "180d" in result.output
