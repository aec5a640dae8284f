"""One index lookup for clustering and claim matching gives what separate lookups gave.

The reference below re-reads the case_terms index with plain ORM queries (newest postings per
term, most shared first, then the status filter), the way the separate lookups worked.
"""

import random
from collections import Counter
from datetime import timedelta

import pytest
from flask import current_app
from sql_log import recorded

from intake.clustering import index as case_index
from intake.clustering import operations as clustering
from intake.clustering.signatures import similarity_to_stored
from intake.core.extensions import db
from intake.core.links import url_key
from intake.core.models import Case, CaseTerm, Report, ReportUrl, utcnow
from intake.matching import operations as claim_match
from intake.triage import scoring as triage

OUTCOMES = ("false", "accurate", "unverifiable", None)  # None: resolved without a verdict


def _fill(count: int) -> list[str]:
    """Store cases in every status, many near each other; return the claims used."""
    rng, corpus = random.Random(7), triage.reference_texts()[:40]
    claims, now = [], utcnow()
    for i in range(count):
        claim = f"{corpus[i % len(corpus)][:160]} Shanghai {rng.randint(10, 40)}"
        status = ("open", "under_review", "resolved", "resolved", "merged")[i % 5]
        case = Case(status=status, created_at=now - timedelta(minutes=count - i),
                    report_count=1, outcome=OUTCOMES[i % 4] if status == "resolved" else None,
                    decided_at=now - timedelta(minutes=i % 17) if status == "resolved" else None)
        sig = clustering.signature_of(Report(claim=claim, explanation=None))
        case_index.add(case, sig)
        db.session.add(case)
        claims.append(claim)
    db.session.commit()
    return claims


def _reference(sig, statuses) -> list[tuple[int, float]]:
    config = current_app.config
    shared: Counter[int] = Counter()
    for term in sig.index_terms(config["CLUSTER_QUERY_TERMS"]):
        shared.update(db.session.scalars(
            db.select(CaseTerm.case_id).where(CaseTerm.term == term)
            .order_by(CaseTerm.case_id.desc()).limit(config["CLUSTER_POSTINGS"])))
    top = sorted(shared, key=lambda i: (-shared[i], -i))[:config["CLUSTER_CANDIDATES"]]
    query, how = sig.to_json(), case_index.rules()
    found = [(c.id, similarity_to_stored(query, c.signature or {}, how))
             for c in db.session.scalars(db.select(Case).where(Case.id.in_(top)))
             if c.status in statuses]
    return sorted(found, key=lambda item: (-item[1], -item[0]))


def _reference_match(sig) -> tuple | None:
    for case_id, score in _reference(sig, ("resolved",)):
        if score < current_app.config["MATCH_THRESHOLD"]:
            return None
        case = db.session.get(Case, case_id)
        if case.outcome:
            return (case.id, case.outcome, case.decided_at, min(score, 1.0), "text")
    return None


@pytest.fixture
def queries(app):
    with app.app_context():
        current_app.config["CLUSTER_POSTINGS"] = 30  # postings are cut off, as at scale
        claims = _fill(300)
    rng = random.Random(3)
    near = [" ".join(w for w in c.split(" ") if rng.random() > 0.15) for c in claims[::7]]
    return near + ["A new V2X pilot zone opened in Chengdu with 300 roadside units."]


def test_one_lookup_splits_into_what_each_status_lookup_finds(app, queries):
    matched = 0
    with app.app_context():
        current_app.config["CLUSTER_POSTINGS"] = 30
        for claim in queries:
            sig = clustering.signature_of(Report(claim=claim, explanation=None))
            shared = case_index.SharedLookup(sig)
            for statuses in (case_index.JOINABLE, ("resolved",)):
                expected = _reference(sig, statuses)
                assert case_index.candidates(sig, statuses) == expected
                assert [(c.case_id, c.similarity) for c in shared.among(statuses)] == expected
            report = Report(claim=claim, explanation=None)
            own, on_shared = claim_match.find(report, sig), claim_match.find(report, sig, shared)
            expected = _reference_match(sig)
            for match in (own, on_shared):
                got = match and (match.case_id, match.outcome, match.decided_at,
                                 match.similarity, match.via)
                assert got == expected
            matched += expected is not None
    assert 10 <= matched < len(queries)  # matches and misses both happen


def test_intake_runs_the_index_query_once(app, queries):
    with app.app_context():
        current_app.config["CLUSTER_POSTINGS"] = 30
        claim, expected = next((q, m) for q in queries if (m := _reference_match(
            clustering.signature_of(Report(claim=q, explanation=None)))))
        with recorded(db.engine) as statements:
            report = Report(claim=claim, explanation=None, channel="web", language="en",
                            received_at=utcnow(), tracking_code="T-LOOKUP-1",
                            case=Case(status="open", report_count=1, created_at=utcnow()))
            clustering.attach(report)
        assert report.case.match_case_id == expected[0]  # matching used clustering's lookup
        assert sum("case_terms" in s and "SELECT" in s for s in statements) == 1
        db.session.rollback()


def test_one_link_query_and_matching_before_the_case_lock(app):
    # A link shared by an open case (to join) and a decided one (to match): intake reads
    # both with one query, and matching reads nothing after the case lock (UPDATE cases),
    # which on SQLite is the database's write lock.
    url = "https://news.example.com/a/2026/robotaxi-ban"
    with app.app_context():
        now = utcnow()

        def stored(status: str, **decided) -> Case:
            case = Case(status=status, report_count=1, created_at=now, updated_at=now,
                        **decided)
            report = Report(claim=f"Robotaxis banned ({status})", channel="web",
                            language="en", received_at=now, tracking_code=f"T-LINK-{status}",
                            case=case, urls=[ReportUrl(position=0, url=url, url_key=url_key(url))])
            db.session.add(report)
            return case

        decided = stored("resolved", outcome="false", decided_at=now - timedelta(days=2))
        open_case = stored("open")
        db.session.commit()
        report = Report(claim="Short", explanation=None, channel="web", language="en",
                        received_at=utcnow(), tracking_code="T-LINK-NEW",
                        urls=[ReportUrl(position=0, url=url, url_key=url_key(url))],
                        case=Case(status="open", report_count=1, created_at=utcnow()))
        with recorded(db.engine) as sent:
            clustering.attach(report)
        statements = [" ".join(s.split()) for s in sent]
        assert report.case is db.session.get(Case, open_case.id)
        assert report.case.match_case_id == decided.id
        assert report.case.match_outcome == "false"
        links = [i for i, s in enumerate(statements) if "FROM cases JOIN reports" in s
                 and "report_urls" in s]
        lock = next(i for i, s in enumerate(statements) if s.startswith("UPDATE cases"))
        assert len(links) == 1, statements
        assert links[0] < lock, statements
        db.session.rollback()
