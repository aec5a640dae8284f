"""Data for the staff pages bench: N cases with reports, search rows, history, and real cases.

The N background cases come from bench/queue_data.py's loader (the queue's backlog and
history); each gets 1-3 reports with a link and a search index row (as bench/search.py) and
two audit events, so every table the case page and search read is as big as N makes it.
Then the cases whose page is timed (1, 5 and 50 reports) go through the real intake service
with the starter model scoring them (reasons, priority, signature, index terms), after an
earlier decided case of the same claim (claim match, similar cases); a moderator claims,
releases and claims again, so each has a history next to its intake events.
"""

import base64
import json
import random
import zlib
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, text

import classifier
from bench import queue_data
from bench.search import _claim
from intake.audit.models import AuditEvent
from intake.cases import claims, decisions
from intake.core.extensions import db
from intake.core.links import url_key
from intake.core.models import Case, Report, ReportUrl, utcnow
from intake.reports.operations import ReportInput, submit_report
from intake.reports.tracking import new_code
from intake.search.index import insert_sql
from intake.search.text import document
from intake.triage import scoring as triage
from intake.triage.models import ModelActivation, ModelVersion
from intake.users.models import User

SHOWN = (1, 5, 50)  # reports in each case whose page is timed
CLAIMS = {  # three unrelated rumours (claim, explanation), so each keeps a case of its own
    1: ("视频称武汉某小区地下车库一辆电动车充电时电池自燃起火，整栋楼被疏散",
        "物业说那天没有火警，视频是2019年外地的旧视频。"),
    5: ("A carmaker secretly sells in-car camera footage of drivers to advertisers",
        "The post cites no source and the carmaker denied it on Monday."),
    50: ("网传交通部发文：明年起全国禁止无人驾驶出租车上路运营",
         "部委官网查不到这份文件，截图里的文号格式也不对。"),
}


def _chunked_insert(statement, rows: list[dict], size: int = 5000) -> None:
    for start in range(0, len(rows), size):
        db.session.execute(statement, rows[start:start + size])


def background(total: int, backlog: int, claimer_id: int, seed: int = 13) -> list[str]:
    """Load the cases, their reports, links, search rows and history; return tracking codes."""
    queue_data.load(total, backlog, claimer_id)
    rng, now = random.Random(seed), utcnow().replace(microsecond=0)
    dialect = db.engine.dialect.name
    reports, urls, index, events, codes, seen = [], [], [], [], [], set()
    report_id = 0
    for case_id in range(1, total + 1):
        received = now - timedelta(minutes=total - case_id)
        for _ in range(rng.choice((1, 1, 2, 3))):
            report_id += 1
            code, claim = new_code(), _claim(rng, report_id)
            while code in seen:  # random codes: at 100k+ reports two may meet
                code = new_code()
            seen.add(code)
            codes.append(code)
            reports.append({"id": report_id, "tracking_code": code, "case_id": case_id,
                            "channel": "web", "received_at": received, "language": "zh",
                            "claim": claim, "contact_consent": False, "good_faith": True,
                            "scoring_status": "unscored", "urgent": False})
            link = f"https://weibo.com/{report_id}/post?utm_source=x"
            urls.append({"report_id": report_id, "position": 0, "url": link,
                         "url_key": url_key(link)})
            index.append({"id": report_id, "terms": document(claim, None)})
        for action in ("case.claim", "case.release"):
            events.append({"at": received, "actor_id": claimer_id, "actor_name": "bench-other",
                           "action": action, "target_type": "case", "target_id": str(case_id),
                           "before": {"status": "open"}, "after": {"status": "open"}})
    _chunked_insert(insert(Report), reports)
    _chunked_insert(insert(ReportUrl), urls)
    _chunked_insert(insert_sql(dialect), index)
    _chunked_insert(insert(AuditEvent), events)
    if dialect == "postgresql":  # ids were given: move the sequence on
        db.session.execute(text("SELECT setval('reports_id_seq', (SELECT max(id) FROM reports))"))
    db.session.commit()
    return codes


def _submit(claim: tuple[str, str], n: int, extra: str = "") -> Report:
    data = ReportInput(claim=claim[0] + extra, explanation=claim[1],
                       urls=[f"https://www.douyin.com/video/{zlib.crc32(claim[0].encode())}{n}?share=1"],
                       good_faith=True, reporter_key=f"bench-reporter-{n}")
    report, _ = submit_report(data, channel="web", upload_dir="/nonexistent")
    db.session.commit()
    return report


def _starter_model(cache: Path) -> None:
    """Register the starter model, training it only once for all bench databases (cache)."""
    if triage.has_models():
        return
    if not cache.exists():
        row = triage.train_and_register(classifier.load_starter_corpus(), created_by="bench")
        db.session.commit()
        cache.write_text(json.dumps({
            "version": row.version, "sha256": row.sha256, "size": row.size, "card": row.card,
            "artifact": base64.b64encode(row.artifact).decode(), "created_by": "bench"}))
        return
    fields = json.loads(cache.read_text())
    row = ModelVersion(**{**fields, "artifact": base64.b64decode(fields["artifact"])})
    db.session.add_all([row, ModelActivation(version=row, activated_by="bench", note="bench")])
    db.session.commit()


def shown_cases(moderator: User, admin: User, model_cache: Path) -> dict[int, int]:
    """Build the cases whose page is timed through the real services; return {reports: id}."""
    _starter_model(model_cache)
    found = {}
    for count, claim in CLAIMS.items():
        earlier = _submit(claim, 0).case  # decided before: a claim match and a similar case
        decisions.decide(earlier, admin, "false", "battery-safety", "旧视频，已辟谣。")
        db.session.commit()
        first = _submit(claim, 1)
        case = first.case
        if case.id == earlier.id or case.id in found.values():
            raise SystemExit(f"case {case.id} is not new: the bench's claims joined cases")
        for n in range(2, count + 1):
            report = _submit(claim, n, f"（第{n}次转发）" * (n % 2))
            if report.case_id != case.id:  # keep the bench's case sizes exact
                report.case_id = case.id
                db.session.commit()
        db.session.execute(db.update(Case).where(Case.id == case.id).values(
            topic="battery-safety", report_count=count))
        db.session.commit()
        for step in (claims.claim, claims.release, claims.claim):
            step(case.id, moderator)
            db.session.commit()
        found[count] = case.id
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return found
