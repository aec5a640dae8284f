"""The public note of a decision in two languages: which one a reader is shown.

`public_note` holds the Chinese note (and every note written before there were two, or
written without a language, as in bulk decisions); `public_note_en` the English one.
"""


def note_in(zh: str | None, en: str | None, language: str | None) -> str | None:
    """The note in the reader's language, else the other one: a reporter never gets nothing."""
    return (en or zh) if language == "en" else (zh or en)


def any_note(zh: str | None, en: str | None) -> str | None:
    """One note for readers of no stated language (partner API, debunk text): Chinese first."""
    return zh or en
