"""Decide, bulk decide and reopen through the service: who may, what is written, races."""

import threading

import pytest

from intake.audit.models import AuditEvent
from intake.cases import decisions
from intake.cases.decisions import DecisionError
from intake.core.extensions import db
from intake.core.models import Case, Decision
from intake.users.models import User

EN = {"Accept-Language": "en"}  # services' messages are translated in the request's language


def _user(name: str) -> User:
    return db.session.scalars(db.select(User).where(User.username == name)).one()


def _decisions(case_id: int) -> list[Decision]:
    return list(db.session.scalars(db.select(Decision).where(Decision.case_id == case_id)
                                   .order_by(Decision.id)))


def _events(case_id: int, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).where(
        AuditEvent.target_type == "case", AuditEvent.target_id == str(case_id),
        AuditEvent.action == action)))


@pytest.fixture
def mona(make_user):
    return make_user("mona")


def test_claim_holder_decides_and_the_case_is_resolved(app, make_reported_case, claim, mona):
    case_id, _codes = make_reported_case()
    claim(case_id, mona)
    with app.test_request_context(headers=EN):
        case = db.session.get(Case, case_id)
        decisions.decide(case, _user(mona), "false", "battery-safety", "  Old video.  ",
                         "Checked with the fire brigade.")
        db.session.commit()  # the view's commit
        case = db.session.get(Case, case_id)
        assert (case.status, case.outcome, case.public_note) == ("resolved", "false", "Old video.")
        assert case.internal_note == "Checked with the fire brigade."
        assert case.decided_by_id == _user(mona).id and case.decided_at is not None
        assert case.claimed_by_id is None and case.claimed_until is None
        [decision] = _decisions(case_id)
        assert (decision.outcome, decision.final_topic, decision.current) == (
            "false", "battery-safety", True)
        [event] = _events(case_id, "case.decide")
        assert event.actor_name == mona
        assert event.before["status"] == "under_review" and event.before["outcome"] is None
        assert event.after["status"] == "resolved" and event.after["outcome"] == "false"


@pytest.mark.parametrize("holder, minutes, message", [
    (None, 30, "Claim case"),
    ("olga", 30, "claimed by someone else"),
    ("mona", -1, "has expired"),
])
def test_only_a_live_claim_holder_may_decide(app, make_reported_case, claim, make_user, mona,
                                             holder, minutes, message):
    make_user("olga")
    case_id, _codes = make_reported_case()
    if holder:
        claim(case_id, holder, minutes)
    with app.test_request_context(headers=EN):
        with pytest.raises(DecisionError, match=message):
            decisions.decide(db.session.get(Case, case_id), _user(mona), "false")
        assert _decisions(case_id) == []
        assert db.session.get(Case, case_id).status != "resolved"
        assert _events(case_id, "case.decide") == []


def test_admin_decides_without_a_claim(app, make_reported_case, make_user, claim, mona):
    make_user("root", role="admin", desks=())
    case_id, _codes = make_reported_case()
    claim(case_id, mona)  # even a case someone else holds
    with app.test_request_context(headers=EN):
        decisions.decide(db.session.get(Case, case_id), _user("root"), "accurate")
        db.session.commit()  # the view's commit
        assert db.session.get(Case, case_id).outcome == "accurate"
        assert _decisions(case_id)[0].final_topic == "battery-safety"  # the case's own topic


@pytest.mark.parametrize("fields, message", [
    ({"outcome": "fake"}, "Choose an outcome"),
    ({"final_topic": "cooking"}, "final topic"),
    ({"public_note": "x" * 2001}, "public note is too long"),
    ({"internal_note": "x" * 4001}, "internal note is too long"),
])
def test_bad_input_is_refused_and_nothing_changes(app, make_reported_case, claim, mona, fields,
                                                  message):
    case_id, _codes = make_reported_case()
    claim(case_id, mona)
    args = {"outcome": "false", "final_topic": None} | fields
    with app.test_request_context(headers=EN):
        with pytest.raises(DecisionError, match=message):
            decisions.decide(db.session.get(Case, case_id), _user(mona), **args)
        assert db.session.get(Case, case_id).claimed_by_id == _user(mona).id
        assert _decisions(case_id) == []


def test_unscored_case_needs_a_final_topic(app, make_reported_case, make_user):
    make_user("root", role="admin", desks=())
    case_id, _codes = make_reported_case(topic=None)
    with app.test_request_context(headers=EN):
        with pytest.raises(DecisionError, match="no topic yet"):
            decisions.decide(db.session.get(Case, case_id), _user("root"), "spam")
        decisions.decide(db.session.get(Case, case_id), _user("root"), "spam", "off-topic")
        db.session.commit()  # the view's commit
        assert _decisions(case_id)[0].final_topic == "off-topic"


def test_decided_case_cannot_be_decided_again_until_reopened(app, make_reported_case, claim, mona):
    case_id, _codes = make_reported_case()
    claim(case_id, mona)
    with app.test_request_context(headers=EN):
        decisions.decide(db.session.get(Case, case_id), _user(mona), "false", None, "Old.")
        db.session.commit()  # the view's commit
        with pytest.raises(DecisionError, match="already decided"):
            decisions.decide(db.session.get(Case, case_id), _user(mona), "accurate")
        case = decisions.reopen(db.session.get(Case, case_id), _user(mona))
        db.session.commit()  # the view's commit
        assert (case.status, case.outcome, case.public_note, case.decided_at) == (
            "open", None, None, None)
        [event] = _events(case_id, "case.reopen")
        assert (event.before["status"], event.after["status"]) == ("resolved", "open")
        assert event.before["outcome"] == "false"
        with pytest.raises(DecisionError, match="not decided"):
            decisions.reopen(db.session.get(Case, case_id), _user(mona))
    claim(case_id, mona)
    with app.test_request_context(headers=EN):
        decisions.decide(db.session.get(Case, case_id), _user(mona), "misleading")
        db.session.commit()  # the view's commit
        first, second = _decisions(case_id)
        assert (first.outcome, first.current) == ("false", False)
        assert (second.outcome, second.current) == ("misleading", True)


def test_bulk_decide_reports_per_case_and_keeps_what_succeeded(app, make_reported_case, claim,
                                                               make_user, mona):
    make_user("olga")
    mine = [make_reported_case()[0] for _ in range(2)]
    theirs, other_desk = make_reported_case()[0], make_reported_case(topic="vehicle-data")[0]
    for case_id in mine:
        claim(case_id, mona)
    claim(theirs, "olga")

    def refuse(case):
        return None if case.topic == "battery-safety" else "not your desk"

    with app.test_request_context(headers=EN):
        results = []
        for result in decisions.decide_each([*mine, theirs, other_desk, 999999, mine[0]],
                                            _user(mona), "spam", "Not about a real event.",
                                            may_decide=refuse):
            db.session.commit() if result.decision else db.session.rollback()  # as the view
            results.append(result)
        outcome = {r.case_id: (r.decision is not None, r.error) for r in results}
        assert [r.case_id for r in results] == [*mine, theirs, other_desk, 999999]
        assert outcome[mine[0]] == (True, None) and outcome[mine[1]] == (True, None)
        assert not outcome[theirs][0] and "someone else" in outcome[theirs][1]
        assert outcome[other_desk] == (False, "not your desk")
        assert not outcome[999999][0] and "does not exist" in outcome[999999][1]
        for case_id in mine:
            assert db.session.get(Case, case_id).public_note == "Not about a real event."
            assert _events(case_id, "case.decide")[0].after["bulk"] is True
        assert db.session.get(Case, theirs).status == "under_review"
        with pytest.raises(DecisionError):
            decisions.decide_each(mine, _user(mona), "nonsense")


# Threads: each needs its own connection, and sees the others' commits.
@pytest.mark.commits
@pytest.mark.parametrize("threads", [8])
def test_concurrent_decisions_exactly_one_wins(app, make_reported_case, make_user, claim, mona,
                                               threads):
    """Moderators and admins deciding the same case at once: one decision, no lost one."""
    make_user("root", role="admin", desks=())
    case_id, _codes = make_reported_case()
    claim(case_id, mona)
    barrier, won, lost = threading.Barrier(threads), [], []
    outcomes = ["false", "misleading", "accurate", "unverifiable"]

    def work(index: int) -> None:
        with app.test_request_context(headers=EN):
            name = mona if index % 2 else "root"
            case, user = db.session.get(Case, case_id), _user(name)
            barrier.wait()
            try:
                decisions.decide(case, user, outcomes[index % 4], None, f"note {index}")
                db.session.commit()  # as the view does
                won.append(index)
            except DecisionError:
                db.session.rollback()
                lost.append(index)
            finally:
                db.session.remove()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert len(won) == 1 and len(lost) == threads - 1
    with app.test_request_context(headers=EN):
        [decision] = _decisions(case_id)
        case = db.session.get(Case, case_id)
        assert (decision.outcome, decision.public_note) == (case.outcome, case.public_note)
        assert case.public_note == f"note {won[0]}"
        assert len(_events(case_id, "case.decide")) == 1
