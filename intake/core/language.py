"""Cheap language detection for the two languages the desk works in."""


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"


def detect_language(text: str) -> str:
    """Return "zh" when Chinese characters make up a fair share of the letters, else "en"."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "en"
    cjk = sum(1 for ch in letters if _is_cjk(ch))
    # One Chinese character carries about as much as a whole English word.
    return "zh" if cjk * 4 >= len(letters) - cjk else "en"
