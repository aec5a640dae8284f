"""Staff search p50/p99 at 10 thousand cases (and more with --cases), SQLite or PostgreSQL.

Synthetic cases (1-3 reports each, Chinese and English claims built from bench/queue_data.py's
claims with varied places, makers and numbers) are bulk-loaded with their search index rows,
then intake.search.queries.search() answers a mix of queries many times: a tracking code, a link,
a Chinese phrase, an English phrase, a very common word (many matches: the ranking and
count work hardest) and no match, for an admin and for a moderator of two desks. Timings
are of the service (SQL and result objects), not of the template.

    .venv/bin/python bench/search.py                                   # SQLite, 10k cases
    .venv/bin/python bench/search.py --database-url postgresql://postgres@127.0.0.1/bench_search
"""

import argparse
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from bench.queue_data import CLAIMS  # noqa: E402
from intake import create_app  # noqa: E402
from intake.core.extensions import db  # noqa: E402
from intake.core.links import url_key  # noqa: E402
from intake.core.models import Case, Report, ReportUrl, utcnow  # noqa: E402
from intake.core.schema import upgrade_schema  # noqa: E402
from intake.reports.tracking import new_code  # noqa: E402
from intake.search import queries as search  # noqa: E402
from intake.search.index import insert_sql  # noqa: E402
from intake.search.text import document  # noqa: E402
from intake.triage.scoring import TOPICS  # noqa: E402
from intake.users.models import User, UserDesk  # noqa: E402

PLACES = ("武汉", "深圳", "上海", "合肥", "Beijing", "Chongqing", "Hangzhou", "西安")
MAKERS = ("比亚迪", "蔚来", "小鹏", "理想", "Tesla", "Geely", "Xiaomi", "Zeekr")


def _claim(rng: random.Random, n: int) -> str:
    return f"{rng.choice(CLAIMS)}，{rng.choice(PLACES)} {rng.choice(MAKERS)} {n}"


def load(cases: int, seed: int = 11) -> list[str]:
    """Insert the cases, reports, links and index rows; return some tracking codes."""
    rng, now, dialect = random.Random(seed), utcnow(), db.session.get_bind().dialect.name
    case_rows, report_rows, url_rows, index_rows, codes = [], [], [], [], []
    report_id = 0
    for case_id in range(1, cases + 1):
        created = now.replace(microsecond=0) - timedelta(minutes=case_id)
        claim = _claim(rng, case_id)
        case_rows.append({"id": case_id, "status": rng.choice(("open", "resolved")),
                          "topic": rng.choice(TOPICS), "title": claim[:200],
                          "created_at": created, "updated_at": created,
                          "report_count": 1, "reporter_count": 1, "urgent": False})
        for _ in range(rng.choice((1, 1, 2, 3))):
            report_id += 1
            code = new_code()
            codes.append(code)
            text_ = _claim(rng, report_id) if rng.random() < 0.5 else claim
            report_rows.append({"id": report_id, "tracking_code": code, "case_id": case_id,
                                "channel": "web", "received_at": created, "language": "zh",
                                "claim": text_, "contact_consent": False, "good_faith": True,
                                "scoring_status": "unscored", "urgent": False})
            link = f"https://weibo.com/{report_id}/post?utm_source=x"
            url_rows.append({"report_id": report_id, "position": 0, "url": link,
                             "url_key": url_key(link)})
            index_rows.append({"id": report_id, "terms": document(text_, None)})
    for table, rows in ((Case, case_rows), (Report, report_rows), (ReportUrl, url_rows)):
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(table), rows[start:start + 5000])
    for start in range(0, len(index_rows), 5000):
        db.session.execute(insert_sql(dialect), index_rows[start:start + 5000])
    if dialect == "postgresql":
        db.session.execute(text("SELECT setval('cases_id_seq', (SELECT max(id) FROM cases))"))
    db.session.commit()
    if dialect == "postgresql":  # what autovacuum does after a bulk load, done now
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    return codes


def queries(code: str) -> dict[str, str]:
    """Return the mix of searches timed, by name (also bench/staff_pages.py's)."""
    return {"code": code.lower(), "link": "weibo.com/77/post?spm=1",
            "zh phrase": "地下车库充电", "en phrase": "robotaxis banned crash",
            "common word": "电池", "no match": "hydrogen airship"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-search-")
    url = args.database_url or f"sqlite:///{folder}/search.sqlite3"
    app = create_app({"DATABASE_URL": url, "SCHEMA_CHECK": False}, instance_path=folder)
    with app.app_context():
        upgrade_schema()
        started = time.perf_counter()
        codes = load(args.cases)
        loaded = time.perf_counter() - started
        admin = User(username="bench-admin", role="admin", password_hash="-")
        moderator = User(username="bench-mod", role="moderator", password_hash="-",
                         desks=[UserDesk(topic=TOPICS[0]), UserDesk(topic=TOPICS[1])])
        db.session.add_all([admin, moderator])
        db.session.commit()
        typed_queries = queries(codes[len(codes) // 2])
        print(f"{platform.node()} {platform.processor() or platform.machine()}, "
              f"{db.engine.dialect.name}, {args.cases} cases, {len(codes)} reports, "
              f"loaded in {loaded:.1f} s, {args.runs} runs per query")
        for user in (admin, moderator):
            for name, typed in typed_queries.items():
                query, times, total = search.parse_query(typed), [], 0
                for _ in range(args.runs):
                    db.session.expire_all()
                    start = time.perf_counter()
                    total = search.search(user, query, 1).total
                    times.append((time.perf_counter() - start) * 1000)
                times.sort()
                p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
                print(f"  {user.role:9} {name:12} {total:6} cases  "
                      f"p50 {statistics.median(times):6.2f} ms  p99 {p99:6.2f} ms")


if __name__ == "__main__":
    main()
