"""The case page reads a fixed number of SQL statements however many reports it shows.

A viral case's page shows 50 reports with their links, evidence and reasons: one query per
report (a lazy load in the template, a helper called in the loop) would make it grow with
the case. bench/staff_pages.py times the page; this test keeps its statement count flat.
"""

from contextlib import contextmanager

import pytest
from sql_log import recorded

from intake.cases import details as case_details
from intake.core.extensions import db

# It counts every statement: the savepoints of a rolled-back test transaction would add two.
pytestmark = pytest.mark.commits
EN = {"Accept-Language": "en"}


@contextmanager
def counted(app):
    """Count the SQL statements the app sends inside the block."""
    with app.app_context():
        engine = db.engine
    with recorded(engine) as statements:
        yield statements


def _statements(app, client, case_id: int) -> list[str]:
    client.get(f"/staff/cases/{case_id}", headers=EN)  # warm: login lookups, first queries
    with counted(app) as statements:
        response = client.get(f"/staff/cases/{case_id}", headers=EN)
    assert response.status_code == 200
    return statements


def test_case_page_statements_do_not_grow_with_its_reports(app, make_user, client_as,
                                                           make_reported_case, claim):
    make_user("mona")
    one, _ = make_reported_case(reports=1, evidence=True, urls=["https://weibo.com/1/a"])
    many, codes = make_reported_case(reports=12, evidence=True, urls=["https://weibo.com/2/b",
                                                             "https://weibo.com/2/c"])
    for case_id in (one, many):
        claim(case_id, "mona")
    client = client_as("mona")
    few, lots = _statements(app, client, one), _statements(app, client, many)
    page = client.get(f"/staff/cases/{many}", headers=EN).get_data(as_text=True)
    assert all(code in page for code in codes)  # every report is shown, links and all
    assert page.count('href="https://weibo.com/2/c"') == 12
    assert len(lots) == len(few), "\n".join(lots)
    # 12 here (no reporter keys, so no misuse look-ups): 16 before the user's desks, the
    # links, the model's suggestion and the similar cases were read in one statement each.
    assert len(lots) <= 12, "\n".join(lots)


def test_a_page_of_reports_counts_reports_not_their_links(app, make_user, client_as,
                                                         make_reported_case, monkeypatch):
    """Links come joined to their reports: the page's limit still counts reports."""
    monkeypatch.setattr(case_details, "REPORTS_PAGE", 4)
    make_user("mona")
    case_id, codes = make_reported_case(reports=6,
                                        urls=["https://weibo.com/3/a", "https://weibo.com/3/b"])
    client = client_as("mona")
    first = client.get(f"/staff/cases/{case_id}", headers=EN).get_data(as_text=True)
    second = client.get(f"/staff/cases/{case_id}?page=2", headers=EN).get_data(as_text=True)
    assert [code for code in codes if code in first] == codes[:4]
    assert [code for code in codes if code in second] == codes[4:]
    for page, shown in ((first, 4), (second, 2)):
        assert page.count('href="https://weibo.com/3/a"') == shown
        assert page.count('href="https://weibo.com/3/b"') == shown
        assert page.count('<ul class="links"><li><a href="https://weibo.com/3/a"') == shown
    assert "Page 2 of 2" in second and 'rel="next"' not in second
