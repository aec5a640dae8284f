"""Instructions of one queue page request, and of its parts, in one checkout (callgrind).

CPU times of two checkouts differ with the machine's load; instruction counts do not. This
runs in one checkout (--tree, its own code on sys.path) against a queue database that
bench/checkout_ab.py built, warms up, then counts the instructions of N calls of each part
under callgrind, started and stopped around the calls only (a two-line C helper, compiled
with gcc, issues callgrind's client requests; the warm-up and imports are not counted):

  request  - GET of the page through the test client (everything)
  data     - the filters, queue_page and queue_counts (the SQL, SQLite's work included)
  rows     - _row for every row of the page
  render   - render_template with the context the view passed
  the rest (request - data - rows - render) is routing, login, hooks and the response.

Each part is dumped to its own file (OUT.1 ... OUT.4, "totals:" is instructions for N calls).
The garbage collector is off while counting, so a collection does not land in one part.

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/q.out \\
      .venv/bin/python bench/queue_callgrind.py --tree ../old \\
      --db instance/bench/checkout_ab/new/old/queue-100000.sqlite3 --calls 10
    grep ^totals /tmp/q.out.*
"""

import argparse
import ctypes
import gc
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HELPER = """#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void cg_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; CALLGRIND_DUMP_STATS; }
"""


def helper() -> ctypes.CDLL:
    folder = Path(tempfile.mkdtemp())
    (folder / "cg.c").write_text(HELPER)
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", str(folder / "cg.so"),
                    str(folder / "cg.c")], check=True)
    return ctypes.CDLL(str(folder / "cg.so"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], allow_abbrev=False)
    parser.add_argument("--tree", required=True, help="the checkout whose code runs")
    parser.add_argument("--db", required=True, help="its queue database (checkout_ab's)")
    parser.add_argument("--path", default="/staff/queue")
    parser.add_argument("--calls", type=int, default=10)
    args = parser.parse_args()
    tree, db_file = str(Path(args.tree).resolve()), Path(args.db).resolve()
    sys.path[:] = [p for p in sys.path if not p.endswith("/bench")]
    sys.path.insert(0, tree)
    os.chdir(tree)
    from flask import render_template
    from flask_babel import get_locale
    from flask_login import login_user

    import bench.desk_queue as dq

    if Path(tree, "intake/cases/queue.py").exists():  # after issue 16: feature packages
        import intake.cases.moderation as mod
        import intake.cases.queue as q
    else:
        import intake.cases as q  # type: ignore[no-redef]
        import intake.moderation as mod  # type: ignore[no-redef]
    app = dq.create_app({"SCHEMA_CHECK": False, "WTF_CSRF_ENABLED": False,
                         "RATELIMIT_ENABLED": False, "SCORING_ENABLED": False,
                         "LOG_LEVEL": "WARNING", "DATABASE_URL": f"sqlite:///{db_file}"},
                        instance_path=tempfile.mkdtemp())
    with app.app_context():
        user_id = dq.users.find_user("bench-mod").id
    target = dq.Target(app, user_id)
    seen: dict = {}
    render = mod.render_template

    def keep(name, **context):
        seen.update(name=name, context=context)
        return render(name, **context)

    mod.render_template = keep
    for _ in range(5):
        assert target.client.get(args.path).status_code == 200
    mod.render_template = render
    cg = helper()
    gc.collect()
    gc.disable()

    def count(fn) -> None:
        fn()
        cg.cg_start()
        for _ in range(args.calls):
            fn()
        cg.cg_stop()

    count(lambda: target.client.get(args.path))
    with app.test_request_context(args.path):
        from flask import request

        user = dq.db.session.get(type(dq.users.find_user("bench-mod")), user_id)
        login_user(user)
        now, locale = mod.utcnow(), str(get_locale())
        old = "args" not in mod._filters.__code__.co_varnames

        def data():
            filters, scope = mod._filters(user) if old else mod._filters(user, request.args)
            return (q.queue_page(filters, after=None, now=now,
                                 limit=app.config["QUEUE_PAGE_SIZE"]),
                    q.queue_counts(filters, scope, now=now, cap=app.config["QUEUE_COUNT_CAP"]))

        page, _counts = data()
        count(data)
        texts = mod._texts()
        count(lambda: [mod._row(r, now, locale, texts) for r in page.rows])
        count(lambda: render_template(seen["name"], **seen["context"]))
    print(f"{args.calls} calls of request, data, rows, render; {len(page.rows)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
