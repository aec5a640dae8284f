"""Old code against new on the same staff pages, in one run: CPU time per request, alternating.

Page speed changes are smaller than the drift of a shared machine between two bench runs, so
this runs the pages of two checkouts (e.g. the commit before a change, in a temporary
`git worktree`, and the working tree) in turns: each round starts one process per checkout,
which warms up and then times every page `--runs` times with `time.process_time` (CPU time
of the process; with SQLite that includes the database's work). Rounds alternate which
checkout goes first. Besides the median it prints the minimum: on a shared machine other
processes only ever add CPU time (cache misses, a slower shared core), so the minimum moves
least from run to run. It needs a database bench/staff_pages.py loaded (same --data-dir or
--database-url), and prints the median CPU ms per page and checkout over all rounds.

    git worktree add /tmp/old <commit>
    .venv/bin/python bench/pages_ab.py --old /tmp/old --data-dir instance/bench --size 100000
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(tree: str, url: str, paths: list[str], runs: int) -> None:
    """Time each path `runs` times in this process with the checkout at `tree`; print JSON."""
    sys.path.insert(0, tree)
    from bench.desk_queue import Target
    from bench.staff_pages import CONFIG
    from intake import create_app

    app = create_app({**CONFIG, "DATABASE_URL": url}, instance_path=tempfile.mkdtemp())
    target = Target(app, 0)
    cpu: dict[str, list[float]] = {path: [] for path in paths}
    for i in range(runs + 5):  # the first five warm caches and are dropped
        for path in paths:
            started = time.process_time()
            target.timed("get", path, 200)
            if i >= 5:
                cpu[path].append(time.process_time() - started)
    print(json.dumps(cpu))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old", required=True, help="checkout of the code before the change")
    parser.add_argument("--new", default=str(ROOT), help="checkout of the code after it")
    parser.add_argument("--size", type=int, default=100000)
    parser.add_argument("--data-dir", default=str(ROOT / "instance" / "bench"))
    parser.add_argument("--database-url", help="instead of the SQLite file in --data-dir")
    parser.add_argument("--engine", default="sqlite", help="the manifest's engine")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--runs", type=int, default=20, help="requests per page and round")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        tree, url, *paths = args.child
        child(tree, url, paths, args.runs)
        return 0
    data = Path(args.data_dir).resolve()
    url = args.database_url or f"sqlite:///{data / f'staff-{args.size}.sqlite3'}"
    manifest = json.loads((data / f"staff-{args.engine}-{args.size}.json").read_text())
    pages = {"queue page": "/staff/queue"}
    pages |= {f"case page, {n} reports": f"/staff/cases/{case_id}"
              for n, case_id in sorted(manifest["shown"].items(), key=lambda i: int(i[0]))}
    trees = {"old": str(Path(args.old).resolve()), "new": str(Path(args.new).resolve())}
    samples: dict = {name: {path: [] for path in pages.values()} for name in trees}
    for round_ in range(args.rounds):
        order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
        for name in order:
            out = subprocess.run(
                [sys.executable, __file__, "--old", args.old, "--runs", str(args.runs),
                 "--child", trees[name], url, *pages.values()],
                cwd=trees[name], check=True, capture_output=True, text=True).stdout
            for path, values in json.loads(out.splitlines()[-1]).items():
                samples[name][path] += values
    print(f"{args.engine} {args.size:,} cases, {args.rounds} rounds x {args.runs} requests")
    for label, path in pages.items():
        for name, stat in (("p50", statistics.median), ("min", min)):
            old, new = (stat(samples[n][path]) * 1000 for n in trees)
            print(f"{label:24} CPU {name} old {old:6.2f} ms  new {new:6.2f} ms  "
                  f"({new / old - 1:+.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
