"""Flask-WTF forms of the case page: decide one case, decide several, reopen, move desk."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; types-WTForms is 3.2
from wtforms.validators import DataRequired, Length, Optional

from intake.cases.decisions import MAX_INTERNAL_NOTE, MAX_PUBLIC_NOTE
from intake.cases.public_notes import any_note
from intake.core.vocabulary import OUTCOME_LABELS
from intake.reports.forms import Form
from intake.triage.scoring import TOPICS, topic_label


def _outcome_field() -> SelectField:
    return SelectField(
        _l("Outcome"),
        choices=[SelectChoice("", _l("Choose an outcome")),
                 *(SelectChoice(key, label) for key, label in OUTCOME_LABELS.items())],
        validators=[DataRequired(message=_l("Choose an outcome."))],
    )


NOTE_LABEL = _l("Public note")
NOTE_HELP = _l("Shown to every reporter of this case on their status page. "
               "No names of staff or reporters.")
NOTE_TOO_LONG = _l("The public note is too long: use at most %(max)d characters.")


def _public_note(label=NOTE_LABEL, description=NOTE_HELP, too_long=NOTE_TOO_LONG
                 ) -> TextAreaField:
    return TextAreaField(label, description=description, validators=[
        Optional(), Length(max=MAX_PUBLIC_NOTE, message=too_long)])


def _internal_note() -> TextAreaField:
    return TextAreaField(
        _l("Internal note"),
        description=_l("Only staff see this."),
        validators=[Optional(), Length(max=MAX_INTERNAL_NOTE, message=_l(
            "The internal note is too long: use at most %(max)d characters."))],
    )


class DecisionForm(Form):
    outcome = _outcome_field()
    final_topic = SelectField(_l("Final topic"),
                              validators=[DataRequired(message=_l("Choose the final topic."))])
    # One note per language: a reporter reads theirs, or the other when theirs is empty.
    public_note = _public_note(_l("Public note in Chinese"), _l(
        "Shown to reporters who read Chinese, and to the others when the English note is "
        "empty. No names of staff or reporters."), _l(
        "The Chinese public note is too long: use at most %(max)d characters."))
    public_note_en = _public_note(_l("Public note in English"), _l(
        "Shown to reporters who read English, and to the others when the Chinese note is "
        "empty."), _l("The English public note is too long: use at most %(max)d characters."))
    internal_note = _internal_note()

    def any_public_note(self) -> str | None:
        """Either note, for what needs one whatever its language (a debunk's explanation)."""
        return any_note(self.public_note.data, self.public_note_en.data)

    def set_topics(self, language: str, default: str | None) -> "DecisionForm":
        """Offer the topics in the reader's language, the case's own topic first chosen."""
        self.final_topic.choices = [SelectChoice("", _l("Choose the final topic"))] + [
            SelectChoice(key, topic_label(key, language)) for key in TOPICS]
        if not self.is_submitted() and default in TOPICS:
            self.final_topic.data = default
        return self


class BulkDecisionForm(Form):
    outcome = _outcome_field()
    public_note = _public_note()
    internal_note = _internal_note()


class ReopenForm(Form):
    """Why the decision is taken back, and a confirmation: reporters lose the verdict."""

    reason = TextAreaField(
        _l("Why reopen this case?"),
        description=_l("Kept in the case history and the audit trail; staff only."),
        validators=[DataRequired(message=_l("Say why the case is reopened.")),
                    Length(min=5, max=MAX_INTERNAL_NOTE, message=_l(
                        "Give the reason in 5 to %(max)d characters."))],
    )
    confirm = BooleanField(
        _l("I understand: the verdict disappears from the reporters' status pages, which "
           "show the case under review again."),
        validators=[DataRequired(message=_l("Tick the box to confirm the reopening."))],
    )


class DeskMoveForm(Form):
    """Which desk the case goes to and why; the desk is checked by desk_moves, not here."""

    desk = SelectField(_l("Move to desk"), validate_choice=False,
                       validators=[DataRequired(message=_l("Choose the desk to move the "
                                                           "case to."))])
    reason = TextAreaField(
        _l("Why move it?"),
        description=_l("Kept in the case history and the audit trail; the new desk also "
                       "teaches the model this case's topic."),
        validators=[DataRequired(message=_l("Say why the case moves."))])

    def for_case(self, language: str, current: str | None) -> "DeskMoveForm":
        """Offer every desk but the case's own, in the reader's language."""
        self.desk.choices = [SelectChoice("", _l("Choose a desk"))] + [
            SelectChoice(key, topic_label(key, language)) for key in TOPICS if key != current]
        return self
