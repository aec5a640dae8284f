"""Staff pages p50/p99 at 10 thousand and 100 thousand cases: queue, case page, search.

One run measures, for each size, through the Flask test client as a moderator of two desks:
GET /staff/queue (bench/desk_queue.py's first page), GET /staff/cases/<id> for cases with
1, 5 and 50 reports built by the real intake service (bench/staff_data.py: scored reasons,
claim match, similar decided case, history), and GET /staff/search for bench/search.py's
queries. Sizes take turns request by request, so load from other processes falls on both
alike. Databases are kept (SQLite files in --data-dir, PostgreSQL databases
<--pg-prefix><N>) and reused while they hold what was loaded; --rebuild loads them again.

    .venv/bin/python bench/staff_pages.py                        # SQLite, 10k and 100k
    .venv/bin/python bench/staff_pages.py --engine postgresql    # PostgreSQL on localhost
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from bench import staff_data  # noqa: E402
from bench.desk_queue import DESKS, PASSWORD, Target, machine  # noqa: E402
from bench.postgres import empty_postgres  # noqa: E402
from bench.queue_data import postgres_database  # noqa: E402
from bench.search import queries  # noqa: E402
from intake import create_app  # noqa: E402
from intake.core.extensions import db  # noqa: E402
from intake.core.schema import upgrade_schema  # noqa: E402
from intake.users import accounts as users  # noqa: E402

CONFIG = {"SCHEMA_CHECK": False, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
          "LOG_LEVEL": "WARNING"}


def database_url(engine: str, size: int, args) -> str:
    """Return the size's database URL, creating the PostgreSQL database when missing."""
    if engine == "sqlite":
        return f"sqlite:///{Path(args.data_dir).resolve() / f'staff-{size}.sqlite3'}"
    name = f"{args.pg_prefix}{size}"
    return postgres_database(args.pg_url, name)


def _user(name: str, role: str):
    return users.find_user(name) or users.create_user(name, PASSWORD, role, DESKS,
                                                      actor="cli:bench")


def prepare(engine: str, size: int, args) -> tuple[Target, dict]:
    """Load the size's database unless its manifest says it is there; return it ready."""
    manifest_path = Path(args.data_dir) / f"staff-{engine}-{size}.json"
    url = database_url(engine, size, args)
    manifest = (json.loads(manifest_path.read_text())
                if manifest_path.exists() and not args.rebuild else None)
    if manifest is None:
        if engine == "sqlite":
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        empty_postgres(url)
    app = create_app({**CONFIG, "DATABASE_URL": url}, instance_path=tempfile.mkdtemp())
    with app.app_context():
        upgrade_schema()
        moderator, other = _user("bench-mod", "moderator"), _user("bench-other", "moderator")
        admin = _user("bench-admin", "admin")
        db.session.commit()  # create_user only flushes; the bulk load uses other connections
        if manifest is None:
            started = time.perf_counter()
            print(f"loading {size:,} cases ...", flush=True)
            codes = staff_data.background(size, min(args.backlog, size), other.id)
            shown = staff_data.shown_cases(moderator, admin,
                                             Path(args.data_dir) / "starter-model.json")
            manifest = {"code": codes[len(codes) // 2], "shown": shown,
                        "seconds": round(time.perf_counter() - started, 1)}
            manifest_path.write_text(json.dumps(manifest))
            print(f"  loaded in {manifest['seconds']} s", flush=True)
        user_id = moderator.id
    return Target(app, user_id), manifest


def steps(manifest: dict) -> list[tuple[str, str]]:
    """Return (label, path) of every page timed, given one size's manifest."""
    pages = [("queue page", "/staff/queue")]
    pages += [(f"case page, {n} reports", f"/staff/cases/{case_id}")
              for n, case_id in sorted(manifest["shown"].items(), key=lambda i: int(i[0]))]
    pages += [(f"search: {name}", f"/staff/search?{urlencode({'q': typed})}")
              for name, typed in queries(manifest["code"]).items()]
    return pages


def percentile(samples: list[float], share: float) -> float:
    """Return the sample below which `share` of them lie (nearest rank), in ms."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


def measure(targets: dict, manifests: dict, runs: int) -> list[tuple]:
    """Return rows (size, label, p50, p99, CPU p50 ms, SQL statements) per page and size.

    CPU is this process's (with SQLite that includes the database's work; PostgreSQL's
    server is not in it): on a shared machine it shows what waiting for a core hides.
    """
    table = []
    plans = {size: steps(manifests[size]) for size in targets}
    for index, (label, _) in enumerate(plans[min(targets)]):
        samples: dict = {size: [] for size in targets}
        cpu: dict = {size: [] for size in targets}
        for i in range(runs + 5):  # the first five warm caches and are dropped
            for size, target in targets.items():
                started = time.process_time()
                elapsed = target.timed("get", plans[size][index][1], 200)
                if i >= 5:
                    samples[size].append(elapsed)
                    cpu[size].append(time.process_time() - started)
        for size, target in targets.items():
            table.append((size, label, statistics.median(samples[size]) * 1000,
                          percentile(samples[size], 0.99), statistics.median(cpu[size]) * 1000,
                          target.statements))
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated case counts")
    parser.add_argument("--backlog", type=int, default=3000, help="open cases in every size")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--rebuild", action="store_true", help="load the databases again")
    parser.add_argument("--data-dir", default=str(ROOT / "instance" / "bench"))
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--pg-prefix", default="bench_staff_")
    args = parser.parse_args()
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(machine(args.engine, args), flush=True)
    targets, manifests = {}, {}
    for size in sizes:
        targets[size], manifests[size] = prepare(args.engine, size, args)
    started = time.perf_counter()
    for size, label, p50, p99, cpu, statements in measure(targets, manifests, args.runs):
        print(f"{args.engine:10} {size:>7,} cases  {label:26} p50 {p50:7.2f} ms  "
              f"p99 {p99:7.2f} ms  CPU p50 {cpu:7.2f} ms  {statements:3} SQL", flush=True)
    print(f"{args.runs} runs per page and size, {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
