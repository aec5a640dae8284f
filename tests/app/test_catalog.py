"""Every user-facing string is marked for translation and translated into Chinese."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "intake" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"


def _source_messages() -> set[str]:
    method_map = [("intake/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT), method_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_source_string_is_in_the_chinese_catalog():
    with CATALOG.open("rb") as fh:
        catalog = read_po(fh)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(_source_messages() - translated)
    assert not missing, f"run `make extract` and translate: {missing[:10]}"
