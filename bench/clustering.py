"""Clustering lookup latency with many open cases in the database (SQLite or PostgreSQL).

Fills an empty database with --cases open cases (one report each, a third with a link),
their signatures and case_terms rows, then times, for new reports that are half near-copies
of stored ones and half new texts:

- lookup: clustering.find_case (link match, index candidates, full comparison, row lock);
- attach: the whole intake step (lookup, join or index, case refresh), rolled back;
- signature: computing the new report's signature alone.

    .venv/bin/python -m bench.clustering                          # SQLite file in a temp dir
    .venv/bin/python -m bench.clustering --database-url postgresql://postgres@127.0.0.1/bench

The PostgreSQL database is emptied first (its public schema is dropped): never point this
at data you want to keep.
"""

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import insert, text

from bench.postgres import empty_postgres
from intake import create_app
from intake.clustering.glossary import ENTRIES
from intake.clustering.operations import attach, find_case, signature_of
from intake.core.extensions import db
from intake.core.links import url_key
from intake.core.models import Case, CaseTerm, Report, ReportUrl, utcnow
from intake.core.schema import upgrade_schema
from intake.reports.tracking import new_code
from intake.triage import scoring as triage

PLACES = [e.en[0] for e in ENTRIES if e.kind == "entity"]


def _claim(rng: random.Random, corpus: list[str]) -> str:
    # A corpus report with its own details, so texts repeat about as much as real rumours.
    base = rng.choice(corpus)[: rng.randint(60, 220)]
    return f"{base} {rng.choice(PLACES)} {rng.randint(10, 99999)}"


def _url(rng: random.Random) -> str:
    return f"https://www.weibo.com/{rng.randint(1, 10**9)}/{rng.getrandbits(40):x}?utm_source=x"


def fill(cases: int, rng: random.Random, corpus: list[str], batch: int = 5000) -> list[Report]:
    """Insert open cases with one report each and their index rows; return sample reports."""
    started, now, samples = time.perf_counter(), utcnow(), []
    index_terms = current_app.config["CLUSTER_INDEX_TERMS"]
    next_id, codes = 1, set()
    while next_id <= cases:
        rows_case, rows_report, rows_url, rows_term = [], [], [], []
        for case_id in range(next_id, min(cases, next_id + batch - 1) + 1):
            claim = _claim(rng, corpus)
            report = Report(claim=claim, explanation=None)
            sig = signature_of(report)
            at = now - timedelta(minutes=cases - case_id)
            rows_case.append({"id": case_id, "status": "open", "created_at": at,
                              "updated_at": at, "report_count": 1, "reporter_count": 1,
                              "title": claim[:200], "signature": sig.to_json(),
                              "urgent": False, "last_report_at": at})
            code = new_code()
            while code in codes:  # 100 thousand random codes collide now and then
                code = new_code()
            codes.add(code)
            rows_report.append({"id": case_id, "tracking_code": code, "case_id": case_id,
                                "channel": "web", "received_at": at, "language": "en",
                                "claim": claim, "scoring_status": "unscored",
                                "contact_consent": False, "good_faith": True, "urgent": False})
            link = _url(rng) if case_id % 3 == 0 else None
            if link:
                rows_url.append({"report_id": case_id, "position": 0, "url": link,
                                 "url_key": url_key(link)})
            if sig.informative:
                rows_term += [{"term": t, "case_id": case_id}
                              for t in sig.index_terms(index_terms)]
            if rng.random() < 500 / cases:
                samples.append((claim, link))
        db.session.execute(insert(Case), rows_case)
        db.session.execute(insert(Report), rows_report)
        if rows_url:
            db.session.execute(insert(ReportUrl), rows_url)
        db.session.execute(insert(CaseTerm), rows_term)
        db.session.commit()
        next_id += batch
        print(f"  {min(next_id - 1, cases)} cases stored", flush=True)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval('cases_id_seq', :n)"), {"n": cases})
        db.session.execute(text("SELECT setval('reports_id_seq', :n)"), {"n": cases})
        db.session.commit()
        # What autovacuum does soon after a bulk load: without the visibility map, the
        # index-only posting reads visit the table too.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
    print(f"filled in {time.perf_counter() - started:.0f} s")
    return samples


def _stored_samples(rng: random.Random, n: int = 500) -> list[tuple[str, str | None]]:
    top = db.session.scalar(db.select(db.func.max(Report.id))) or 0
    ids = [rng.randint(1, top) for _ in range(n)]
    rows = db.session.execute(db.select(Report.claim, ReportUrl.url).outerjoin(ReportUrl)
                              .where(Report.id.in_(ids)))
    return [tuple(row) for row in rows]


def _queries(samples: list, corpus: list[str], rng: random.Random, n: int) -> list[Report]:
    out = []
    for i in range(n):
        if i % 2 == 0 and samples:  # a near-copy of a stored case, sometimes by its link
            claim, link = rng.choice(samples)
            words = claim.split(" ")
            claim = " ".join(w for w in words if rng.random() > 0.1) or claim
            urls = [link.replace("utm_source=x", "spm=abc")] if link and i % 4 == 0 else []
        else:
            claim, urls = _claim(rng, corpus), []
        report = Report(claim=claim, explanation=None, channel="web", language="en",
                        received_at=utcnow(), tracking_code=new_code(),
                        scoring_status="unscored", reporter_key=f"k{i}",
                        case=Case(status="open", report_count=1, created_at=utcnow()))
        report.urls = [ReportUrl(position=0, url=u, url_key=url_key(u)) for u in urls]
        out.append(report)
    return out


def _timed(fn, reports: list[Report]) -> tuple[list[float], list[float], int]:
    # Wall time, and this process's CPU time: on a shared machine the wall time includes
    # waiting for a core; with SQLite the CPU time includes the database's own work.
    wall, cpu, joined = [], [], 0
    for report in reports:
        started, started_cpu = time.perf_counter(), time.process_time()
        found = fn(report)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        joined += found is not None and getattr(found, "id", None) is not None
        db.session.rollback()
    return wall, cpu, joined


def _p(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _line(name: str, wall: list[float], cpu: list[float], joined: int) -> str:
    return (f"{name:10s} wall p50 {statistics.median(wall):6.2f} ms  p99 {_p(wall, .99):6.2f} ms"
            f" | cpu p50 {statistics.median(cpu):6.2f} ms  p99 {_p(cpu, .99):6.2f} ms"
            f" | {len(wall)} reports, {joined} joined an existing case")


def corpus_pairs() -> None:
    """Print how many pairs of starter corpus reports (all different rumours) would join."""
    from intake.clustering.index import rules
    from intake.clustering.signatures import signature, similarity

    texts, how = triage.reference_texts(), rules()
    minimum = current_app.config["CLUSTER_MIN_CHARS"]
    sigs = [signature(t, min_chars=minimum) for t in texts]
    pairs = joined = 0
    for i, a in enumerate(sigs):
        for b in sigs[i + 1:]:
            pairs += 1
            joined += a.informative and b.informative and similarity(a, b, how) >= how.threshold
    print(f"starter corpus: {joined} of {pairs} report pairs would join one case")


def main() -> None:
    """Fill the database, then print lookup, attach and signature percentiles."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--corpus-pairs", action="store_true",
                        help="only count starter corpus pairs that would join")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the cases a previous run stored in --database-url")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-clustering-")
    url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    if not (args.reuse or args.corpus_pairs):
        empty_postgres(url)
    app = create_app({"DATABASE_URL": url, "SCHEMA_CHECK": False, "SCORING_ENABLED": False},
                     instance_path=tmp)
    print(f"machine: {platform.platform()} | {os.cpu_count()} CPUs | "
          f"{url.split(':', 1)[0]}")
    rng = random.Random(0)
    with app.app_context():
        if args.corpus_pairs:
            return corpus_pairs()
        upgrade_schema()
        corpus = triage.reference_texts()
        samples = _stored_samples(rng) if args.reuse else fill(args.cases, rng, corpus)
        terms = db.session.scalar(db.select(db.func.count()).select_from(CaseTerm))
        cases = db.session.scalar(db.select(db.func.count()).select_from(Case))
        print(f"open cases: {cases}, case_terms rows: {terms}")
        queries = _queries(samples, corpus, rng, args.queries + 50)
        for report in queries[:50]:  # warm up caches and the connection pool
            find_case(report, signature_of(report))
            db.session.rollback()
        queries = queries[50:]
        print(_line("signature", *_timed(signature_of, queries)))
        print(_line("lookup", *_timed(lambda r: find_case(r, signature_of(r)), queries)))
        print(_line("attach", *_timed(attach, queries)))
    # Other work on the machine inflates wall times; the CPU times are this process's own.
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
