"""Flask-WTF forms for the public pages."""

import unicodedata
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; types-WTForms is 3.2
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from intake.core.clock import local_today, zone_name
from intake.core.links import is_valid_url
from intake.core.vocabulary import PLATFORM_KEYS, PLATFORM_NAMES
from intake.reports.evidence import Upload, sniff_type
from intake.reports.limits import (
    CLAIM_MAX,
    CLAIM_MIN,
    EMAIL_MAX,
    EMAIL_RE,
    EXPLANATION_MAX,
    FIRST_DATE,
    LAST_DATE,
    MAX_URLS,
    PHONE_MAX,
    PHONE_RE,
    URL_MAX,
    clean_text,
    tidy,
)

# The keys and their order are the schema's, the names core's vocabulary.
PLATFORMS = (("", _l("Choose a platform")), *((key, PLATFORM_NAMES[key]) for key in PLATFORM_KEYS))
# The links box: MAX_URLS links of URL_MAX characters, each with its line break (CR LF).
LINKS_BOX_MAX = MAX_URLS * (URL_MAX + 2)
TIDY = [clean_text, tidy]  # what the API does to a text field before checking it
# Messages that name a limit take it from the schema too.
CLAIM_LENGTH = _l("Use between %(min)d and %(max)s characters.", min=CLAIM_MIN,
                  max=f"{CLAIM_MAX:,}")
EXPLANATION_LENGTH = _l("Use at most %(max)s characters.", max=f"{EXPLANATION_MAX:,}")


def half_width(value):
    """Turn full-width letters and digits (a Chinese keyboard's ＲＤ－４５, １３８) into ASCII."""
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value


def plausible_date(form, field) -> None:
    """Refuse a date or date-time outside 1970-2100 with a message saying so."""
    value = field.data
    day = value.date() if isinstance(value, datetime) else value
    if day is not None and not FIRST_DATE <= day <= LAST_DATE:
        raise ValidationError(_("Give a date between %(first)d and %(last)d.",
                                first=FIRST_DATE.year, last=LAST_DATE.year))


class Form(FlaskForm):
    """Base of every form: each field's value is cleaned of NUL and lone surrogates.

    A field that forgot `filters=[clean_text]` let a NUL reach PostgreSQL, which refuses it
    with a 500; cleaning here covers every field of every form, present and future.
    """

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = [clean_text, *unbound_field.kwargs.get("filters", ())]
            return unbound_field.bind(form=form, **{**options, "filters": filters})


def split_urls(text: str | None) -> list[str]:
    """Return the non-empty lines of the links box."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ReportForm(Form):
    urls = TextAreaField(
        _l("Link(s) to the content"),
        filters=[clean_text],
        validators=[Length(max=LINKS_BOX_MAX, message=_l("The links are too long."))],
        description=_l("One link per line, up to %(n)d. Leave empty if there is no link.",
                       n=MAX_URLS),
    )
    platform = SelectField(_l("Where did you see it?"), default="",
                           choices=[SelectChoice(key, name) for key, name in PLATFORMS])
    claim = TextAreaField(
        _l("What does the content claim?"),
        filters=TIDY,
        validators=[
            DataRequired(message=_l("Tell us what the content claims.")),
            Length(min=CLAIM_MIN, max=CLAIM_MAX, message=CLAIM_LENGTH),
        ],
    )
    explanation = TextAreaField(
        _l("Why do you believe it is false or harmful?"),
        filters=TIDY,
        validators=[
            DataRequired(message=_l("Tell us why you believe it is false or harmful.")),
            Length(max=EXPLANATION_MAX, message=EXPLANATION_LENGTH),
        ],
    )
    seen_at = DateField(
        _l("When did you see it?"),
        validators=[Optional(), plausible_date],
        format="%Y-%m-%d",
        render_kw={"max": ""},
    )
    evidence = MultipleFileField(
        _l("Evidence (optional)"),
        description=_l("Up to 3 files: PNG, JPEG, WebP or PDF, 5 MB each."),
    )
    contact_email = StringField(
        _l("Email (optional)"),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=EMAIL_MAX, message=_l("Use at most %(max)d characters for the email.",
                                             max=EMAIL_MAX)),
            Regexp(EMAIL_RE, message=_l("Enter an email like name@example.com.")),
        ],
    )
    contact_phone = StringField(
        _l("Phone (optional)"),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=PHONE_MAX),
            Regexp(PHONE_RE, message=_l("Enter a phone number using digits, spaces or dashes.")),
        ],
    )
    contact_consent = BooleanField(_l("You may contact me about this report."))
    good_faith = BooleanField(
        _l("I report this in good faith and believe the information I give is accurate."),
        validators=[DataRequired(message=_l("Please confirm that you report in good faith."))],
    )
    # Honeypot: hidden from people by CSS, filled in by naive bots.
    website = StringField(_l("Leave this field empty"))

    # Messages that quote what the reporter sent are translated now, not lazily: a lazy
    # string counts as safe markup in Jinja, so a quoted link or file name would not be escaped.
    def validate_urls(self, field: TextAreaField) -> None:
        links = split_urls(field.data)
        if len(links) > MAX_URLS:
            raise ValidationError(_("Give at most %(n)d links.", n=MAX_URLS))
        # Every bad line is named, so one correction round fixes them all.
        bad = [(n, link) for n, link in enumerate(links, 1) if not is_valid_url(link)]
        messages = [_("Line %(n)d: %(problem)s", n=n, problem=_(
            "This is not a valid web address (it must start with http:// or https://): "
            "%(url)s", url=link[:200])) for n, link in bad]
        if messages:
            field.errors = [*field.errors, *messages[:-1]]  # WTForms appends the raised one
            raise ValidationError(messages[-1])

    def validate_evidence(self, field: MultipleFileField) -> None:
        files = [f for f in field.data or [] if getattr(f, "filename", "")]
        limit, max_bytes = current_app.config["MAX_FILES"], current_app.config["MAX_FILE_BYTES"]
        if len(files) > limit:
            raise ValidationError(_("Attach at most %(n)d files.", n=limit))
        self.uploads: list[Upload] = []
        for f in files:
            data = f.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise ValidationError(_("%(name)s is larger than 5 MB.", name=f.filename[:100]))
            kind = sniff_type(data[:16])
            if kind is None:
                raise ValidationError(
                    _("%(name)s is not a PNG, JPEG, WebP or PDF file.", name=f.filename[:100])
                )
            self.uploads.append(Upload(clean_text(f.filename), kind, data))

    def validate_seen_at(self, field: DateField) -> None:
        # "Today" is the newsroom's today: at 02:45 in Beijing it is still yesterday in UTC.
        if field.data and field.data > local_today():
            raise ValidationError(_(
                "The date cannot be in the future: today is %(today)s in %(zone)s.",
                today=local_today().isoformat(), zone=zone_name()))

    def ask_for_files_again(self) -> None:
        """Name the attached files a refused form could not keep, so nobody sends without them."""
        names = [f.filename[:100] for f in self.evidence.data or [] if getattr(f, "filename", "")]
        if names:
            self.evidence.errors = [*self.evidence.errors, _(
                "Your files were not kept because the form had mistakes: choose %(names)s "
                "again before you send it.", names=", ".join(names))]

    def validate_contact_consent(self, field: BooleanField) -> None:
        if field.data and not (self.contact_email.data or self.contact_phone.data):
            raise ValidationError(_("Give an email or phone number so we can contact you."))


class StatusForm(Form):
    class Meta:
        csrf = False  # a read-only GET lookup; nothing to forge

    code = StringField(
        _l("Tracking code"),
        validators=[DataRequired(message=_l("Enter your tracking code.")), Length(max=40)],
        render_kw={"placeholder": "RD-XXXX-XXXX", "autocomplete": "off"},
    )
