"""The topic taxonomy and labelled report CSVs (text,topic,actionable) with row-precise errors."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

TOPICS: tuple[str, ...] = (
    "autonomous-driving",
    "battery-safety",
    "vehicle-data",
    "policy-standards",
    "industry-market",
    "road-cloud",
    "off-topic",
)

TOPIC_LABELS: dict[str, dict[str, str]] = {
    "autonomous-driving": {"zh": "自动驾驶与辅助驾驶", "en": "Autonomous driving & ADAS"},
    "battery-safety": {"zh": "电池与充电安全", "en": "Battery & charging safety"},
    "vehicle-data": {"zh": "车辆数据与网络安全", "en": "Vehicle data & cybersecurity"},
    "policy-standards": {"zh": "政策法规与标准", "en": "Policy, regulation & standards"},
    "industry-market": {"zh": "企业与市场", "en": "Industry & market"},
    "road-cloud": {"zh": "车路云与基础设施", "en": "Vehicle-road-cloud & infrastructure"},
    "off-topic": {"zh": "其他", "en": "Other"},
}


def topic_label(topic: str, language: str = "en") -> str:
    """Return the display label of a topic key in the given language ("zh" or "en")."""
    labels = TOPIC_LABELS[topic]
    return labels.get(language, labels["en"])


REQUIRED_COLUMNS: tuple[str, ...] = ("text", "topic", "actionable")
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
_ACTIONABLE_VALUES = {"0": 0, "1": 1, "false": 0, "true": 1}
# A row whose topic is known but not whether it is actionable (a moderator moved the case to
# another desk before deciding it): the topic model learns from it, the actionable one skips it.
UNLABELLED = -1


class DataError(Exception):
    """A labelled-data file that cannot be used, with the offending line when known."""

    def __init__(self, reason: str, row: int | None = None, path: str | None = None) -> None:
        self.reason = reason
        self.row = row
        self.path = path
        where = f"{path}: " if path else ""
        at = f"row {row}: " if row is not None else ""
        super().__init__(f"{where}{at}{reason}")


@dataclass
class LabelledData:
    """Parallel lists of report texts, topic keys and 0/1 actionable labels (or UNLABELLED)."""

    texts: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    actionable: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not len(self.texts) == len(self.topics) == len(self.actionable):
            raise ValueError("texts, topics and actionable must have the same length")

    def __len__(self) -> int:
        return len(self.texts)

    def __add__(self, other: LabelledData) -> LabelledData:
        return LabelledData(
            self.texts + other.texts,
            self.topics + other.topics,
            self.actionable + other.actionable,
        )

    def subset(self, indices: Iterable[int]) -> LabelledData:
        """Return the rows at the given positions, in that order."""
        idx = list(indices)
        return LabelledData(
            [self.texts[i] for i in idx],
            [self.topics[i] for i in idx],
            [self.actionable[i] for i in idx],
        )

    def sha256(self) -> str:
        """Return a content hash that identifies exactly this training set."""
        payload = json.dumps([self.texts, self.topics, self.actionable], ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _decode(raw: bytes, path: str) -> str:
    try:
        # utf-8-sig accepts files saved by Excel/Notepad with a byte-order mark.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        reason = (
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at line {line}); "
            "save the file as UTF-8 (e.g. 'CSV UTF-8' in Excel) and try again"
        )
        raise DataError(reason, row=line, path=path) from None


def _parse_actionable(value: str | None, line: int, path: str) -> int:
    key = (value or "").strip().lower()
    if key not in _ACTIONABLE_VALUES:
        raise DataError(f"actionable must be 0, 1, true or false, got {value!r}", line, path)
    return _ACTIONABLE_VALUES[key]


def read_labelled_csv(path: str | os.PathLike[str]) -> LabelledData:
    """Read a UTF-8 CSV with columns text, topic, actionable; raise DataError on any bad row."""
    name = str(path)
    raw = Path(path).read_bytes()
    text = _decode(raw, name)
    if not text.strip():
        raise DataError("file is empty; expected a header line text,topic,actionable", None, name)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [col.strip().lower() for col in next(reader)]
    missing = [col for col in REQUIRED_COLUMNS if col not in header]
    if missing:
        found = ",".join(header)
        need = ",".join(REQUIRED_COLUMNS)
        raise DataError(
            f"missing column(s) {', '.join(missing)}; header is {found!r}, need {need}", 1, name
        )
    pos = {col: header.index(col) for col in REQUIRED_COLUMNS}
    data = LabelledData()
    end_of_previous = reader.line_num
    for record in reader:
        # A quoted field may span lines, so the record starts right after the previous one ended.
        line, end_of_previous = end_of_previous + 1, reader.line_num
        if not record or not any(cell.strip() for cell in record):
            continue
        cells = {col: record[i] if i < len(record) else "" for col, i in pos.items()}
        if not cells["text"].strip():
            raise DataError("empty text", line, name)
        topic = cells["topic"].strip()
        if topic not in TOPICS:
            known = ", ".join(TOPICS)
            raise DataError(f"unknown topic {topic!r}; expected one of {known}", line, name)
        data.texts.append(cells["text"].strip())
        data.topics.append(topic)
        data.actionable.append(_parse_actionable(cells["actionable"], line, name))
    if not data:
        raise DataError("file has a header but no data rows", None, name)
    return data


def load_starter_corpus(directory: str | os.PathLike[str] | None = None) -> LabelledData:
    """Read and concatenate every classifier/corpus/*.csv in name order."""
    folder = Path(directory) if directory is not None else CORPUS_DIR
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise DataError(f"no starter corpus CSV files in {folder}")
    data = LabelledData()
    for file in files:
        data = data + read_labelled_csv(file)
    return data
