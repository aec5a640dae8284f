"""Staff search: the index behind it (one row per report, the migration's backfill), odd and
too-long searches, the Chinese page, and the query's desk rule against the case page's."""


import importlib.util

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations

from intake.core.extensions import db
from intake.core.models import Case, Report
from intake.core.schema import MIGRATIONS
from intake.triage.scoring import TOPICS
from intake.users.models import User
from intake.users.permissions import may_work, workable

from .conftest import ZH, found_cases, search


def test_a_too_long_search_is_refused_with_a_message(client, admin):
    response = search(client, "x" * 201)

    assert response.status_code == 400 and "at most 200 characters" in response.text


def test_the_chinese_page_is_in_chinese(client, admin, store):
    _, case_id = store("网传电池起火。", "battery-safety")

    page = client.get("/staff/search", query_string={"q": "电池起火"}, headers=ZH).text
    short = client.get("/staff/search", query_string={"q": "电"}, headers=ZH).text

    assert "找到 1 个案件" in page and "电池与充电安全" in page and "搜索案件" in page
    assert "搜索内容太短" in short


def test_every_stored_report_is_indexed_once(app, store, call):
    store("one")
    call("139 1111 2222", "two")
    with app.app_context():
        reports = db.session.scalar(db.select(db.func.count()).select_from(Report))
        indexed = db.session.scalar(db.text("SELECT count(*) FROM report_search"))

    assert indexed == reports == 2


# The migration runs and commits on a connection of its own, as `flask db upgrade` does.
@pytest.mark.commits
def test_the_migration_backfills_reports_stored_before_it(app, client, admin, store):
    _, case_id = store("网传充电桩漏电伤人，旧视频。", "battery-safety")
    spec = importlib.util.spec_from_file_location(
        "search_migration", f"{MIGRATIONS}/versions/0008_search.py")
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(db.text("DELETE FROM report_search"))  # as before the migration
        with Operations.context(MigrationContext.configure(connection)):
            migration._backfill(connection.dialect.name)

    assert found_cases(search(client, "充电桩漏电")) == [case_id]


@pytest.mark.parametrize("q", [
    "\x00\x00", "a.b/\x00", "%_%", "' OR 1=1 --", '"unclosed', "NEAR(a b)", "a* OR b",
    "++++", "0" * 15, "+" + "9" * 20, "http://", "https://例子.中国/路径", "🚗🔥", "ＲＤ－",
    "rd-0000-0000", "\u200b\u200b", "a" * 200,
])
def test_odd_searches_never_fail(client, make_user, login, store, call, q):
    store("A claim.", "battery-safety")
    call("139 1111 2222", "来电称充电站爆炸。")
    for name, role in (("ada", "admin"), ("mona", "moderator")):
        make_user(name, role, ("battery-safety",))
    for name in ("ada", "mona", "olga"):
        login(name)
        assert search(client, q).status_code == 200, name
        client.post("/staff/logout")


@pytest.mark.parametrize(("role", "desks"), [
    ("admin", ()), ("moderator", ("battery-safety", "vehicle-data")),
    ("moderator", ("road-cloud",)),
    ("operator", ()),
])
def test_the_query_rule_is_the_case_page_rule(app, make_user, store, role, desks):
    for topic in (*TOPICS, None):
        store(f"A claim for {topic}.", topic)
    make_user("someone", role, desks)
    with app.app_context():
        user = db.session.scalars(db.select(User).where(User.username == "someone")).one()
        cases = db.session.scalars(db.select(Case)).all()
        in_query = set(db.session.scalars(db.select(Case.id).where(workable(user))))

        assert in_query == {case.id for case in cases if may_work(user, case.topic)}
