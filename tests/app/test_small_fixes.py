"""Issue 15, defect 7: full-width input, every bad link named, the receipt's promise, who holds
a case, merged cases, the model chart and `flask model train`'s header."""

import re

import pytest
from factories import PASSWORD
from hotline.hotline_data import call_form

from intake.core.extensions import db
from intake.core.models import Case, Report
from intake.triage.models import ModelVersion

EN = {"Accept-Language": "en"}


def full_width(text: str) -> str:
    """Return text as a Chinese keyboard in full-width mode types it: ＲＤ－４５ＲＶ－ＹＥ７Ｅ."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def test_full_width_tracking_codes_work_on_the_status_pages(client, make_report):
    code = make_report()
    wide = full_width(code)
    assert wide != code and wide.startswith("ＲＤ－")
    response = client.get("/status", query_string={"code": wide}, headers=EN)
    assert response.status_code == 302 and response.headers["Location"] == f"/status/{code}"
    assert client.get(f"/status/{wide}", headers=EN).status_code == 200


def test_full_width_numbers_and_codes_work_on_the_hotline(app, client, make_user, login):
    make_user("olga", role="operator", desks=())
    login("olga")
    assert client.post("/staff/hotline", data=call_form()).status_code == 303
    with app.app_context():
        code = db.session.scalars(db.select(Report.tracking_code)).one()
    response = client.post("/staff/hotline/lookup",
                           data={"caller_number": full_width("13800138000")}, headers=EN)
    assert response.status_code == 200 and code in response.get_data(as_text=True)
    assert client.get(f"/staff/hotline/calls/{full_width(code)}", headers=EN).status_code == 200


def test_every_bad_link_line_is_named(client, make_report):
    links = "https://example.com/ok\nnot a link\nhttps://example.com/fine\nftp://x.org/y"
    response = client.post("/report", data={"urls": links, "claim": "A claim about a car.",
                                            "explanation": "Because it is old.",
                                            "good_faith": "y"}, headers=EN)
    assert response.status_code == 400
    error = re.search(r'<p class="error" id="urls-error">(.*?)</p>',
                      response.get_data(as_text=True), re.S).group(1)
    assert "Line 2:" in error and "not a link" in error
    assert "Line 4:" in error and "ftp://x.org/y" in error
    assert "Line 1:" not in error and "Line 3:" not in error


def test_the_receipt_promises_nothing_the_form_lacks(client, make_report):
    code = make_report()
    page = client.get(f"/report/receipt/{code}", headers=EN).get_data(as_text=True)
    form = client.get("/report", headers=EN).get_data(as_text=True)
    assert "mention this code" not in page
    # Either the form has a field for an earlier code, or the receipt says none is needed.
    assert "earlier" in form.lower() or "You do not need this code" in page


@pytest.fixture
def held(app, make_user, make_case):
    """Case held by mona, looked at by max (same desk) and by ada (admin)."""
    make_user("mona")
    make_user("max")
    make_user("ada", role="admin", desks=())
    case_id = make_case()
    clients = {}
    for name in ("mona", "max", "ada"):
        clients[name] = app.test_client()
        clients[name].post("/staff/login", data={"username": name, "password": PASSWORD})
    assert clients["mona"].post(f"/staff/cases/{case_id}/claim").status_code in (302, 303)
    return case_id, clients


@pytest.mark.parametrize("who", ["max", "ada"])
def test_a_case_held_by_someone_else_says_by_whom(held, who):
    case_id, clients = held
    page = clients[who].get(f"/staff/cases/{case_id}", headers=EN).get_data(as_text=True)
    held_by = re.search(r'<p[^>]*id="held-by"[^>]*>(.*?)</p>', page, re.S)
    assert held_by and "mona" in held_by.group(1)
    if who == "max":  # max cannot decide: the page says who can, not just "claim it"
        decision = page[page.index('id="decision"'):]
        assert "mona" in decision.split("</section>")[0]


def test_merged_cases_say_merged_into_not_not_scored(app, client, make_user, login, make_case):
    make_user("ada", role="admin", desks=())
    login("ada")
    target, source = make_case(), make_case()
    assert client.post(f"/staff/cases/{source}/merge",
                       data={"into": str(target), "confirm": "yes"}).status_code in (302, 303)
    with app.app_context():
        assert db.session.get_one(Case, source).status == "merged"
    page = client.get(f"/staff/cases/{source}", headers=EN).get_data(as_text=True)
    assert "not scored" not in page.lower() and "has not said anything" not in page
    facts = page[page.index('id="case-facts"'):].split("</dl>")[0]
    assert f"Merged into case {target}" in facts


@pytest.fixture
def versions(app):
    """A cross-validated starter version and a retrained one judged on only 3 reports."""
    def card(n, evaluation):
        return {"metrics": {"n": n, "topic": {"accuracy": 0.9, "macro_f1": 0.8},
                            "actionable": {"roc_auc": 0.85, "average_precision": 0.8}},
                "evaluation": evaluation}
    with app.app_context():
        db.session.add_all([
            ModelVersion(version="v1-starter", sha256="a" * 64, size=1, artifact=b"-",
                         card=card(5968, "5-fold cross-validation on the starter corpus")),
            ModelVersion(version="v2-small", sha256="b" * 64, size=1, artifact=b"-",
                         card=card(3, "held-out decisions"))])
        db.session.commit()


def test_the_model_chart_does_not_plot_tiny_held_out_sets(client, make_user, login, versions):
    make_user("ada", role="admin", desks=())
    login("ada")
    page = client.get("/staff/models", headers=EN).get_data(as_text=True)
    chart = page[page.index('<figure class="chart"'):page.index("</figure>")]
    assert "v1-starter" in chart and "v2-small" not in chart.split("<figcaption")[0]
    assert "fewer than 30" in chart  # the caption says why a version is missing
    # Which score is which: the kind of evaluation is named in the chart.
    assert "cross-validation" in chart.lower()


def test_the_chart_legend_does_not_wrap_per_character():
    css = open("intake/static/style.css", encoding="utf-8").read()
    rule = re.search(r"\.chart figcaption \.key\s*\{([^}]*)\}", css)
    assert rule and "white-space: nowrap" in rule.group(1)


def test_model_train_header_separates_candidate_and_active(app):
    from intake.triage.commands import comparison_header
    header = comparison_header(12, "20261204-041200-0123abcd4567")
    assert "candidateactive" not in header
    assert re.search(r"candidate\s+active 20261204-041200-0123abcd4567", header)


