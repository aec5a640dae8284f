"""Forms of appeals: the reporter's appeal (status page) and the moderator's appeal decision."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; types-WTForms is 3.2
from wtforms.validators import DataRequired, Length, Optional

from intake.cases.decision_forms import OUTCOME_LABELS
from intake.cases.decisions import MAX_PUBLIC_NOTE
from intake.reports.forms import Form

MAX_REASON = 2000  # the default of MAX_APPEAL_REASON; the operation checks the setting


class AppealForm(Form):
    """Why the reporter disagrees; CSRF-protected like every public form."""

    reason = TextAreaField(
        _l("Why do you disagree with the decision?"),
        description=_l("Up to 2,000 characters. Tell us what the moderator may have missed, "
                       "with links if you have them. A moderator who did not take the first "
                       "decision will review the case."),
        validators=[DataRequired(message=_l("Say why you disagree with the decision.")),
                    Length(max=MAX_REASON, message=_l(
                        "Use at most %(max)d characters for the reason."))],
    )


class AppealDecisionForm(Form):
    """Uphold or reverse the decision under appeal, with a note every reporter sees."""

    result = RadioField(
        _l("Appeal result"),
        choices=[SelectChoice("upheld", _l("Uphold the decision")),
                 SelectChoice("reversed", _l("Reverse it to a new outcome"))],
        validators=[DataRequired(message=_l("Choose whether the decision is upheld or "
                                            "reversed."))],
    )
    new_outcome = SelectField(
        _l("New outcome (when reversed)"),
        choices=[SelectChoice("", _l("Choose an outcome")),
                 *(SelectChoice(key, label) for key, label in OUTCOME_LABELS.items())],
        validators=[Optional()],
    )
    public_note = TextAreaField(
        _l("Public note on the appeal"),
        description=_l("Shown to every reporter of this case and mailed to those who asked. "
                       "No names of staff or reporters."),
        validators=[DataRequired(message=_l("Write a public note: it tells the reporters "
                                            "why.")),
                    Length(max=MAX_PUBLIC_NOTE, message=_l(
                        "The public note is too long: use at most %(max)d characters."))],
    )
