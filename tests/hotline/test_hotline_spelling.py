"""Tracking codes to read aloud: groups and a phonetic spelling in the caller's language."""

import pytest

from intake.hotline.spelling import EN, ZH, groups, spell
from intake.reports.tracking import ALPHABET, new_code


def said(code: str, language: str) -> list[str]:
    return [" ".join(s.said for s in group) for group in spell(code, language)]


def test_groups_leave_out_the_prefix():
    assert groups("RD-7K3M-9QXD") == ["7K3M", "9QXD"]


@pytest.mark.parametrize("language, expected", [
    ("en", ["seven K as in Kilo three M as in Mike",
            "nine Q as in Quebec X as in X-ray D as in Delta"]),
    ("zh", ["拐（七） K（开） 三 M（艾姆）", "勾（九） Q（丘） X（艾克斯） D（迪）"]),
])
def test_spelling_in_the_callers_language(language, expected):
    assert said("RD-7K3M-9QXD", language) == expected


@pytest.mark.parametrize("table", [EN, ZH])
def test_every_code_symbol_has_a_spoken_form(table):
    assert set(ALPHABET) == set(table)


def test_unknown_language_falls_back_to_english():
    code = new_code()
    assert said(code, "fr") == said(code, "en")
