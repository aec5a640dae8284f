"""What a Chinese reader sees on a page, and what on it is not Chinese: raw stored values,
escaped characters, catalogue phrases left in English, English sentences."""

import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po
from werkzeug.http import HTTP_STATUS_CODES

import classifier
from intake.cases.queue import STATUS_CHOICES
from intake.core.models import CASE_STATUSES, CHANNELS, OUTCOMES
from intake.notifications.models import KINDS, STATUSES
from intake.reports.forms import PLATFORM_KEYS
from intake.users.models import ROLES

CATALOG = Path(__file__).resolve().parents[2] / "intake/translations/zh/LC_MESSAGES/messages.po"

# Every stored value with a label; none may reach a Chinese reader as it is stored.
AUDIT_ACTIONS = (r"(?:case|user|model|report|evidence|callback|queue|outbox|appeal|debunk"
                 r"|partner)\.[a-z_]+")
RAW_VALUES = sorted({*CHANNELS, *CASE_STATUSES, *OUTCOMES, *ROLES, *KINDS, *STATUSES,
                     *(k for k in PLATFORM_KEYS if len(k) > 1), *STATUS_CHOICES,
                     *classifier.TOPICS, "scored", "unscored", "anonymous", "starter",
                     "trained", "promote", "rollback", "True", "False", "None", "zh", "en",
                     "claimed_by_id", "claimed_until", "p_actionable", "actionable",
                     *HTTP_STATUS_CODES.values()}, key=len, reverse=True)
# ASCII boundaries: in "待处理open" the value is still raw, though \w would join them.
RAW_RE = re.compile(r"(?<![A-Za-z0-9_/.#:-])(" + AUDIT_ACTIONS + "|"
                    + "|".join(map(re.escape, RAW_VALUES)) + r")(?![A-Za-z0-9_/-])")
ESCAPE_RE = re.compile(r"\\u[0-9a-fA-F]{4}")
# Three English words in a row on a Chinese page: a sentence somebody did not translate.
ENGLISH_RE = re.compile(r"\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}\b")
ENGLISH_ALLOWED = {"Report Desk"}
# The audit filter's hint names the code an admin types into it: a code, not a label.
RAW_ALLOWED = {("/staff/audit", "user.login")}


def _catalogue():
    with CATALOG.open("rb") as fh:
        return read_po(fh, locale="zh")


def english_phrases() -> list[str]:
    """Return the literal parts of catalogue entries long enough to recognise on a page."""
    phrases = set()
    for message in _catalogue():
        for msgid in (message.id if isinstance(message.id, tuple) else (message.id,)):
            for piece in re.split(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", msgid or ""):
                piece = " ".join(piece.split()).strip(" .,:;()")
                if len(piece) >= 12 and " " in piece:
                    phrases.add(piece)
    return sorted(phrases)


class _Reader(HTMLParser):
    """Collect what a reader sees: text and titles/labels, minus scripts, styles and the
    parts marked lang="en" on purpose (the hotline script is read to English callers)."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "col", "area", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is its content hidden?

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = bool(self.stack and self.stack[-1]) or tag in ("script", "style") or (
            (attrs.get("lang") or "").startswith("en"))
        if not hidden:
            self.parts += [attrs[a] for a in ("title", "aria-label", "placeholder", "alt")
                           if attrs.get(a)]
        if tag not in self.VOID:
            self.stack.append(hidden)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def _text(page: str) -> str:
    reader = _Reader()
    reader.feed(page)
    return " ".join(" ".join(reader.parts).split())


def problems_on(path: str, page: str, phrases: list[str]) -> list[str]:
    text = _text(page)
    found = [f"raw value {m!r}" for m in RAW_RE.findall(text)
             if (path.split("?")[0], m) not in RAW_ALLOWED]
    found += [f"escaped character {m!r}" for m in ESCAPE_RE.findall(text)]
    found += [f"untranslated {p!r}" for p in phrases if p in text]
    found += [f"English {m.group(0)!r}" for m in ENGLISH_RE.finditer(text)
              if m.group(0) not in ENGLISH_ALLOWED]
    return sorted(set(found))
