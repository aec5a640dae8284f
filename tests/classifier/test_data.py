"""Reading labelled CSVs: good files load, bad files name the row and the reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from classifier import (
    TOPIC_LABELS,
    TOPICS,
    DataError,
    LabelledData,
    load_starter_corpus,
    read_labelled_csv,
)

HEADER = "text,topic,actionable\n"


def test_taxonomy_has_bilingual_labels() -> None:
    assert set(TOPIC_LABELS) == set(TOPICS)
    assert TOPIC_LABELS["battery-safety"]["zh"] == "电池与充电安全"
    assert all(set(labels) == {"zh", "en"} for labels in TOPIC_LABELS.values())


def test_reads_good_file_with_bom_extra_columns_and_multiline(
    write_csv: Callable[..., Path],
) -> None:
    content = (
        "\ufeffid,Text,topic,actionable,note\n"
        '1,"电池起火, 转发",battery-safety,1,x\n'
        '2,"line one\nline two",off-topic,false,\n'
        "3,Robotaxi crash,autonomous-driving,TRUE,\n"
    )
    data = read_labelled_csv(write_csv(content))
    assert data.texts == ["电池起火, 转发", "line one\nline two", "Robotaxi crash"]
    assert data.topics == ["battery-safety", "off-topic", "autonomous-driving"]
    assert data.actionable == [1, 0, 1]
    assert len(data) == 3


@pytest.mark.parametrize(
    ("content", "row", "needle"),
    [
        ("text,topic\nhello,off-topic\n", 1, "missing column(s) actionable"),
        (HEADER + "ok,off-topic,0\nbad,weather,0\n", 3, "unknown topic 'weather'"),
        (HEADER + "ok,off-topic,0\nok,off-topic,1\n  ,off-topic,0\n", 4, "empty text"),
        (HEADER + "ok,off-topic,yes\n", 2, "actionable must be 0, 1, true or false"),
        (HEADER + '"two\nlines",off-topic,0\nbad,nope,0\n', 4, "unknown topic"),
        (HEADER + "short row\n", 2, "unknown topic ''"),
    ],
)
def test_bad_rows_name_row_and_reason(
    write_csv: Callable[..., Path], content: str, row: int, needle: str
) -> None:
    with pytest.raises(DataError) as caught:
        read_labelled_csv(write_csv(content))
    assert caught.value.row == row
    assert needle in caught.value.reason
    assert f"row {row}" in str(caught.value)


@pytest.mark.parametrize("encoding", ["latin-1", "gb18030"])
def test_non_utf8_bytes_are_an_encoding_error(
    write_csv: Callable[..., Path], encoding: str
) -> None:
    text = HEADER + "ok,off-topic,0\n" + "café 电池起火,battery-safety,1\n"
    raw = text.encode(encoding, errors="ignore")
    with pytest.raises(DataError) as caught:
        read_labelled_csv(write_csv(raw))
    assert "not UTF-8" in caught.value.reason
    assert caught.value.row == 3


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"  \n\n"])
def test_empty_file(write_csv: Callable[..., Path], content: bytes) -> None:
    with pytest.raises(DataError, match="empty") as caught:
        read_labelled_csv(write_csv(content))
    assert caught.value.row is None


def test_header_only_file(write_csv: Callable[..., Path]) -> None:
    with pytest.raises(DataError, match="no data rows"):
        read_labelled_csv(write_csv(HEADER))


def test_labelled_data_hash_and_subset(tiny_data: LabelledData) -> None:
    part = tiny_data.subset([0, 1])
    assert len(part) == 2 and part.texts == tiny_data.texts[:2]
    assert part.sha256() != tiny_data.sha256()
    doubled = LabelledData(2 * part.texts, 2 * part.topics, 2 * part.actionable)
    assert (part + part).sha256() == doubled.sha256()
    with pytest.raises(ValueError, match="same length"):
        LabelledData(["a"], [], [])


def test_load_starter_corpus_needs_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no starter corpus"):
        load_starter_corpus(tmp_path)
