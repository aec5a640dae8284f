"""Flask-WTF forms for the staff pages: login and the audit trail filters."""

from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from intake.audit.trail import AuditFilter
from intake.reports.forms import Form, clean_text, plausible_date


class LoginForm(Form):
    username = StringField(
        _l("Username"),
        filters=[clean_text],
        validators=[DataRequired(message=_l("Enter your username.")), Length(max=80)],
        render_kw={"autocomplete": "username", "autocapitalize": "none",
                   "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


class AuditFilterForm(Form):
    class Meta:
        csrf = False  # a read-only GET search; nothing to forge

    actor = StringField(_l("Who"), filters=[clean_text], validators=[Optional(), Length(max=80)],
                        description=_l("A username, or cli:NAME for command-line changes."))
    action = StringField(_l("Action"), filters=[clean_text],
                         validators=[Optional(), Length(max=40)],
                         description=_l("For example user.login, or user for every user action."))
    target_type = StringField(_l("Object type"), filters=[clean_text],
                              validators=[Optional(), Length(max=40)])
    target_id = StringField(_l("Object ID"), filters=[clean_text],
                            validators=[Optional(), Length(max=64)])
    since = DateField(_l("From (UTC)"), validators=[Optional(), plausible_date],
                      format="%Y-%m-%d")
    until = DateField(_l("To (UTC, inclusive)"), validators=[Optional(), plausible_date],
                      format="%Y-%m-%d")

    def validate_until(self, field: DateField) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_("The end date is before the start date."))

    def to_filter(self) -> AuditFilter:
        """Return the service filter for the submitted values."""
        since, until = self.since.data, self.until.data
        return AuditFilter(
            actor=(self.actor.data or "").strip() or None,
            action=(self.action.data or "").strip() or None,
            target_type=(self.target_type.data or "").strip() or None,
            target_id=(self.target_id.data or "").strip() or None,
            since=datetime.combine(since, time()) if since else None,
            until=datetime.combine(until, time()) + timedelta(days=1) if until else None,
        )
