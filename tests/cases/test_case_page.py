"""The case page and its forms over HTTP: permissions, content, decisions, bad input."""

import pytest

from intake.cases import details as case_details
from intake.core.extensions import db
from intake.core.models import Case, Report

EN = {"Accept-Language": "en"}


@pytest.fixture
def people(make_user):
    """One of each: operator, moderator of the desk, moderator of another desk, admin."""
    make_user("otto", role="operator", desks=())
    make_user("mona")
    make_user("vic", desks=("vehicle-data",))
    make_user("root", role="admin", desks=())


def _case(app, case_id: int) -> Case:
    with app.app_context():
        case = db.session.get(Case, case_id)
        db.session.expunge(case)
        return case


ROUTES = [
    ("get", "/staff/cases/{case}", {}),
    ("post", "/staff/cases/{case}/decide", {"outcome": "false", "final_topic": "battery-safety"}),
    ("post", "/staff/cases/{case}/reopen", {}),
    ("post", "/staff/cases/bulk-decide", {"case_id": "{case}", "outcome": "false"}),
]


@pytest.mark.parametrize("method, path, data", ROUTES)
@pytest.mark.parametrize("who, status", [(None, 303), ("otto", 403), ("vic", 403)])
def test_who_may_not_reach_the_case(app, client_as, make_reported_case, claim, people, method, path,
                                    data, who, status):
    case_id, _codes = make_reported_case()
    claim(case_id, "mona")
    client = client_as(who)
    data = {key: value.format(case=case_id) for key, value in data.items()}
    response = getattr(client, method)(path.format(case=case_id), data=data, headers=EN)
    if method == "post" and "bulk" in path and who == "vic":
        status = 409  # the batch is answered per case: this one is refused, nothing decided
        assert "desk you are not on" in response.get_data(as_text=True)
    assert response.status_code == status
    if status == 303:
        assert "/staff/login" in response.headers["Location"]
    assert _case(app, case_id).outcome is None


@pytest.mark.parametrize("who", ["mona", "root"])
def test_desk_moderator_and_admin_see_the_case(client_as, make_reported_case, people, who):
    case_id, codes = make_reported_case(urls=["https://news.example.com/ev-fire?utm_source=x"],
                               claim="A video says a parked EV caught fire by itself.")
    response = client_as(who).get(f"/staff/cases/{case_id}", headers=EN)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert codes[0] in page and "parked EV caught fire" in page
    assert "https://news.example.com/ev-fire?utm_source=x" in page
    assert "Web form" in page


@pytest.mark.parametrize("case_id", ["999999", "99999999999999999999999"])
def test_unknown_case_is_404(client_as, people, case_id):
    assert client_as("root").get(f"/staff/cases/{case_id}").status_code == 404


def test_contact_only_for_the_claim_holder(app, client_as, make_reported_case, claim, people):
    case_id, _codes = make_reported_case(contact_email="reader@example.com", contact_consent=True)
    page = client_as("mona").get(f"/staff/cases/{case_id}", headers=EN).get_data(as_text=True)
    assert "reader@example.com" not in page and "claim the case to see it" in page
    claim(case_id, "mona")
    page = client_as("mona").get(f"/staff/cases/{case_id}", headers=EN).get_data(as_text=True)
    assert "reader@example.com" in page


def test_hotline_fields_are_shown(app, client_as, make_reported_case, people):
    case_id, codes = make_reported_case()
    with app.app_context():
        report = db.session.scalars(db.select(Report).where(Report.tracking_code == codes[0])).one()
        report.channel, report.caller_masked, report.urgent = "hotline", "139****1111", True
        report.operator_notes = "Caller saw the fire himself."
        db.session.commit()
    page = client_as("mona").get(f"/staff/cases/{case_id}", headers=EN).get_data(as_text=True)
    assert "139****1111" in page and "Caller saw the fire himself." in page
    assert "Hotline" in page and "Urgent" in page


def test_decide_over_http_then_history_and_reopen(app, client_as, make_reported_case, claim,
                                                  people):
    case_id, _codes = make_reported_case()
    claim(case_id, "mona")
    client = client_as("mona")
    response = client.post(f"/staff/cases/{case_id}/decide", headers=EN, data={
        "outcome": "misleading", "final_topic": "battery-safety",
        "public_note": "The video is from 2021 and another city.",
        "internal_note": "src: fire dept"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "decided: Misleading" in page
    assert 'id="case-outcome">Misleading' in page
    assert "case.decide" in page  # the history lists the decision
    assert _case(app, case_id).outcome == "misleading"

    reopen = {"reason": "The fire brigade sent new footage.", "confirm": "y"}
    response = client.post(f"/staff/cases/{case_id}/reopen", headers=EN, data=reopen)
    assert response.status_code == 303
    assert _case(app, case_id).status == "open"
    response = client.post(f"/staff/cases/{case_id}/reopen", headers=EN, data=reopen)
    assert response.status_code == 409
    assert "not decided" in response.get_data(as_text=True)


@pytest.mark.parametrize("data, message", [
    ({"final_topic": "battery-safety"}, "Choose an outcome."),
    ({"outcome": "bogus", "final_topic": "battery-safety"}, "Not a valid choice"),
    ({"outcome": "false", "final_topic": "cooking"}, "Not a valid choice"),
    ({"outcome": "false", "final_topic": "battery-safety", "public_note": "x" * 2001},
     "at most 2000 characters"),
])
def test_bad_decision_input_is_400_with_a_message(app, client_as, make_reported_case, claim, people,
                                                  data, message):
    case_id, _codes = make_reported_case()
    claim(case_id, "mona")
    response = client_as("mona").post(f"/staff/cases/{case_id}/decide", data=data, headers=EN)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _case(app, case_id).outcome is None


def test_deciding_without_the_claim_is_409_in_chinese_too(client_as, make_reported_case, people):
    case_id, _codes = make_reported_case()
    response = client_as("mona").post(f"/staff/cases/{case_id}/decide", data={
        "outcome": "false", "final_topic": "battery-safety"}, headers={"Accept-Language": "zh"})
    assert response.status_code == 409
    assert "认领" in response.get_data(as_text=True)


def test_similar_decided_cases_by_link_and_by_text(app, client_as, make_reported_case, people):
    url = "https://news.example.com/ev-fire"
    text = "视频称某品牌电动车在小区地下车库充电时电池起火自燃，整栋楼被烧毁，转发扩散！"
    by_link, _codes = make_reported_case(urls=[url + "?utm_source=wechat"])
    by_text, _codes = make_reported_case(claim=text)
    with app.app_context():
        for case_id, title in ((by_link, "Old EV fire video"), (by_text, "车库自燃旧视频")):
            old = db.session.get(Case, case_id)
            old.status, old.outcome, old.title = "resolved", "false", title
        db.session.commit()
    # A decided case takes no new reports: these open a case of their own.
    new_id, _codes = make_reported_case(urls=[url], claim=text[:-5] + "。")
    page = client_as("mona").get(f"/staff/cases/{new_id}", headers=EN).get_data(as_text=True)
    section = page.split('id="similar"')[1].split("</section>")[0]
    assert f"/staff/cases/{by_link}" in section and "Old EV fire video" in section
    assert "车库自燃旧视频" in section.split(f"/staff/cases/{by_link}")[1]  # link first, text next


def test_unrouted_case_is_open_to_any_moderator_and_claimable_from_its_page(
        app, client_as, make_reported_case, people):
    case_id, _codes = make_reported_case(topic=None)
    client = client_as("vic")
    page = client.get(f"/staff/cases/{case_id}", headers=EN).get_data(as_text=True)
    assert 'id="claim-button"' in page and 'id="decide-form"' not in page
    response = client.post(f"/staff/cases/{case_id}/claim", headers=EN)
    assert response.headers["Location"].endswith(f"/staff/cases/{case_id}")
    page = client.get(f"/staff/cases/{case_id}", headers=EN).get_data(as_text=True)
    assert 'id="decide-form"' in page and "vic" in page.split('id="claimed-by"')[1][:40]


def test_merge_and_move_out_from_the_case_page(app, client_as, make_reported_case, people):
    target, _codes = make_reported_case()
    source, codes = make_reported_case(reports=2)
    client = client_as("mona")
    page = client.get(f"/staff/cases/{source}", headers=EN).get_data(as_text=True)
    assert 'class="merge-form"' in page and page.count("/move-out") == 2
    preview = client.post(f"/staff/cases/{source}/merge", data={"into": str(target)},
                          headers=EN)
    assert preview.status_code == 200 and 'id="merge-confirm"' in preview.get_data(as_text=True)
    response = client.post(f"/staff/cases/{source}/merge",
                           data={"into": str(target), "confirm": "yes"}, headers=EN)
    assert response.headers["Location"].endswith(f"/staff/cases/{target}")
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert all(code in page for code in codes) and "case.merge" in page


def test_a_big_case_shows_its_reports_a_page_at_a_time(client_as, make_reported_case, people,
                                                        monkeypatch):
    monkeypatch.setattr(case_details, "REPORTS_PAGE", 4)
    case_id, codes = make_reported_case(reports=10)
    client = client_as("mona")
    first = client.get(f"/staff/cases/{case_id}", headers=EN).get_data(as_text=True)
    assert [code for code in codes if code in first] == codes[:4]
    assert "Page 1 of 3" in first and f"/staff/cases/{case_id}?page=2" in first
    assert 'rel="prev"' not in first and '<dd id="report-count">10</dd>' in first
    last = client.get(f"/staff/cases/{case_id}?page=3", headers=EN).get_data(as_text=True)
    assert [code for code in codes if code in last] == codes[8:]
    assert 'rel="next"' not in last and f"/staff/cases/{case_id}?page=2" in last


@pytest.mark.parametrize("page", ["0", "4", "two", "-1", "\uff12", "9" * 40])
def test_a_page_of_reports_that_does_not_exist_is_explained(client_as, make_reported_case, people,
                                                            monkeypatch, page):
    monkeypatch.setattr(case_details, "REPORTS_PAGE", 4)
    case_id, _codes = make_reported_case(reports=9)
    response = client_as("mona").get(f"/staff/cases/{case_id}", query_string={"page": page},
                                     headers=EN)
    assert response.status_code == 400
    assert "pages go from 1 to 3" in response.get_data(as_text=True)
