"""The fixture month: March 2026 in Asia/Shanghai with known numbers, rows at pinned times.

Used by the transparency tests and the browser test (call inside an app context).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from intake.appeals.models import Appeal
from intake.core.extensions import db
from intake.core.models import Case, Decision, Report
from intake.publishing.models import Debunk
from intake.reports.tracking import new_code

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)  # naive UTC, as stored


def _case(reports, decisions=()):
    """reports: (received_at, channel, language, scored); decisions: (at, outcome, model, final)."""
    first = min(r[0] for r in reports)
    case = Case(status="resolved" if decisions else "open", topic="battery-safety",
                created_at=at(first), updated_at=at(first), report_count=len(reports))
    case.reports = [Report(tracking_code=new_code(), channel=channel, language=language,
                           received_at=at(when), claim="A parked EV caught fire.",
                           scoring_status="scored" if scored else "unscored")
                    for when, channel, language, scored in reports]
    db.session.add(case)
    db.session.flush()
    made = []
    for when, outcome, model, final in decisions:
        made.append(Decision(case_id=case.id, decided_at=at(when), outcome=outcome,
                             model_topic=model, final_topic=final, current=True))
    db.session.add_all(made)
    db.session.flush()
    return case, made


def _appeal(case, created, decided=None, result=None):
    db.session.add(Appeal(case_id=case.id, report_id=case.reports[0].id, reason="Wrong.",
                          status="decided" if decided else "open", created_at=at(created),
                          original_outcome="false", result=result,
                          decided_at=at(decided) if decided else None))


def _debunk(case, published):
    db.session.add(Debunk(case_id=case.id, slug="ev-fire", claim_reviewed="An EV caught fire.",
                          explanation="It did not.", topic="battery-safety", verdict="false",
                          published_at=at(published) if published else None))


def fill_month() -> None:
    """March 2026 (Asia/Shanghai) with known numbers; neighbours just across its edges."""
    # 23:30 UTC on the last day of February is 07:30 on 1 March in Shanghai.
    a, _ = _case([("2026-02-28T23:30", "web", "zh", True),
                  ("2026-03-05T10:00", "hotline", "en", False)],
                 [("2026-03-02T23:30", "false", "battery-safety", "battery-safety")])  # 48 h
    b, _ = _case([("2026-03-10T00:00", "api", "zh", True)],
                 [("2026-03-10T10:00", "misleading", "vehicle-data", "battery-safety"),  # 10 h
                  ("2026-03-13T00:00", "accurate", "vehicle-data", "battery-safety")])  # 72 h
    # 15:30 UTC on 31 March is 23:30 in Shanghai (March); 16:30 UTC is already April.
    c, _ = _case([("2026-03-31T15:30", "web", "en", False),
                  ("2026-03-31T16:30", "web", "zh", False)],
                 [("2026-03-31T16:30", "false", None, "battery-safety")])  # April
    d, _ = _case([("2026-01-20T00:00", "web", "zh", True)],
                 [("2026-03-20T00:00", "spam", None, "off-topic")])  # 1416 h
    _appeal(b, "2026-03-12T00:00", "2026-03-13T00:00", "reversed")
    _appeal(d, "2026-03-21T00:00")  # still open
    _appeal(a, "2026-02-10T00:00", "2026-02-28T17:00", "upheld")  # decided 1 March local
    _debunk(b, "2026-03-11T00:00")
    _debunk(a, "2026-02-28T15:59")  # 23:59 on 28 February in Shanghai
    _debunk(c, None)  # a draft: not published
    db.session.commit()
