"""Tracking codes in a form to read aloud on the phone: groups and a phonetic spelling."""

from dataclasses import dataclass

from intake.reports.tracking import PREFIX

# English: the ICAO/NATO spelling alphabet, digits as words ("niner" is not needed by phone).
EN = {
    "A": "Alfa", "B": "Bravo", "C": "Charlie", "D": "Delta", "E": "Echo", "F": "Foxtrot",
    "G": "Golf", "H": "Hotel", "J": "Juliett", "K": "Kilo", "M": "Mike", "N": "November",
    "P": "Papa", "Q": "Quebec", "R": "Romeo", "S": "Sierra", "T": "Tango", "V": "Victor",
    "W": "Whiskey", "X": "X-ray", "Y": "Yankee", "Z": "Zulu",
    "0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six",
    "7": "seven", "8": "eight", "9": "nine",
}
# Chinese: letters as they are commonly said, digits as on the phone (幺 for 1, 两 is avoided).
ZH = {
    "A": "诶", "B": "必", "C": "西", "D": "迪", "E": "伊", "F": "艾弗", "G": "吉", "H": "艾尺",
    "J": "杰", "K": "开", "M": "艾姆", "N": "艾恩", "P": "批", "Q": "丘", "R": "阿尔",
    "S": "艾斯", "T": "提", "V": "维", "W": "达布溜", "X": "艾克斯", "Y": "歪", "Z": "贼德",
    "0": "洞", "1": "幺", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六", "7": "拐",
    "8": "八", "9": "勾",
}
# Plain digits next to the radio-style ones, so a caller who does not know 拐/勾 still follows.
ZH_PLAIN = {"0": "零", "1": "一", "7": "七", "9": "九"}


@dataclass(frozen=True)
class Spoken:
    """A symbol and how to say it."""

    symbol: str
    said: str


def groups(code: str) -> list[str]:
    """Return the code's symbol groups after the prefix, e.g. ["7K3M", "9QXD"]."""
    return code.removeprefix(PREFIX + "-").split("-")


def _say(symbol: str, language: str) -> str:
    if language == "zh":
        said = ZH[symbol]
        plain = ZH_PLAIN.get(symbol)
        if symbol.isdigit():
            return f"{said}（{plain}）" if plain else said
        return f"{symbol}（{said}）"
    said = EN[symbol]
    return said if symbol.isdigit() else f"{symbol} as in {said}"


def spell(code: str, language: str) -> list[list[Spoken]]:
    """Return each group of the code as symbols with their spoken form in the language."""
    language = "zh" if language == "zh" else "en"
    return [[Spoken(ch, _say(ch, language)) for ch in group] for group in groups(code)]
