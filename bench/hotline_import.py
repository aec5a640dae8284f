"""Rows per second of `flask hotline import` on a generated call-centre export.

Writes a call log of --rows rows (Chinese and English summaries, about one in ten urgent,
one in five with callback consent, distinct call ids), then for each scoring mode, on a fresh
database migrated with `flask setup-db` (and `flask model ensure-starter` when scoring), runs
the real command `flask hotline import FILE --codes CODES.csv` in this process, so the
figures leave out Python and app start-up: reading and decoding, validating every row,
batched inserts with scoring and priority, and writing the codes. Then the same file again
(every row a duplicate).
Checks from the summaries that every row was imported once and skipped the second time.

    .venv/bin/python -m bench.hotline_import                       # 100,000 rows, SQLite
    .venv/bin/python -m bench.hotline_import --rows 5000 --scoring off --clustering off
    .venv/bin/python -m bench.hotline_import --database-url postgresql://postgres@127.0.0.1/bench

With --database-url the database is EMPTIED (its public schema is dropped) before each run.
"""

import argparse
import csv
import os
import platform
import secrets
import sys
import tempfile
import time
from pathlib import Path

from bench.postgres import empty_postgres
from intake import create_app
from intake.core.extensions import db

COLUMNS = ("call_id", "started_at", "caller_number", "language", "summary", "operator",
           "urgent", "consent")
ZH = ("来电称某品牌电动车在地下车库充电时电池自燃，整栋楼被疏散，视频在微信群疯传",
      "来电者说网传工信部发文明年起禁止L3级自动驾驶车辆上路，不知真假",
      "来电称某新能源车企宣布破产裁员三千人，消息来自短视频平台")
EN = ("Caller says a video shows a robotaxi crashing into a bus in Wuhan, shared on Weibo",
      "Caller heard that a carmaker sells in-car camera footage to advertisers",
      "Caller says 5G-V2X pilot roads knock out nearby charging stations")


def write_log(path: Path, rows: int, encoding: str) -> None:
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for n in range(rows):
            zh = n % 2 == 0
            writer.writerow([
                f"CC-{n:08d}", f"2026-11-{1 + n % 20:02d} {n % 24:02d}:{n % 60:02d}:00",
                f"+86 13{n % 10} {n // 10000 % 10000:04d} {n % 10000:04d}",
                "zh" if zh else "en", f"{(ZH if zh else EN)[n % 3]}（{n}）",
                f"agent-{n % 40}", "yes" if n % 10 == 0 else "no",
                "yes" if n % 5 == 0 else "no",
            ])


def run_mode(args, log: Path, work: Path, scoring: bool) -> dict:
    """Migrate a fresh database, then time the import command twice (in this process)."""
    instance = work / f"instance-{'on' if scoring else 'off'}"
    url = args.database_url or f"sqlite:///{instance / 'bench.sqlite3'}"
    if args.database_url:
        empty_postgres(args.database_url)
    app = create_app({"DATABASE_URL": url, "SCHEMA_CHECK": False, "SCORING_ENABLED": scoring,
                      "CLUSTER_ENABLED": args.clustering == "on",
                      "SECRET_KEY": secrets.token_hex(32), "LOG_LEVEL": "WARNING"},
                     instance_path=str(instance))
    runner = app.test_cli_runner()
    for step in (["setup-db"], ["model", "ensure-starter"]) if scoring else (["setup-db"],):
        done = runner.invoke(args=step)
        if done.exit_code:
            sys.exit(f"{' '.join(step)} failed:\n{done.output}")
    figures = {}
    for label in ("import", "re-import"):
        started = time.perf_counter()
        done = runner.invoke(args=["hotline", "import", str(log), "--codes",
                                   str(work / "codes.csv")])
        figures[label] = (time.perf_counter() - started, done.stdout.strip().splitlines()[-1])
        if done.exit_code:
            sys.exit(f"{label} failed:\n{done.output[-3000:]}")
    if (f"Imported {args.rows}," not in figures["import"][1]
            or f"duplicates skipped {args.rows}," not in figures["re-import"][1]):
        sys.exit(f"unexpected summaries: {figures}")
    with app.app_context():
        db.engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--scoring", choices=("on", "off", "both"), default="both")
    parser.add_argument("--clustering", choices=("on", "off"), default="on",
                        help="off: CLUSTER_ENABLED=False, every call keeps its own case")
    parser.add_argument("--encoding", default="utf-8", help="utf-8, utf-8-sig or gb18030")
    parser.add_argument("--database-url", help="PostgreSQL to use; it is EMPTIED first")
    args = parser.parse_args()
    print(f"{platform.node()}: {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{'PostgreSQL' if args.database_url else 'SQLite (WAL) in a temp dir'}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        log = work / "calls.csv"
        write_log(log, args.rows, args.encoding)
        print(f"{args.rows:,} rows, {log.stat().st_size / 1e6:.1f} MB ({args.encoding}), "
              f"clustering {args.clustering}")
        modes = {"on": [True], "off": [False], "both": [False, True]}[args.scoring]
        print("| scoring | import s | rows/s | re-import s | rows/s | summary |")
        print("|---|---|---|---|---|---|")
        for scoring in modes:
            f = run_mode(args, log, work, scoring)
            (imp, summary), (again, _) = f["import"], f["re-import"]
            print(f"| {'on' if scoring else 'off'} | {imp:.1f} | {args.rows / imp:,.0f} | "
                  f"{again:.1f} | {args.rows / again:,.0f} | {summary} |", flush=True)


if __name__ == "__main__":
    main()
