"""Malformed staff input from the audit: each is refused with a 4xx and a message, never a 500.

Run on PostgreSQL too (TEST_DATABASE_URL): several of these were 500s only there.
"""

import pytest
from hotline.hotline_data import call_form

from intake.core.extensions import db
from intake.core.models import Case, Decision, Report

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh"}


@pytest.fixture
def admin(make_user, login):
    make_user("root", role="admin", desks=())
    assert login("root").status_code == 303
    return "root"


def _text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("into", ["²", "1²", "123456789012345678", "9223372036854775808",
                                  "-1", "1.0", "0x10", "\x00"])
def test_merge_into_a_malformed_number_is_400(app, client, admin, make_case, into):
    source = make_case()

    response = client.post(f"/staff/cases/{source}/merge", data={"into": into}, headers=EN)

    assert response.status_code == 400
    assert "Give the number of the case to merge this one into" in _text(response)
    with app.app_context():
        assert db.session.get(Case, source).status == "open"


def test_merge_into_arabic_indic_digits_is_not_case_3(app, client, admin, make_case):
    target, source = make_case(), make_case()

    response = client.post(f"/staff/cases/{source}/merge", headers=ZH,
                           data={"into": str(target).translate(ARABIC_INDIC)})

    assert response.status_code == 400
    assert "合并" in _text(response)
    with app.app_context():
        assert db.session.get(Case, source).status == "open"
        assert db.session.get(Case, source).merged_into_id is None


@pytest.mark.parametrize("path", [
    "/staff/reports/9223372036854775808/move-out",
    "/staff/reports/2147483648/move-out",
    "/staff/reports/{report_id_arabic}/move-out",
    "/staff/cases/99999999999999999999/merge",
])
def test_an_id_beyond_the_database_or_in_other_digits_is_404(app, client, admin, make_case,
                                                             path):
    case_id = make_case()
    with app.app_context():
        report_id = db.session.scalars(db.select(Report.id).where(Report.case_id == case_id)).one()
    path = path.format(report_id_arabic=str(report_id).translate(ARABIC_INDIC))

    response = client.post(path, data={"into": str(case_id)}, headers=EN)

    assert response.status_code == 404
    assert "This page does not exist." in _text(response)


@pytest.mark.parametrize("path", ["/staff/cases/{arabic}", "/staff/cases/2147483648",
                                  "/staff/evidence/9223372036854775808"])
def test_case_pages_refuse_ids_in_other_digits_or_too_large(client, admin, make_case, path):
    case_id = make_case()

    response = client.get(path.format(arabic=str(case_id).translate(ARABIC_INDIC)))

    assert response.status_code == 404


@pytest.mark.parametrize("query, message", [
    ("until=9999-12-31", "Give a date between 1970 and 2100."),
    ("since=0001-01-01", "Give a date between 1970 and 2100."),
    ("older_than=²", "older_than must be an event number"),
    ("older_than=٣", "older_than must be an event number"),
    ("older_than=9223372036854775808", "older_than must be an event number"),
])
def test_audit_filters_out_of_range_are_400(client, admin, query, message):
    response = client.get(f"/staff/audit?{query}", headers=EN)

    assert response.status_code == 400
    assert message in _text(response)


def test_audit_date_error_in_chinese(client, admin):
    response = client.get("/staff/audit?until=9999-12-31", headers=ZH)

    assert response.status_code == 400
    assert "1970" in _text(response) and "2100" in _text(response)
    assert "Give a date" not in _text(response)


@pytest.mark.parametrize("started", ["0001-01-01 00:00", "1969-12-31 23:59"])
def test_a_call_started_in_year_1_is_a_form_error(app, client, make_user, login, started):
    make_user("olga", role="operator", desks=())
    login("olga")

    response = client.post("/staff/hotline", data=call_form(started_at=started), headers=EN)

    assert response.status_code == 400
    assert "Give a date between 1970 and 2100." in _text(response)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Report)) == 0


def test_a_nul_byte_in_a_decision_note_is_dropped_not_a_500(app, client, admin, make_case):
    case_id = make_case()

    response = client.post(f"/staff/cases/{case_id}/decide", headers=EN, data={
        "outcome": "false", "final_topic": "battery-safety",
        "public_note": "视频是2021年的\x00旧视频。", "internal_note": "matched\x00 original"})

    assert response.status_code == 303, _text(response)[:2000]
    with app.app_context():
        decision = db.session.scalars(db.select(Decision)).one()
        assert (decision.public_note, decision.internal_note) == (
            "视频是2021年的旧视频。", "matched original")
