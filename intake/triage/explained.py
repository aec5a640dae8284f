"""The report's own text with the model's reasons marked on it, as escaped HTML.

Spans come from classifier.explain through triage (report.reasons["spans"]); offsets are
into the text the model read (triage.report_text). The text is cut into pieces (plain text
plus flags), and `marked` joins them into HTML here, in Python, once per report: every
piece of the reporter's text goes through markupsafe.escape, and the only markup added is
the fixed <mark> tag. A Jinja macro call per piece made this most of the case page's time.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from flask import Flask
from markupsafe import Markup, escape

from intake.core.models import Report
from intake.triage.scoring import report_text


@dataclass(frozen=True)
class Piece:
    """A run of text and how the model read it (no flags: it did not matter much)."""

    text: str
    topic: bool = False  # pushed towards the predicted topic
    effect: str | None = None  # "raise" or "lower": what it did to P(actionable)


def _marks(reasons: dict | None, text: str) -> list[tuple[int, int, str]]:
    """Return (start, end, kind) of every stored span that still matches the text."""
    spans = (reasons or {}).get("spans") or {}
    marks = []
    for kind in ("topic", "actionable"):
        for row in spans.get(kind) or []:
            start, end = row.get("start"), row.get("end")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
                continue
            if text[start:end] != row.get("text"):
                continue  # the text changed since scoring: show it unmarked
            marks.append((start, end, "topic" if kind == "topic" else
                          "raise" if (row.get("weight") or 0) > 0 else "lower"))
    return marks


def pieces(text: str, marks: list[tuple[int, int, str]], offset: int = 0) -> list[Piece]:
    """Cut text (found at offset in the model's text) into pieces at every mark boundary."""
    end_at = offset + len(text)
    cuts = {offset, end_at}
    for start, end, _ in marks:
        cuts.update(c for c in (start, end) if offset < c < end_at)
    bounds = sorted(cuts)
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        kinds = {kind for start, end, kind in marks if start <= a and b <= end}
        effect = "raise" if "raise" in kinds else "lower" if "lower" in kinds else None
        out.append(Piece(text[a - offset:b - offset], "topic" in kinds, effect))
    return out


def highlighted(report: Report) -> dict[str, list[Piece]] | None:
    """Return the claim and explanation as pieces, or None when no spans were stored."""
    if not (report.reasons or {}).get("spans"):
        return None
    text = report_text(report)
    marks = _marks(report.reasons, text)
    claim = report.claim or ""
    out = {"claim": pieces(claim, marks)}
    if report.explanation:
        out["explanation"] = pieces(report.explanation, marks, len(claim) + 1 if claim else 0)
    return out


def marked(pieces_: list[Piece], why: Mapping[str, str]) -> Markup:
    """Return the pieces as HTML: text escaped, marked pieces in <mark> titled from `why`.

    `why` holds the titles ("topic", "raise", "lower"), translated once per page. Only the
    fixed tag, the fixed class names and escaped strings are joined (plain str formatting:
    Markup's own % took twice as long for the 50 reports of a page).
    """
    out: list[str] = []
    for piece in pieces_:
        text = str(escape(piece.text))
        kinds = (["topic"] if piece.topic else []) + (
            [piece.effect] if piece.effect in ("raise", "lower") else [])
        if kinds:
            classes = " ".join(["why"] + [f"why-{kind}" for kind in kinds])
            title = escape(" · ".join(why[kind] for kind in kinds))
            text = f'<mark class="{classes}" title="{title}">{text}</mark>'
        out.append(text)
    # Every piece of the reporter's text and every title is escaped above; the classes are ours.
    return Markup("".join(out))  # noqa: S704


def marked_text(report: Report, why: Mapping[str, str]) -> dict[str, Markup] | None:
    """Return the claim and explanation as marked HTML, or None when no spans were stored."""
    parts = highlighted(report)
    return None if parts is None else {name: marked(p, why) for name, p in parts.items()}


def shown_terms(pairs: list | None) -> list[tuple[str, float]]:
    """Return the term list of an old row without internal feature names (signal:*)."""
    return [(str(term), float(weight)) for term, weight in pairs or []
            if not str(term).startswith("signal:")]


def init_app(app: Flask) -> None:
    """Make the helpers available to the case page's include files."""
    app.jinja_env.globals.update(marked_text=marked_text, shown_terms=shown_terms)
