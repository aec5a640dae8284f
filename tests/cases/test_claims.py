"""Claiming: exclusive under concurrency, expiry, renewal, release, claim next, audit."""

import threading
from datetime import timedelta

import pytest

from intake.audit.models import AuditEvent
from intake.cases import claims
from intake.core.extensions import db
from intake.core.models import Case, utcnow
from intake.users.models import User


def _claim_events(case_id=None) -> list[AuditEvent]:
    query = db.select(AuditEvent).where(AuditEvent.action.in_(("case.claim", "case.release")))
    if case_id is not None:
        query = query.where(AuditEvent.target_id == str(case_id))
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def test_claim_is_exclusive_and_audited(app, make_user, make_case, user_named):
    make_user("mona"), make_user("max")
    case_id = make_case()
    with app.app_context():
        first = claims.claim(case_id, user_named("mona"), ip="10.0.0.1")
        second = claims.claim(case_id, user_named("max"))
        assert (first.reason, second.reason) == ("claimed", "taken")
        assert second.holder == "mona"
        case = db.session.get(Case, case_id)
        assert case.claimed_by_id == user_named("mona").id
        assert case.claimed_until > utcnow() + timedelta(minutes=app.config["CLAIM_MINUTES"] - 1)
        [event] = _claim_events(case_id)
        assert (event.actor_name, event.ip) == ("mona", "10.0.0.1")
        assert event.before["claimed_by"] is None and event.after["claimed_by"] == "mona"


def test_holder_renews(app, make_user, make_case, user_named):
    make_user("mona")
    case_id = make_case()
    with app.app_context():
        assert claims.claim(case_id, user_named("mona")).reason == "claimed"
        assert claims.claim(case_id, user_named("mona")).reason == "renewed"


def test_expired_claim_can_be_taken(app, make_user, make_case, user_named):
    make_user("mona"), make_user("max")
    with app.app_context():
        mona = user_named("mona")
    case_id = make_case(claimed_by_id=mona.id, claimed_until=utcnow() - timedelta(minutes=1))
    with app.app_context():
        result = claims.claim(case_id, user_named("max"))
        assert result.reason == "claimed"
        assert db.session.get(Case, case_id).claimed_by_id == user_named("max").id
        assert _claim_events(case_id)[-1].before["claimed_by"] == "mona"


@pytest.mark.parametrize("status", ["resolved", "merged"])
def test_decided_case_cannot_be_claimed(app, make_user, make_case, user_named, status):
    make_user("mona")
    case_id = make_case(status=status)
    with app.app_context():
        assert claims.claim(case_id, user_named("mona")).reason == "closed"
        assert _claim_events() == []


def test_other_desk_and_missing_cases(app, make_user, make_case, user_named):
    make_user("mona", desks=("vehicle-data",))
    case_id = make_case(topic="battery-safety")
    with app.app_context():
        assert claims.claim(case_id, user_named("mona")).reason == "forbidden"
        assert claims.claim(case_id + 1000, user_named("mona")).reason == "missing"
        assert db.session.get(Case, case_id).claimed_by_id is None


def test_release_by_holder_only(app, make_user, make_case, user_named):
    make_user("mona"), make_user("max"), make_user("ada", role="admin")
    case_id = make_case()
    with app.app_context():
        claims.claim(case_id, user_named("mona"))
        db.session.expire_all()
        assert db.session.get(Case, case_id).status == "under_review"
        for other in ("max", "ada"):
            refused = claims.release(case_id, user_named(other))
            assert (refused.reason, refused.holder) == ("not_holder", "mona")
        assert db.session.get(Case, case_id).claimed_by_id == user_named("mona").id
        assert claims.release(case_id, user_named("mona")).reason == "released"
        db.session.expire_all()
        case = db.session.get(Case, case_id)
        assert (case.claimed_by_id, case.status) == (None, "open")
        assert [e.action for e in _claim_events(case_id)] == ["case.claim", "case.release"]


def test_claim_next_takes_the_top_unclaimed_case_of_own_desks(app, make_user, make_case,
                                                              user_named):
    make_user("mona", desks=("battery-safety", "vehicle-data")), make_user("max")
    with app.app_context():
        max_id = user_named("max").id
    make_case(topic="industry-market", priority=99.0)  # not mona's desk
    make_case(priority=95.0, claimed_by_id=max_id, claimed_until=utcnow() + timedelta(hours=1))
    make_case(priority=90.0, status="resolved")
    top = make_case(topic="vehicle-data", priority=80.0)
    second = make_case(priority=70.0)
    with app.app_context():
        mona = user_named("mona")
        assert claims.claim_next(mona).case_id == top
        assert claims.claim_next(mona).case_id == second
        assert claims.claim_next(mona).reason == "empty"


def _hammer(app, names: list[str], attempt) -> list:
    """Run attempt(user) in one thread per user, all released at once; return the results."""
    barrier, results = threading.Barrier(len(names)), {}

    def work(name: str) -> None:
        with app.app_context():
            user = db.session.scalars(db.select(User).where(
                User.username == name)).one()
            barrier.wait()
            results[name] = attempt(user)
            db.session.commit()  # as the view does after the operation
            db.session.remove()

    threads = [threading.Thread(target=work, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == len(names), "a claimant crashed or hung"
    return [results[name] for name in names]


@pytest.fixture
def moderators(make_user) -> list[str]:
    return [make_user(f"mod{i}") for i in range(8)]


# Threads: each needs its own connection, and sees the others' commits.
@pytest.mark.commits
def test_race_on_one_case_has_exactly_one_winner(app, moderators, make_case):
    case_id = make_case()
    results = _hammer(app, moderators, lambda user: claims.claim(case_id, user))
    winners = [name for name, r in zip(moderators, results, strict=True) if r.ok]
    assert len(winners) == 1
    assert sorted(r.reason for r in results) == ["claimed"] + ["taken"] * 7
    with app.app_context():
        holder = db.session.get(Case, case_id).claimed_by_id
        [event] = _claim_events(case_id)
        assert event.actor_name == winners[0] and event.actor_id == holder


# Threads: each needs its own connection, and sees the others' commits.
@pytest.mark.commits
def test_race_for_claim_next_gives_each_case_to_one_moderator(app, moderators, make_case):
    case_ids = {make_case(priority=90.0 - i) for i in range(3)}
    results = _hammer(app, moderators, lambda user: claims.claim_next(user))
    won = [r.case_id for r in results if r.ok]
    assert sorted(won) == sorted(case_ids)  # every case once, none twice
    assert [r.reason for r in results].count("empty") == 5
    with app.app_context():
        events = _claim_events()
        assert sorted(int(e.target_id) for e in events) == sorted(case_ids)
        for event in events:
            assert db.session.get(Case, int(event.target_id)).claimed_by_id == event.actor_id
