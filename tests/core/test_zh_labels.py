"""Chinese pages show labels, never raw stored values; the catalogue has no empty entry."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from hotline.hotline_data import call_form

from intake.cases.queue import BANDS, STATUS_CHOICES
from intake.core.extensions import db
from intake.core.labels import LABELS, label, labeller
from intake.core.models import CASE_STATUSES, CHANNELS, OUTCOMES, Case, Report
from intake.notifications.models import KINDS
from intake.reports.forms import PLATFORM_KEYS
from intake.users.models import ROLES

CATALOG = Path(__file__).resolve().parents[2] / "intake/translations/zh/LC_MESSAGES/messages.po"
ZH = {"Accept-Language": "zh"}
RAW = ("web", "hotline", "api", "open", "under_review", "resolved", "merged", "false",
       "misleading", "accurate", "unverifiable", "spam", "weibo", "douyin", "wechat",
       "operator", "moderator", "admin")
RAW_RE = re.compile(r"(?<![\w/.#-])(" + "|".join(RAW) + r")(?![\w/.-])")


def _text(page: str) -> str:
    """Return what a reader sees: the text between tags, not attributes or URLs."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


@pytest.fixture
def world(app, client, make_user, login):
    """A hotline report (Douyin), a web report (Weibo) in a case, seen by an admin."""
    make_user("olga", role="operator", desks=())
    make_user("ada", role="admin", desks=())
    login("olga")
    assert client.post("/staff/hotline", data=call_form()).status_code == 303
    with app.app_context():
        report = db.session.scalars(db.select(Report)).one()
        report.case.topic, report.platform = "battery-safety", "douyin"
        db.session.commit()
        return report.case_id


@pytest.mark.parametrize("who, path", [
    ("olga", "/staff/callbacks"),
    ("olga", "lookup"),
    ("ada", "/staff/dashboard"),
    ("ada", "/staff/cases/{case}"),
    ("ada", "/staff/queue"),
    ("ada", "/staff/queue?status=under_review"),
    ("ada", "/staff/queue?status=merged"),
])
def test_chinese_pages_show_no_raw_values(app, client, login, world, who, path):
    login(who)
    if path == "lookup":
        response = client.post("/staff/hotline/lookup", data={"caller_number": "13800138000"},
                               headers=ZH)
    else:
        response = client.get(path.format(case=world), headers=ZH)
    assert response.status_code == 200
    raw = RAW_RE.findall(_text(response.get_data(as_text=True)))
    assert not raw, f"{path} shows raw values {raw}"
    with app.app_context():
        assert db.session.get_one(Case, world).status in ("open", "under_review")


def test_every_catalogue_entry_is_translated_and_not_fuzzy():
    with CATALOG.open("rb") as fh:
        catalog = read_po(fh, locale="zh")
    bad = [m.id for m in catalog if m.id and (m.fuzzy or not (
        m.string if isinstance(m.string, str) else all(m.string)))]
    assert not bad, f"empty or fuzzy msgstr: {bad[:10]}"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_label_kind_has_distinct_labels_in_both_languages(app, language):
    """Two values with one label (two queue filters both "待处理") cannot be told apart."""
    with app.test_request_context(headers={"Accept-Language": language}):
        for kind, values in LABELS.items():
            shown = [label(kind, value) for value in values]
            assert len(set(shown)) == len(shown), f"{kind}: {shown}"
            assert all(shown), kind


@pytest.mark.parametrize("language", ["zh", "en"])
def test_labeller_shows_what_label_shows(app, language):
    """A page translates a kind's labels once (labeller) and shows exactly what label shows:
    the label, "—" for no value, the stored value itself when it has no label."""
    with app.test_request_context(headers={"Accept-Language": language}):
        for kind, values in LABELS.items():
            shown = labeller(kind)
            for value in [*values, None, "", "no-such-value"]:
                assert shown(value) == label(kind, value), (kind, value)
        if language == "zh":
            assert labeller("channel")("hotline") == "热线"


def test_queue_status_filter_options_differ_in_chinese(client, make_user, login):
    make_user("ada", role="admin", desks=())
    login("ada")
    page = client.get("/staff/queue", headers=ZH).get_data(as_text=True)
    select = page[page.index('id="f-status"'):]
    options = re.findall(r"<option[^>]*>([^<]*)</option>", select[:select.index("</select>")])
    assert len(options) == len(STATUS_CHOICES) == len(set(options)), options


@pytest.mark.parametrize("kind, values", [
    ("channel", CHANNELS), ("status", CASE_STATUSES), ("outcome", OUTCOMES), ("role", ROLES),
    ("platform", PLATFORM_KEYS), ("mail_kind", KINDS), ("band", BANDS),
])
def test_every_stored_value_has_a_label(kind, values):
    assert set(LABELS[kind]) == set(values)
