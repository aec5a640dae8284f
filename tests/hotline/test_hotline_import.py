"""`flask hotline import`: clean files, bad rows in both modes, re-imports, encodings."""

import csv

import pytest

from intake.audit.models import AuditEvent
from intake.core.extensions import db
from intake.core.models import Report
from intake.hotline.call_import import COLUMNS
from intake.users.models import User

from .hotline_data import call_row, write_log


@pytest.fixture
def stored_calls(app):
    """Return {call_id: report} of every stored hotline report."""

    def load() -> dict[str, Report]:
        with app.app_context():
            reports = list(db.session.scalars(db.select(Report)))
            db.session.expunge_all()
            return {r.call_id: r for r in reports}

    return load


@pytest.fixture
def run_import(runner):
    def run(path, *options):
        return runner.invoke(args=["hotline", "import", str(path), *options])

    return run


def test_clean_file_is_imported_with_codes_and_summary(app, make_user, run_import, tmp_path,
                                                       stored_calls):
    make_user("olga", role="operator", desks=())
    rows = [call_row(1, urgent="yes", consent="是"), call_row(2, operator="agent-7"),
            call_row(3, language="", started_at="2026-11-20T06:03:00Z")]
    result = run_import(write_log(tmp_path / "calls.csv", rows))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("Imported 3, duplicates skipped 0, rejected 0.")
    stored = stored_calls()
    assert sorted(stored) == ["CC-000001", "CC-000002", "CC-000003"]
    for call_id, report in stored.items():
        assert f"{call_id}\t{report.tracking_code}" in result.stdout
        assert report.channel == "hotline" and report.scoring_status == "unscored"
    first, second, third = (stored[f"CC-00000{n}"] for n in (1, 2, 3))
    assert first.urgent and first.contact_phone == "+8613900010001" and first.language == "zh"
    assert not second.urgent and second.contact_phone is None and second.language == "en"
    assert second.operator_id is None and second.operator_notes == "Call-centre operator: agent-7"
    assert third.language == "zh"  # detected from the Chinese summary
    # Times without an offset are the call centre's (Shanghai); both rows are 06:03 UTC.
    assert first.call_started_at == third.call_started_at
    assert first.call_started_at.isoformat() == "2026-11-20T06:03:00"
    with app.app_context():
        olga = db.session.scalars(db.select(User).where(User.username == "olga")).one()
        assert first.operator_id == olga.id
    assert "Importing calls" in result.stderr


BAD_ROWS = [
    (call_row(2, caller_number="12"), "caller_number"),
    (call_row(3, started_at="yesterday"), "started_at"),
    (call_row(4, urgent="maybe"), "urgent"),
    (call_row(5, summary=""), "summary"),
    (call_row(6, language="fr"), "language"),
    (call_row(1), "call_id: the same call id"),  # the same call id again
]


def _mixed_file(tmp_path):
    rows = [call_row(1), *(row for row, _ in BAD_ROWS), call_row(7)]
    return write_log(tmp_path / "mixed.csv", rows)


def test_bad_rows_stop_the_whole_import(run_import, tmp_path, stored_calls):
    result = run_import(_mixed_file(tmp_path))
    assert result.exit_code == 1
    for line, (_row, reason) in enumerate(BAD_ROWS, start=3):
        [message] = [m for m in result.stderr.splitlines() if m.endswith(f"(line {line})")]
        assert message.startswith(reason)
    assert "6 of 8 rows are bad" in result.stderr and "Nothing was imported" in result.stderr
    assert "+86 139" not in result.output  # a bad row's number is not echoed
    assert stored_calls() == {}


def test_skip_invalid_imports_good_rows_and_sets_bad_ones_aside(run_import, tmp_path,
                                                                stored_calls):
    rejected = tmp_path / "bad.csv"
    result = run_import(_mixed_file(tmp_path), "--skip-invalid", "--rejected", str(rejected))
    assert result.exit_code == 0, result.output
    assert "Imported 2, duplicates skipped 0, rejected 6." in result.stdout
    assert sorted(stored_calls()) == ["CC-000001", "CC-000007"]
    with open(rejected, encoding="utf-8-sig", newline="") as fh:
        written = list(csv.DictReader(fh))
    assert [row["line"] for row in written] == ["3", "4", "5", "6", "7", "8"]
    assert written[0]["caller_number"] == "12" and "caller_number" in written[0]["error"]
    assert set(COLUMNS) <= set(written[0])


def test_skip_invalid_writes_next_to_the_file_by_default(run_import, tmp_path):
    result = run_import(_mixed_file(tmp_path), "--skip-invalid")
    assert result.exit_code == 0
    assert (tmp_path / "mixed.rejected.csv").exists()


def test_reimport_and_overlapping_export_create_no_duplicates(run_import, tmp_path,
                                                              stored_calls):
    first = write_log(tmp_path / "monday.csv", [call_row(n) for n in (1, 2, 3)])
    assert run_import(first).exit_code == 0
    codes = {k: r.tracking_code for k, r in stored_calls().items()}

    again = run_import(first)
    assert again.exit_code == 0
    assert "Imported 0, duplicates skipped 3, rejected 0." in again.stdout

    overlap = write_log(tmp_path / "tuesday.csv", [call_row(n) for n in (2, 3, 4, 5)])
    result = run_import(overlap)
    assert "Imported 2, duplicates skipped 2, rejected 0." in result.stdout
    stored = stored_calls()
    assert len(stored) == 5
    assert {k: stored[k].tracking_code for k in codes} == codes  # the first codes stay


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_utf8_with_or_without_bom_and_gb18030(run_import, tmp_path, stored_calls, encoding):
    summary = "来电称某品牌电动车电池热失控起火，视频在微信群疯传"
    path = write_log(tmp_path / "calls.csv", [call_row(1, summary=summary, operator="王芳")],
                     encoding=encoding)
    result = run_import(path)
    assert result.exit_code == 0, result.output
    report = stored_calls()["CC-000001"]
    assert report.claim == summary and report.operator_notes.endswith("王芳")


def test_gb18030_file_is_not_utf8(tmp_path):
    path = write_log(tmp_path / "calls.csv", [call_row(1)], encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("raw, message", [
    ("", "the file is empty"),
    ("\ufeff \r\n", "the file is empty"),
    (",".join(COLUMNS) + "\r\n", "no call rows"),
    ("id,time,number,text\r\nCC-1,2026-11-20 14:03,13800138000,hello there\r\n",
     "lacks the column(s) call_id, started_at, caller_number"),
    ("call_id;started_at;caller_number;language;summary;operator;urgent;consent\r\n",
     "lacks the column(s)"),
])
def test_empty_file_or_wrong_header_is_a_clear_error(run_import, tmp_path, stored_calls, raw,
                                                     message):
    result = run_import(write_log(tmp_path / "calls.csv", [], raw=raw, encoding="utf-8"))
    assert result.exit_code == 1
    assert message in result.stderr and "Nothing was imported" in result.stderr
    assert stored_calls() == {}


def test_line_numbers_count_multiline_summaries(run_import, tmp_path):
    rows = [call_row(1, summary="第一行\n第二行\n第三行"), call_row(2, urgent="??")]
    result = run_import(write_log(tmp_path / "calls.csv", rows))
    assert "urgent: write yes or no (or 1/0) (line 5)" in result.stderr


def test_each_batch_is_one_commit_with_its_audit_event(app_factory, tmp_path):
    app = app_factory(HOTLINE_IMPORT_BATCH=2)
    path = write_log(tmp_path / "calls.csv", [call_row(n) for n in range(1, 6)])
    result = app.test_cli_runner().invoke(args=["hotline", "import", str(path), "--codes",
                                                str(tmp_path / "codes.csv")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        events = list(db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "report.hotline_import")))
        assert [e.after["reports"] for e in events] == [2, 2, 1]
    codes = (tmp_path / "codes.csv").read_text().splitlines()
    assert codes[0] == "call_id,tracking_code" and len(codes) == 6


def test_bad_rows_are_reported_once_per_kind_of_fault(run_import, tmp_path, stored_calls):
    """300 rows with the same mistake are one message listing their lines, not 300."""
    rows = [call_row(1), *(call_row(n, urgent="maybe") for n in range(2, 7)),
            call_row(7, language="fr"), call_row(8, urgent="??"), call_row(9, language="de")]
    result = run_import(write_log(tmp_path / "calls.csv", rows))
    assert result.exit_code == 1
    messages = [m for m in result.stderr.splitlines() if m.startswith(("urgent", "language"))]
    assert messages == ["urgent: write yes or no (or 1/0) (6 rows, lines 3-7, 9)",
                        "language: write zh or en (2 rows, lines 8, 10)"]
    assert "8 of 9 rows are bad" in result.stderr
    assert stored_calls() == {}
