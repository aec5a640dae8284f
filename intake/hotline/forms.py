"""Flask-WTF forms of the operator call screen and the caller lookup."""

import re
import uuid
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; types-WTForms is 3.2
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from intake.core.clock import local_now, to_utc
from intake.core.links import is_valid_url
from intake.hotline.calls import Call, CallerNumberError, normalise_number
from intake.reports.forms import (
    CLAIM_LENGTH,
    EXPLANATION_LENGTH,
    PLATFORMS,
    TIDY,
    Form,
    clean_text,
    half_width,
    plausible_date,
    split_urls,
)
from intake.reports.limits import (
    CLAIM_MAX,
    CLAIM_MIN,
    EXPLANATION_MAX,
    LANGUAGES,
    PHONE_MAX,
    PHONE_RE,
    URL_MAX,
)

CALL_ID_RE = re.compile(r"^op-[0-9a-f]{32}$")
# The questions to ask, in order; the screen shows each in both languages.
SCRIPT = (
    _l("Thank you for calling the report hotline. May I have the number you are calling from?"),
    _l("Which language would you like to use, Chinese or English?"),
    _l("What did you see or hear? Please tell me what it claims."),
    _l("Where did you see it: which app, website, group chat or place, and when?"),
    _l("Why do you think it is false or misleading?"),
    _l("Is anyone in danger right now because of it?"),
    _l("May we call you back at this number about your report?"),
    _l("Here is your tracking code. I will read it slowly; please write it down."),
)
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}  # each in its own language: not translated
NUMBER_FIELD: dict[str, Any] = dict(
    filters=[clean_text, half_width],
    validators=[DataRequired(message=_l("Enter the caller's phone number.")),
                Regexp(PHONE_RE, message=_l("Enter a phone number using digits, spaces or "
                                            "dashes, with an optional leading +."))],
    render_kw={"type": "tel", "autocomplete": "off", "maxlength": PHONE_MAX},
)


def _now_local() -> datetime:
    return local_now("HOTLINE_TIMEZONE").replace(second=0, microsecond=0)


class CallForm(Form):
    call_id = HiddenField(default=lambda: f"op-{uuid.uuid4().hex}")
    caller_number = StringField(_l("Caller's number"), **NUMBER_FIELD)
    # Rendered as a text box, not datetime-local: Chromium makes Tab walk that field piece by
    # piece. (DateTimeLocalField: WTForms 3.4 drops DateTimeField.)
    started_at = DateTimeLocalField(
        # types-WTForms 3.2 types this default as a time (copied from TimeField): it is a datetime.
        _l("Call started"), format="%Y-%m-%d %H:%M", default=_now_local,  # type: ignore[arg-type]
        validators=[DataRequired(message=_l("Enter when the call started, like "
                                            "2026-11-20 14:03.")), plausible_date],
        description=_l("Local time of the call centre, YYYY-MM-DD HH:MM."),
        render_kw={"type": "text", "autocomplete": "off"})
    language = SelectField(_l("Caller's language"),
                           choices=[SelectChoice(key, LANGUAGE_NAMES[key]) for key in LANGUAGES])
    claim = TextAreaField(
        _l("What did the caller see or hear?"), filters=TIDY,
        validators=[DataRequired(message=_l("Write down what the content claims.")),
                    Length(min=CLAIM_MIN, max=CLAIM_MAX, message=CLAIM_LENGTH)])
    platform = SelectField(_l("Where did they see it?"), default="",
                           choices=[SelectChoice(key, name) for key, name in PLATFORMS])
    url = StringField(_l("Link, if the caller has one"), filters=[clean_text],
                      validators=[Optional(), Length(max=URL_MAX)])
    explanation = TextAreaField(
        _l("Why do they think it is false?"), filters=TIDY,
        validators=[Length(max=EXPLANATION_MAX, message=EXPLANATION_LENGTH)])
    urgent = BooleanField(_l("Urgent: someone's safety is at risk right now"))
    consent = BooleanField(_l("The caller agrees to be called back at this number"))
    notes = TextAreaField(_l("Operator notes (staff only)"), filters=[clean_text],
                          validators=[Length(max=4000,
                                             message=_l("Use at most 4,000 characters."))])

    # Messages quoting input are translated now: lazy strings would count as safe markup.
    def validate_caller_number(self, field: StringField) -> None:
        try:
            normalise_number(field.data)
        except CallerNumberError:
            raise ValidationError(_("This is not a phone number: give 5 to 15 digits.")) from None

    def validate_url(self, field: StringField) -> None:
        if field.data and not is_valid_url(field.data.strip()):
            raise ValidationError(_("A link must start with http:// or https://."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Name the zone the operator types in: the call screen and every staff page agree.
        self.started_at.description = _("Local time of the call centre (%(zone)s), "
                                        "YYYY-MM-DD HH:MM.", zone=current_app.config[
                                            "HOTLINE_TIMEZONE"])

    def validate_started_at(self, field: DateTimeLocalField) -> None:
        if field.data and field.data > _now_local().replace(second=59):
            raise ValidationError(_("The call cannot start in the future."))

    def to_call(self) -> Call:
        """Return the call as the service takes it (start time converted to UTC)."""
        started, number = self.started_at.data, self.caller_number.data
        if started is None or number is None:  # both required: validate() refuses the form
            raise ValueError("to_call() needs a validated form")
        return Call(
            number=number, claim=(self.claim.data or "").strip(),
            started_at=to_utc(started, "HOTLINE_TIMEZONE"),
            language=self.language.data, platform=self.platform.data or None,
            urls=split_urls(self.url.data), explanation=(self.explanation.data or "").strip()
            or None, urgent=self.urgent.data, consent=self.consent.data,
            notes=(self.notes.data or "").strip() or None,
            call_id=self.call_id.data if CALL_ID_RE.match(self.call_id.data or "") else None,
        )


class LookupForm(Form):
    caller_number = StringField(_l("Caller's number"), **NUMBER_FIELD)

    def validate_caller_number(self, field: StringField) -> None:
        CallForm.validate_caller_number(self, field)
