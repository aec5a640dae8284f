"""Call-log import: read a call-centre CSV export, validate every row, store in batches."""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from intake.audit import trail as audit
from intake.audit.trail import Actor
from intake.core.extensions import db
from intake.core.models import Report, utcnow
from intake.hotline.calls import MAX_SUMMARY, Call, CallerNumberError, caller, report_input
from intake.reports.operations import submit_batch
from intake.users.models import User

COLUMNS = ("call_id", "started_at", "caller_number", "language", "summary", "operator",
           "urgent", "consent")
YES = {"1", "y", "yes", "true", "是", "紧急", "同意"}
NO = {"", "0", "n", "no", "false", "否", "不", "不同意"}
LANGUAGES = {"zh": "zh", "zh-cn": "zh", "chinese": "zh", "中文": "zh", "普通话": "zh",
             "en": "en", "english": "en", "英文": "en", "英语": "en", "": None}
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")


class CallLogError(ValueError):
    """The file as a whole cannot be imported; the message says what to fix."""


class RowProblem(ValueError):
    """What is wrong with a row: `kind` is the same for every row with this fault."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind + detail)
        self.kind = kind


@dataclass
class Row:
    """One data row: its line number in the file, the raw values and the parsed call."""

    line: int
    values: dict[str, str]
    call: Call | None = None
    error: str | None = None  # the row's own message (the rejected file's error column)
    kind: str | None = None  # the fault without this row's value: rows are grouped by it


@dataclass
class ImportResult:
    """What an import did: tracking codes by call id, duplicates skipped, rows rejected."""

    codes: list[tuple[str, str]] = field(default_factory=list)
    duplicates: int = 0
    rejected: list[Row] = field(default_factory=list)


def decode(data: bytes) -> str:
    """Return the text of a UTF-8 (with or without BOM) or GB18030 file."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise CallLogError(f"the file is neither UTF-8 nor GB18030 text (byte "
                               f"{exc.start}); save it as UTF-8 CSV") from exc


def read_rows(data: bytes) -> tuple[list[str], list[Row]]:
    """Return the header and the data rows; raise CallLogError for an unusable file."""
    text = decode(data)
    if not text.strip():
        raise CallLogError("the file is empty: expected a header row with the columns "
                           + ",".join(COLUMNS))
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in next(reader)]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise CallLogError(f"the header row lacks the column(s) {', '.join(missing)}; "
                           f"it must name {','.join(COLUMNS)} (found: {','.join(header)[:200]})")
    rows, line = [], reader.line_num + 1
    for values in reader:
        if any(v.strip() for v in values):
            row = Row(line, dict(zip(header, values, strict=False)))
            if len(values) != len(header):
                row.kind = f"the row does not have the header's {len(header)} fields"
                row.error = f"{row.kind} (it has {len(values)})"
            rows.append(row)
        line = reader.line_num + 1
    if not rows:
        raise CallLogError("the file has a header but no call rows")
    return header, rows


def _flag(value: str, name: str) -> bool:
    value = value.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowProblem(f"{name}: write yes or no (or 1/0)", f", not {value[:20]!r}")


def _time(value: str, zone: ZoneInfo) -> datetime:
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        for fmt in TIME_FORMATS:
            try:
                parsed = datetime.strptime(value, fmt)  # noqa: DTZ007 - zone added below
                break
            except ValueError:
                continue
        else:
            raise RowProblem("started_at: write a time like 2026-11-20 14:03:00",
                             f", not {value[:30]!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    if parsed > utcnow() + timedelta(minutes=10):
        raise RowProblem("started_at: the call cannot start in the future")
    return parsed


def parse_row(row: Row, operators: dict[str, int], zone: ZoneInfo) -> Row:
    """Fill row.call, or row.error with the reason; never echoes the caller number."""
    if row.error:
        return row
    v = {name: (row.values.get(name) or "").strip() for name in COLUMNS}
    try:
        if not v["call_id"] or len(v["call_id"]) > 80:
            raise RowProblem("call_id: give the call's id, at most 80 characters")
        started = _time(v["started_at"], zone)
        try:
            caller(v["caller_number"])
        except CallerNumberError as exc:
            raise RowProblem("caller_number: not a phone number", f" ({exc})") from None
        if v["language"].lower() not in LANGUAGES:
            raise RowProblem("language: write zh or en", f", not {v['language'][:20]!r}")
        if len(v["summary"]) < 5 or len(v["summary"]) > MAX_SUMMARY:
            raise RowProblem(f"summary: write what the caller reported, 5 to {MAX_SUMMARY} "
                             "characters")
        urgent, consent = _flag(v["urgent"], "urgent"), _flag(v["consent"], "consent")
    except RowProblem as exc:
        row.error, row.kind = str(exc), exc.kind
        return row
    operator = v["operator"][:80]
    row.call = Call(
        number=v["caller_number"], claim=v["summary"].replace("\x00", ""), started_at=started,
        language=LANGUAGES[v["language"].lower()], urgent=urgent, consent=consent,
        call_id=v["call_id"], operator_id=operators.get(operator.lower()),
        notes=f"Call-centre operator: {operator}" if operator else None,
    )
    return row


def validate(rows: list[Row], progress: Callable[[int], None] | None = None) -> list[Row]:
    """Parse every row; mark a call id seen earlier in the file as an error. Return rows."""
    operators = {name: uid for uid, name in db.session.execute(db.select(User.id, User.username))}
    zone = ZoneInfo(current_app.config["HOTLINE_TIMEZONE"])
    seen: dict[str | None, int] = {}
    for row in rows:
        parse_row(row, operators, zone)
        if row.call and (first := seen.setdefault(row.call.call_id, row.line)) != row.line:
            row.call, row.kind = None, "call_id: the same call id is on an earlier line"
            row.error = f"call_id: the same call id is on line {first}"
        if progress:
            progress(1)
    return rows


def grouped_errors(rows: list[Row]) -> list[tuple[str, list[int]]]:
    """Return each kind of fault once with the lines that have it, in order of first sight."""
    groups: dict[str, list[int]] = {}
    for row in rows:
        if row.error:
            groups.setdefault(row.kind or row.error, []).append(row.line)
    return list(groups.items())


def line_list(lines: list[int], most: int = 30) -> str:
    """Return line numbers as "3, 5-9, 12" (runs joined), at most `most` items."""
    runs: list[list[int]] = []
    for n in lines:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    items = [str(a) if a == b else f"{a}-{b}" for a, b in runs]
    more = f" and {len(items) - most} more" if len(items) > most else ""
    return ", ".join(items[:most]) + more


def _existing(call_ids: list[str | None]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(call_ids), 500):
        chunk = call_ids[start:start + 500]
        found.update(db.session.scalars(db.select(Report.call_id).where(
            Report.call_id.in_(chunk))))
    return found


def batches(calls: list[Call]) -> Iterator[list[Call]]:
    """Split calls into the batches the import commits one by one (HOTLINE_IMPORT_BATCH)."""
    size = current_app.config["HOTLINE_IMPORT_BATCH"]
    for start in range(0, len(calls), size):
        yield calls[start:start + size]


def store_batch(batch: list[Call], actor: Actor, source: str) -> tuple[list[tuple[str, str]], int]:
    """Flush the calls of a batch not stored yet, audited; return (call id, code) pairs, skipped.

    A concurrent import that took a call id, or a tracking-code collision, fails the flush
    (IntegrityError): the command rolls back and runs the batch again, which then skips
    the calls the other import stored.
    """
    taken = _existing([c.call_id for c in batch])
    todo = [c for c in batch if c.call_id not in taken]
    if not todo:
        return [], len(batch)
    reports = submit_batch([report_input(c, caller(c.number)) for c in todo], channel="hotline")
    audit.record(actor, "report.hotline_import", "import", source[:64], after={
        "reports": len(reports), "first": reports[0].tracking_code,
        "last": reports[-1].tracking_code})
    return [(r.call_id or "", r.tracking_code) for r in reports], len(batch) - len(todo)
