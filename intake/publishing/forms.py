"""Flask-WTF forms of debunk publishing: publish (with a decision or later), withdraw."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from intake.cases.public_notes import any_note
from intake.core.models import Case
from intake.publishing import operations as publishing
from intake.publishing.operations import MAX_CLAIM, MAX_EXPLANATION, MAX_SOURCES
from intake.reports.forms import Form

# The decide form carries these fields too, under this prefix, beside the decision's own.
PREFIX = "debunk"


class PublishForm(Form):
    """The moderator's own words about the claim: never the reporters' text."""

    publish = BooleanField(_l("Publish a debunk page about this case"))
    claim_reviewed = TextAreaField(
        _l("Claim reviewed"),
        description=_l("State the claim in your own words, as the public page shows it. "
                       "Never copy a reporter's text, name or contact details."),
        validators=[Optional(), Length(max=MAX_CLAIM, message=_l(
            "The claim reviewed is too long: use at most %(max)d characters."))],
    )
    explanation = TextAreaField(
        _l("Explanation"),
        description=_l("What the desk found and how. Left empty, the decision's public note "
                       "is used."),
        validators=[Optional(), Length(max=MAX_EXPLANATION, message=_l(
            "The explanation is too long: use at most %(max)d characters."))],
    )
    sources = TextAreaField(
        _l("Sources cited"),
        description=_l("Links the desk cites, one per line, starting with http:// or "
                       "https:// (at most %(n)d).", n=MAX_SOURCES),
        validators=[Optional(), Length(max=MAX_SOURCES * 2100, message=_l(
            "The sources are too long."))],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)

    def ticked(self) -> bool:
        """Return whether the moderator asked to publish."""
        return bool(self.publish.data)


class UnpublishForm(Form):
    """Withdraw a published debunk: the page answers 410 Gone from then on."""

    reason = StringField(
        _l("Why withdraw it?"),
        description=_l("Kept in the case history and the audit trail; staff only."),
        validators=[DataRequired(message=_l("Say why the debunk is withdrawn.")),
                    Length(max=500, message=_l("Give the reason in at most %(max)d "
                                                "characters."))],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "unpublish")  # the reopen form has a "reason" too
        super().__init__(*args, **kwargs)


def precheck(form: PublishForm, outcome: str | None, public_note: str | None) -> bool:
    """Before a decision with "publish" ticked: put on the form why it cannot be published."""
    if not form.ticked():
        return True
    try:
        if (problem := publishing.outcome_refusal(outcome)) is not None:
            raise publishing.PublishError(problem, 409, field="publish")
        publishing.check_input(form.claim_reviewed.data, form.explanation.data,
                               form.sources.data, public_note)
    except publishing.PublishError as exc:
        show_error(form, exc)
        return False
    return True


def show_error(form: PublishForm, exc: "publishing.PublishError") -> None:
    """Put a refusal of the publishing operation under the field it is about."""
    field = getattr(form, exc.field or "publish")
    field.errors = [*field.errors, str(exc)]


def case_context(case: Case, debunk_form: PublishForm | None = None,
                 unpublish_form: UnpublishForm | None = None) -> dict:
    """Return what the case page shows about publishing: the debunk, the forms, any refusal."""
    debunk = publishing.debunk_of(case.id)
    if debunk_form is None:
        if case.status == "resolved":  # its own form, filled from the debunk or the decision
            data = ({"claim_reviewed": debunk.claim_reviewed, "explanation": debunk.explanation,
                     "sources": debunk.sources or ""} if debunk is not None
                    else {"explanation": any_note(case.public_note, case.public_note_en) or ""})
            debunk_form = PublishForm(formdata=None, data=data)
        else:  # part of the decide form, which carries the CSRF token
            debunk_form = PublishForm(formdata=None, meta={"csrf": False})
    return {"debunk": debunk, "debunk_form": debunk_form,
            "unpublish_form": unpublish_form or UnpublishForm(formdata=None),
            "debunk_refusal": publishing.refusal(case) if case.status == "resolved" else None}
