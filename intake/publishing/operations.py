"""Publish and withdraw debunks of decided cases; each change is audited on its case."""

import re
import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from intake.audit import trail as audit
from intake.core.extensions import db
from intake.core.links import is_valid_url
from intake.core.models import Case, Decision, utcnow
from intake.publishing.models import Debunk
from intake.users.models import User

PUBLISHABLE = ("false", "misleading", "accurate")  # spam and unverifiable teach nobody
MAX_CLAIM = 500
MAX_EXPLANATION = 4000
MAX_SOURCES = 10
MAX_SLUG = 60
# Control characters cannot go into XML (the feed) and nobody types them; keep tab and newline.
_CONTROL = {c: None for c in range(32) if c not in (9, 10, 13)} | {0x7F: None}


class PublishError(ValueError):
    """A debunk that cannot be published or withdrawn; the message says what to do.

    status is the HTTP answer: 400 for input to fix, 409 for a case in the wrong state.
    """

    def __init__(self, message, status: int = 400, field: str | None = None):
        # Translated now, as a plain string: a lazy one counts as safe markup in Jinja, and
        # a quoted source link must be escaped.
        super().__init__(str(message))
        self.status, self.field = status, field


def debunk_of(case_id: int) -> Debunk | None:
    """Return the debunk of a case, published or withdrawn, or None."""
    return db.session.scalar(db.select(Debunk).where(Debunk.case_id == case_id))


def desk_of(case: Case) -> str:
    """Return the desk the case was decided for: its current decision's final topic."""
    final = db.session.scalar(db.select(Decision.final_topic).where(
        Decision.case_id == case.id, Decision.current.is_(True)).order_by(Decision.id.desc())
        .limit(1))
    return final or case.topic or "off-topic"


def refusal(case: Case) -> str | None:
    """Return why the case cannot be published now, or None when it can."""
    if case.status != "resolved" or not case.outcome:
        return str(_l("Case %(id)d is not decided: decide it before publishing a debunk.",
                      id=case.id))
    return outcome_refusal(case.outcome)


def outcome_refusal(outcome: str | None) -> str | None:
    """Return why a decision with this outcome cannot be published, or None when it can."""
    if outcome not in PUBLISHABLE:
        return str(_l("Only false, misleading or accurate findings are published: a case "
                      "decided as not verifiable or not a valid report gets no debunk page."))
    return None


def slugify(text: str, fallback: str) -> str:
    """Return a short ASCII slug of the text (Chinese has none: then the fallback)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > MAX_SLUG:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or fallback


def clean_text(value: str | None) -> str:
    """Return the text stripped, without control characters."""
    return (value or "").translate(_CONTROL).strip()


def clean_sources(text: str | None) -> list[str]:
    """Return the cited links, one per line; raise PublishError naming a bad one."""
    links = [line.strip() for line in clean_text(text).splitlines() if line.strip()]
    if len(links) > MAX_SOURCES:
        raise PublishError(_l("Cite at most %(n)d sources.", n=MAX_SOURCES), field="sources")
    for link in links:
        if not is_valid_url(link):
            raise PublishError(_l("This source is not a web address starting with http:// or "
                                  "https://: %(url)s", url=link[:200]), field="sources")
    return list(dict.fromkeys(links))


def check_input(claim_reviewed: str | None, explanation: str | None, sources: str | None,
                public_note: str | None) -> tuple[str, str, list[str]]:
    """Return the cleaned claim, explanation and sources; raise PublishError on bad input."""
    claim_reviewed = clean_text(claim_reviewed)
    # The decision's public note is the starting point of the explanation.
    explanation = clean_text(explanation) or clean_text(public_note)
    if not claim_reviewed:
        raise PublishError(_l("Write the claim reviewed, in your own words."),
                           field="claim_reviewed")
    if len(claim_reviewed) > MAX_CLAIM:
        raise PublishError(_l("The claim reviewed is too long: use at most %(n)d characters.",
                              n=MAX_CLAIM), field="claim_reviewed")
    if not explanation:
        raise PublishError(_l("Write the explanation: what the desk found and how (the "
                              "decision has no public note to start from)."),
                           field="explanation")
    if len(explanation) > MAX_EXPLANATION:
        raise PublishError(_l("The explanation is too long: use at most %(n)d characters.",
                              n=MAX_EXPLANATION), field="explanation")
    return claim_reviewed, explanation, clean_sources(sources)


def _state(debunk: Debunk | None) -> dict | None:
    if debunk is None:
        return None
    iso = lambda value: value.isoformat(timespec="seconds") if value else None  # noqa: E731
    return {"debunk_id": debunk.id, "slug": debunk.slug, "verdict": debunk.verdict,
            "claim_reviewed": debunk.claim_reviewed, "sources": debunk.source_list(),
            "published_at": iso(debunk.published_at),
            "unpublished_at": iso(debunk.unpublished_at)}


def publish(case: Case, user: User, claim_reviewed: str | None, explanation: str | None = None,
            sources: str | None = None, *, ip: str | None = None) -> Debunk:
    """Publish the debunk of a decided case, or update and republish the one it has."""
    if (problem := refusal(case)) is not None:
        raise PublishError(problem, 409)
    claim_reviewed, explanation, links = check_input(claim_reviewed, explanation, sources,
                                                     case.public_note)
    debunk, desk, now = debunk_of(case.id), desk_of(case), utcnow()
    before = _state(debunk)
    if debunk is None:
        debunk = Debunk(case_id=case.id, created_at=now)
    if not debunk.is_live:  # first publication, or again after a withdrawal
        debunk.published_at, debunk.unpublished_at = now, None
    debunk.claim_reviewed, debunk.explanation = claim_reviewed, explanation
    debunk.sources = "\n".join(links) or None
    debunk.topic, debunk.verdict = desk, case.outcome or ""  # refusal(): always decided
    debunk.slug = slugify(claim_reviewed, desk)
    debunk.published_by_id, debunk.updated_at = user.id, now
    db.session.add(debunk)
    try:
        db.session.flush()
    except IntegrityError as exc:  # another moderator published this case a moment ago
        db.session.rollback()
        raise PublishError(_l("Someone else published case %(id)d at the same moment: reload "
                              "the page and check their text.", id=case.id), 409) from exc
    audit.record(user, "debunk.publish", "case", case.id, before, _state(debunk), ip=ip)
    return debunk


def unpublish(case: Case, user: User | str, *, reason: str | None = None,
              ip: str | None = None) -> Debunk:
    """Withdraw the published debunk of a case: its page answers 410 Gone from now on."""
    debunk = debunk_of(case.id)
    if debunk is None or not debunk.is_live:
        raise PublishError(_l("Case %(id)d has no published debunk to withdraw.", id=case.id),
                           409)
    before = _state(debunk)
    debunk.unpublished_at = debunk.updated_at = utcnow()
    db.session.flush()
    audit.record(user, "debunk.unpublish", "case", case.id, before,
                 dict(_state(debunk) or {}, reason=reason), ip=ip)
    return debunk


def withdraw_on_reopen(case: Case, user: User | str, *, reason: str = "case reopened",
                       ip: str | None = None) -> None:
    """Withdraw the case's debunk when its verdict no longer stands (reopened, or reversed
    on appeal); nothing when none is live."""
    debunk = debunk_of(case.id)
    if debunk is not None and debunk.is_live:
        unpublish(case, user, reason=reason, ip=ip)
