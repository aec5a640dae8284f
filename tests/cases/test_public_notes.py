"""One public note per language: each reporter reads theirs, else the other; mail likewise."""

import pytest
from factories import unique_claim
from notifications.test_notifications import EN_CLAIM, ZH_CLAIM, _parts, _reporting_case

from intake.core.extensions import db
from intake.core.models import Case, Decision
from intake.notifications import worker as mail_delivery

NOTE_ZH = "该视频拍摄于2021年另一座城市，画面中是一辆燃油车，与电动车无关。"
NOTE_EN = "The video is from 2021 and shows a petrol car in another city; no EV was involved."
EN, ZH = {"Accept-Language": "en"}, {"Accept-Language": "zh-CN"}


@pytest.fixture
def app(app_factory, smtp):
    return app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_TIMEOUT=3,
                       PUBLIC_URL="https://desk.example.org",
                       MAIL_FROM="Report Desk <desk@example.org>")


def _decide(client_as, claim, case_id: int, **notes) -> None:
    claim(case_id, "mona")
    response = client_as("mona").post(f"/staff/cases/{case_id}/decide", headers=EN, data={
        "outcome": "false", "final_topic": "battery-safety", **notes})
    assert response.status_code == 303, response.get_data(as_text=True)


def _note_on_status(client_as, code: str, headers: dict) -> str:
    page = client_as(None).get(f"/status/{code}", headers=headers).get_data(as_text=True)
    start = page.index('id="public-note">') + len('id="public-note">')
    return page[start:page.index("</p>", start)]


def test_each_reporter_reads_the_note_in_their_language(app, client_as, make_reported_case,
                                                        make_user, claim):
    make_user("mona")
    case_id, [code] = make_reported_case(claim=unique_claim())
    _decide(client_as, claim, case_id, public_note=NOTE_ZH, public_note_en=NOTE_EN)
    assert _note_on_status(client_as, code, EN) == NOTE_EN
    assert _note_on_status(client_as, code, ZH) == NOTE_ZH
    with app.app_context():
        case = db.session.get(Case, case_id)
        decision = db.session.scalars(db.select(Decision).where(Decision.case_id == case_id)).one()
        assert (case.public_note, case.public_note_en) == (NOTE_ZH, NOTE_EN)
        assert (decision.public_note, decision.public_note_en) == (NOTE_ZH, NOTE_EN)
    page = client_as("mona").get(f"/staff/cases/{case_id}", headers=EN).get_data(as_text=True)
    assert f'id="case-public-note">{NOTE_ZH}' in page
    assert f'id="case-public-note-en" lang="en">{NOTE_EN}' in page


@pytest.mark.parametrize("notes, zh_reads, en_reads", [
    ({"public_note_en": NOTE_EN}, NOTE_EN, NOTE_EN),
    ({"public_note": NOTE_ZH}, NOTE_ZH, NOTE_ZH),
])
def test_with_one_note_every_reporter_reads_it(client_as, make_reported_case, make_user, claim,
                                               notes, zh_reads, en_reads):
    make_user("mona")
    case_id, [code] = make_reported_case(claim=unique_claim())
    _decide(client_as, claim, case_id, **notes)
    assert _note_on_status(client_as, code, ZH) == zh_reads
    assert _note_on_status(client_as, code, EN) == en_reads
    api = client_as(None).get(f"/api/v1/reports/{code}").get_json()
    assert api["public_note"] == zh_reads  # partners keep one note, Chinese first


def test_a_too_long_english_note_is_refused_and_kept(client_as, make_reported_case, make_user,
                                                     claim):
    make_user("mona")
    case_id, _ = make_reported_case(claim=unique_claim())
    claim(case_id, "mona")
    response = client_as("mona").post(f"/staff/cases/{case_id}/decide", headers=EN, data={
        "outcome": "false", "final_topic": "battery-safety", "public_note": NOTE_ZH,
        "public_note_en": "x" * 2001})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The English public note is too long: use at most 2000 characters." in page
    assert 'href="#public_note_en"' in page and NOTE_ZH in page


def test_reopening_clears_both_notes(app, client_as, make_reported_case, make_user, claim):
    make_user("mona")
    case_id, [code] = make_reported_case(claim=unique_claim())
    _decide(client_as, claim, case_id, public_note=NOTE_ZH, public_note_en=NOTE_EN)
    response = client_as("mona").post(f"/staff/cases/{case_id}/reopen", headers=EN, data={
        "reason": "The fire brigade sent new footage.", "confirm": "y"})
    assert response.status_code == 303
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert (case.public_note, case.public_note_en) == (None, None)
    page = client_as(None).get(f"/status/{code}", headers=EN).get_data(as_text=True)
    assert NOTE_EN not in page and NOTE_ZH not in page


def test_each_reporter_is_mailed_the_note_in_their_language(app, smtp, make_report, make_user,
                                                            client_as, claim):
    make_user("mona")
    case_id, _codes = _reporting_case(
        app, make_report, (ZH_CLAIM, "zhang@example.cn"), (EN_CLAIM, "alex@example.com"))
    _decide(client_as, claim, case_id, public_note=NOTE_ZH, public_note_en=NOTE_EN)
    with app.app_context():
        mail_delivery.deliver_due()
    mails = {mail["To"]: mail for mail in smtp.sink.messages[-2:]}  # after the receipts
    for address, mine, other in (("zhang@example.cn", NOTE_ZH, NOTE_EN),
                                 ("alex@example.com", NOTE_EN, NOTE_ZH)):
        for text in _parts(mails[address]):
            assert mine in text and other not in text
