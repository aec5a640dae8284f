"""Priority 0–100 from named components, its band and the SLA due time."""

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

# Harm that a moderator would act on first; topic severity is the floor.
SAFETY_WORDS = re.compile(
    r"fire|burn|explo|smoke|injur|dead|death|died|kill|crash|recall|brake|thermal runaway|"
    r"起火|着火|自燃|爆炸|冒烟|烧|伤|死|亡|撞|召回|刹车|失控|热失控",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PriorityInput:
    """What the priority of a case depends on."""

    p_actionable: float
    topic: str
    text: str
    channel: str | None  # the case's most trusted channel; unknown gets the lowest trust
    report_count: int = 1
    reports_last_24h: int = 1
    reporter_count: int | None = None  # distinct reporters; None: one per report
    urgent: bool = False
    waiting_hours: float = 0.0
    trust: float | None = None  # misuse.case_trust: partner bonus, spam or suspension points


def components(item: PriorityInput, config: dict) -> dict[str, float]:
    """Return each named component scaled by its configured weight."""
    weights = config["PRIORITY_WEIGHTS"]
    severity = config["TOPIC_SEVERITY"].get(item.topic, 0.3)
    if SAFETY_WORDS.search(item.text):
        severity = max(severity, config["SAFETY_WORD_SEVERITY"])
    # Demand grows with the log of distinct reporters and of the last day's reports (no more
    # than the reporters), so a viral case rises without drowning the rest and one person
    # sending the same report 50 times does not.
    reporters = max(1, min(item.report_count, item.reporter_count or item.report_count))
    growth = max(1, min(item.reports_last_24h, reporters))
    demand = min(1.0, math.log2(reporters) / 6 + math.log2(growth) / 8)
    trust = config["CHANNEL_TRUST"].get(item.channel, 0.3)
    if item.urgent:
        trust = 1.0
    waiting = min(1.0, item.waiting_hours / config["PRIORITY_WAITING_FULL_HOURS"])
    raw = {
        "actionable": item.p_actionable,
        "severity": severity,
        "demand": max(0.0, demand),
        "channel": trust,
        "waiting": waiting,
    }
    parts = {name: round(weights[name] * value, 2) for name, value in raw.items()}
    if item.trust:  # a trusted partner (+), or only suspended or spamming reporters (-)
        parts["trust"] = float(item.trust)
    return parts


def band_for(score: float, config: dict) -> str:
    """Return P1–P4 for a priority score."""
    for band, threshold in config["PRIORITY_BANDS"]:
        if score >= threshold:
            return band
    return "P4"


def due_at(received: datetime, band: str, config: dict) -> datetime:
    """Return when a case in this band must be decided."""
    return received + timedelta(hours=config["SLA_HOURS"][band])


def with_appeal(parts: dict[str, float], waiting_hours: float, urgent: bool,
                config: dict) -> tuple[float, dict[str, float], str]:
    """Return (priority, components, band) of an appealed case: its own components, waiting
    counted from the appeal, and the appeal's own component on top."""
    parts = dict(parts)
    waiting = min(1.0, waiting_hours / config["PRIORITY_WAITING_FULL_HOURS"])
    parts["waiting"] = round(config["PRIORITY_WEIGHTS"]["waiting"] * waiting, 2)
    parts["appeal"] = float(config["APPEAL_PRIORITY"])
    total = round(max(0.0, min(100.0, sum(parts.values()))), 1)
    if urgent:
        total = max(total, float(config["URGENT_PRIORITY_FLOOR"]))
    return total, parts, band_for(total, config)


def score(item: PriorityInput, config: dict) -> tuple[float, dict[str, float], str]:
    """Return (priority 0–100, its components, band)."""
    parts = components(item, config)
    total = round(max(0.0, min(100.0, sum(parts.values()))), 1)
    if item.urgent:  # a hotline caller reported a risk to safety right now
        total = max(total, float(config["URGENT_PRIORITY_FLOOR"]))
    return total, parts, band_for(total, config)
