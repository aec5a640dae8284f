"""Transparency figures: a fixture month with known numbers, recounted, in local months."""

import csv
import io
import json
import statistics
from datetime import datetime

import pytest

from intake.appeals.models import Appeal
from intake.core.extensions import db
from intake.core.models import Decision, Report
from intake.publishing.models import Debunk
from intake.transparency import figures as transparency

from .month_data import SHANGHAI, UTC


def _compute(app, first="2026-01", last="2026-04"):
    with app.app_context():
        return transparency.compute(transparency.month_range(first, last))


def _local_month(value: datetime) -> str:
    return value.replace(tzinfo=UTC).astimezone(SHANGHAI).strftime("%Y-%m")


def test_march_has_the_known_numbers(world):
    result = _compute(world)
    march = {f.month: f for f in result.months}["2026-03"]
    assert march.by_channel == {"web": 2, "hotline": 1, "api": 1} and march.reports == 4
    assert march.by_language == {"zh": 2, "en": 2}
    assert march.by_outcome == {"false": 1, "misleading": 1, "accurate": 1, "spam": 1}
    assert march.median_hours == pytest.approx(60) and march.p90_hours == pytest.approx(1416)
    assert (march.scored, march.scored_share) == (2, 0.5)
    assert (march.suggested, march.topic_changed) == (3, 2)
    assert (march.appeals_received, march.appeals_upheld, march.appeals_reversed) == (2, 1, 1)
    assert march.debunks_published == 1
    assert result.partner_available == hasattr(Report, "partner_id")
    if not result.partner_available:
        assert march.partner_reports is None and result.total.partner_reports is None


def test_month_edges_are_local(world):
    by_month = {f.month: f for f in _compute(world).months}
    assert by_month["2026-02"].reports == 0  # 23:30 UTC on 28 Feb went to March
    assert by_month["2026-02"].debunks_published == 1  # 15:59 UTC is still 28 Feb there
    assert by_month["2026-04"].reports == 1 and by_month["2026-04"].decisions == 1
    assert by_month["2026-01"].reports == 1


def test_figures_equal_a_recount(world):
    result = _compute(world)
    with world.app_context():
        reports = db.session.scalars(db.select(Report)).all()
        decisions = db.session.scalars(db.select(Decision)).all()
        appeals = db.session.scalars(db.select(Appeal)).all()
        debunks = db.session.scalars(db.select(Debunk)).all()
        first = {}
        for r in reports:
            first[r.case_id] = min(first.get(r.case_id, r.received_at), r.received_at)
        for f in result.months:
            mine = [r for r in reports if _local_month(r.received_at) == f.month]
            done = [d for d in decisions if _local_month(d.decided_at) == f.month]
            assert f.reports == len(mine)
            assert f.scored == sum(r.scoring_status == "scored" for r in mine)
            for channel in ("web", "hotline", "api"):
                assert f.by_channel.get(channel, 0) == sum(r.channel == channel for r in mine)
            assert f.decisions == len(done)
            hours = [(d.decided_at - first[d.case_id]).total_seconds() / 3600 for d in done]
            assert f.median_hours == (statistics.median(hours) if hours else None)
            assert f.topic_changed == sum(d.model_topic is not None
                                          and d.model_topic != d.final_topic for d in done)
            assert f.appeals_received == sum(_local_month(a.created_at) == f.month
                                             for a in appeals)
            assert f.appeals_reversed == sum(a.result == "reversed" and a.decided_at is not None
                                             and _local_month(a.decided_at) == f.month
                                             for a in appeals)
            assert f.debunks_published == sum(d.published_at is not None
                                              and _local_month(d.published_at) == f.month
                                              for d in debunks)
    total = result.total
    assert total.reports == 6 and total.decisions == 5
    assert total.appeals_received == 3 and total.debunks_published == 2
    assert total.median_hours == pytest.approx(48)


def test_csv_has_a_row_per_month_and_a_total(world):
    out = world.test_cli_runner().invoke(
        args=["reports", "transparency", "--from", "2026-01", "--to", "2026-04", "--csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert [r["month"] for r in rows] == ["2026-01", "2026-02", "2026-03", "2026-04", "total"]
    march, total = rows[2], rows[-1]
    assert (march["reports"], march["reports_web"], march["reports_lang_zh"]) == ("4", "2", "2")
    assert (march["decided_spam"], march["median_hours_to_decision"]) == ("1", "60.0")
    assert (march["topic_changed"], march["appeals_reversed"]) == ("2", "1")
    assert (total["reports"], total["decisions"], total["debunks_published"]) == ("6", "5", "2")
    assert sum(int(r["reports"]) for r in rows[:-1]) == int(total["reports"])


def test_json_parses(world):
    out = world.test_cli_runner().invoke(
        args=["reports", "transparency", "--from", "2026-03", "--to", "2026-03", "--json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    assert doc["from"] == doc["to"] == "2026-03" and len(doc["months"]) == 1
    assert doc["months"][0]["reports"] == 4 and doc["total"]["p90_hours_to_decision"] == 1416
    assert doc["total"]["scored_share"] == 0.5


@pytest.mark.parametrize(("args", "hint"), [
    (["--from", "2026-13", "--to", "2026-12"], "--from"),
    (["--from", "March", "--to", "2026-03"], "--from"),
    (["--from", "2026-03", "--to", "2026/04"], "--to"),
    (["--from", "2026-05", "--to", "2026-03"], "--from"),
    (["--from", "2000-01", "--to", "2026-03"], "--from"),
])
def test_bad_months_are_a_clear_error(pinned, args, hint):
    out = pinned.test_cli_runner().invoke(args=["reports", "transparency", *args])
    assert out.exit_code == 2
    assert hint in out.output and "Traceback" not in out.output
    assert "YYYY-MM" in out.output or "after" in out.output or "at most" in out.output


def test_text_output_without_options_covers_the_last_12_months(pinned):
    out = pinned.test_cli_runner().invoke(args=["reports", "transparency"])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].startswith("2025-05:") and lines[-2].startswith("2026-04:")
    assert lines[-1].startswith("total:")
