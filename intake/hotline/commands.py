"""`flask hotline ...` and `flask reports ...`: call-log import, contact retention, sweeps."""

import csv
import os
import sys
from collections.abc import Callable
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import IntegrityError

from intake.core.extensions import db
from intake.hotline import call_import, calls
from intake.reports.upload_sweep import sweep_orphans
from intake.users.commands import cli_actor as _actor

hotline_cli = AppGroup("hotline", help="Import hotline call logs.")
reports_cli = AppGroup("reports", help="Maintain stored reports.")


def _age(older_than: str) -> timedelta:
    try:
        return calls.parse_age(older_than)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--older-than") from exc


def _write_rejected(path: str, header: list[str], rows: list[call_import.Row]) -> None:
    # UTF-8 with BOM so spreadsheets open it right; the error column is ignored on re-import.
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([*header, "line", "error"])
        for row in rows:
            writer.writerow([*(row.values.get(name, "") for name in header), row.line, row.error])


@hotline_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--skip-invalid", is_flag=True,
              help="Import the good rows and write the bad ones to the --rejected file.")
@click.option("--rejected", "rejected_path", type=click.Path(dir_okay=False),
              help="Where --skip-invalid writes bad rows (default: FILE.rejected.csv).")
@click.option("--codes", "codes_path", type=click.Path(dir_okay=False),
              help="Write call_id,tracking_code to this CSV instead of listing them.")
@with_appcontext
def import_calls(file: str, skip_invalid: bool, rejected_path: str | None,
                 codes_path: str | None) -> None:
    """Import a call-centre CSV export (columns in the README); no call is stored twice."""
    with open(file, "rb") as fh:
        data = fh.read()
    try:
        header, rows = call_import.read_rows(data)
    except call_import.CallLogError as exc:
        raise click.ClickException(f"{file}: {exc}. Nothing was imported.") from exc
    with click.progressbar(length=len(rows), label="Checking rows", file=sys.stderr) as bar:
        call_import.validate(rows, progress=bar.update)
    bad = [row for row in rows if row.error]
    # One message per kind of fault with its lines: 300 rows with one mistake are one line.
    for kind, lines in call_import.grouped_errors(bad):
        where = "line" if len(lines) == 1 else f"{len(lines)} rows, lines"
        click.echo(f"{kind} ({where} {call_import.line_list(lines)})", err=True)
    if bad and not skip_invalid:
        raise click.ClickException(
            f"{len(bad)} of {len(rows)} rows are bad (listed above). Nothing was imported: fix "
            "them, or use --skip-invalid to import the good rows and set the bad ones aside.")
    result = call_import.ImportResult(rejected=bad)
    if bad:
        rejected_path = rejected_path or os.path.splitext(file)[0] + ".rejected.csv"
        _write_rejected(rejected_path, header, bad)
        click.echo(f"Rejected rows written to {rejected_path}", err=True)
    good = [row.call for row in rows if row.call]
    with click.progressbar(length=len(good), label="Importing calls", file=sys.stderr) as bar:
        try:
            _store(good, os.path.basename(file), result, progress=bar.update)
        except call_import.CallLogError as exc:
            raise click.ClickException(f"{exc}. Batches already stored stay stored; "
                                       "re-running skips them.") from exc
    _print_codes(result, codes_path)
    click.echo(f"Imported {len(result.codes)}, duplicates skipped {result.duplicates}, "
               f"rejected {len(result.rejected)}.")


def _store(calls: list[call_import.Call], source: str, result: call_import.ImportResult,
           progress: Callable[[int], None]) -> None:
    # One commit per batch: a long import never holds the write lock, and a failed batch
    # leaves the batches before it stored (re-running skips them).
    actor = _actor()
    for batch in call_import.batches(calls):
        for _attempt in range(3):
            try:
                codes, skipped = call_import.store_batch(batch, actor, source)
                db.session.commit()
                break
            except IntegrityError:
                db.session.rollback()  # a concurrent import took a call id, or a code collided
        else:
            raise call_import.CallLogError(
                "the batch kept colliding with another import; run it again")
        result.codes.extend(codes)
        result.duplicates += skipped
        progress(len(batch))


def _print_codes(result: call_import.ImportResult, codes_path: str | None) -> None:
    if codes_path:
        with open(codes_path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["call_id", "tracking_code"])
            writer.writerows(result.codes)
        click.echo(f"Tracking codes written to {codes_path}")
        return
    if result.codes:
        click.echo("call_id\ttracking_code")
    for call_id, code in result.codes:
        click.echo(f"{call_id}\t{code}")


@reports_cli.command("purge-contact")
@click.option("--older-than", "older_than", required=True,
              help="Age of the reports to clear, e.g. 180d (days), 26w (weeks) or 12h.")
@with_appcontext
def purge_contact(older_than: str) -> None:
    """Remove reporters' and callers' contact details from reports past the retention period."""
    age = _age(older_than)
    count = calls.purge_contact(age, _actor())
    db.session.commit()
    click.echo(f"Removed contact details from {count} reports received more than "
               f"{older_than.strip()} ago.")


@reports_cli.command("sweep-uploads")
@click.option("--older-than", "older_than", default="1h", show_default=True,
              help="Only files at least this old, e.g. 1h or 2d: newer ones may be in flight.")
@with_appcontext
def sweep_uploads(older_than: str) -> None:
    """Delete evidence files (and unfinished .part files) that no report owns."""
    age = _age(older_than)
    removed = sweep_orphans(current_app.config["UPLOAD_DIR"], age)
    click.echo(f"Removed {len(removed)} evidence files no report owns "
               f"(older than {older_than.strip()}).")
