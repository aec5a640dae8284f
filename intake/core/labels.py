"""One label per stored value people see (channels, statuses, outcomes, platforms, roles).

Templates call `label(kind, value)`; no page shows a raw value such as `hotline` or `open`.
"""

from collections.abc import Callable, Mapping
from functools import partial

from flask_babel import lazy_gettext as _l

from intake.core.vocabulary import OUTCOME_LABELS, PLATFORM_NAMES

LABELS = {
    "channel": {"web": _l("Web form"), "hotline": _l("Hotline"), "api": _l("API")},
    "status": {"open": _l("Open"), "under_review": _l("Under review"),
               "appealed": _l("Under appeal"), "resolved": _l("Resolved"),
               "merged": _l("Merged")},
    "outcome": OUTCOME_LABELS,
    "platform": PLATFORM_NAMES,
    "role": {"operator": _l("Operator"), "moderator": _l("Moderator"), "admin": _l("Admin")},
    "mail_kind": {"receipt": _l("Receipt"), "decision": _l("Decision"), "appeal": _l("Appeal")},
    # Language names are written in their own language, as on the language switch.
    "language": {"zh": "中文", "en": "English"},
    # Bands keep their short names (P1 is what moderators say) with what they mean.
    "band": {"P1": _l("P1 · most urgent"), "P2": _l("P2 · urgent"), "P3": _l("P3 · normal"),
             "P4": _l("P4 · low")},
    "scoring": {"scored": _l("Scored"), "unscored": _l("Not scored yet")},
}


def _shown(names: Mapping, value: str | None) -> str:
    if value is None or value == "":
        return "—"
    return str(names.get(value, value))


def label(kind: str, value: str | None) -> str:
    """Return the label of a stored value in the reader's language ("—" for none)."""
    return _shown(LABELS[kind], value)


def labeller(kind: str) -> Callable[[str | None], str]:
    """Return `label` for one kind with its labels translated once, for a page that shows one
    per row: each translation of a lazy label looks up the locale and catalogue again (on the
    queue, 50 rows of channel labels were 3 % of the page's instructions). Call it per page
    or request, never keep the result: it is in the reader's language of the moment."""
    return partial(_shown, {value: str(text) for value, text in LABELS[kind].items()})


def activation_note(note: str | None) -> str:
    """Return why a model version became active ("trained", "promote", "rollback from v")."""
    kind, _space, rest = (note or "").partition(" ")
    if kind == "trained":
        return str(_l("trained and made active"))
    if kind == "promote":
        return str(_l("made active"))
    if kind == "rollback":
        return str(_l("rolled back from %(version)s", version=rest.removeprefix("from ")))
    return note or ""


def init_labels(app) -> None:
    """Make `label`, `labeller` and `activation_note` available to every template."""
    app.jinja_env.globals["label"] = label
    app.jinja_env.globals["labeller"] = labeller
    app.jinja_env.globals["activation_note"] = activation_note
