"""Apply a matched decided case's verdict: the moderator's own decision, in one action."""

from flask_babel import lazy_gettext as _l

from intake.audit import trail as audit
from intake.cases import decisions
from intake.core.extensions import db
from intake.core.models import Case, Decision
from intake.users.models import User


def apply_verdict(case: Case, user: User, *, ip: str | None = None) -> Decision:
    """Decide a case with its matched case's verdict and public note; audited, as a decision."""
    if case.match_case_id is None:
        raise decisions.DecisionError(_l("Case %(id)d matches no decided case: decide it on "
                                         "its page.", id=case.id))
    source = db.session.get(Case, case.match_case_id)
    if (source is None or source.status != "resolved" or source.outcome is None
            or source.outcome != case.match_outcome):
        raise decisions.DecisionError(_l(
            "The matched case is no longer decided that way: decide this case yourself."))
    final = db.session.scalars(db.select(Decision.final_topic).where(
        Decision.case_id == source.id, Decision.current)).first()
    # In a savepoint with the decision: if the decision fails, this record goes too.
    with db.session.begin_nested():
        audit.record(user, "case.apply_match", "case", case.id,
                     before={"status": case.status},
                     after={"source_case_id": source.id, "outcome": source.outcome,
                            "similarity": case.match_similarity}, ip=ip)
        return decisions.decide(case, user, source.outcome,
                                case.topic or final or source.topic, source.public_note, None,
                                ip=ip, public_note_en=source.public_note_en)
