"""`flask cases reprioritise`: waiting raises priority so nothing starves; stale claims expire."""

from datetime import timedelta

import pytest

from intake.audit.models import AuditEvent
from intake.core.extensions import db
from intake.core.models import Case, utcnow
from intake.users.models import User


def _case(app, case_id: int) -> Case:
    with app.app_context():
        return db.session.get_one(Case, case_id)


def _age(app, case_id: int, hours: float) -> None:
    with app.app_context():
        case = db.session.get_one(Case, case_id)
        case.created_at = utcnow() - timedelta(hours=hours)
        db.session.commit()


def _run(runner, *args: str):
    result = runner.invoke(args=["cases", "reprioritise", *args])
    assert result.exit_code == 0, result.output
    return result


def test_waiting_raises_an_old_cases_priority(app, runner, make_case):
    case_id = make_case(age_hours=1)
    _run(runner)
    fresh = _case(app, case_id)
    _age(app, case_id, hours=24 * 5)
    result = _run(runner)
    old = _case(app, case_id)
    assert old.priority > fresh.priority
    assert old.priority_components["waiting"] > fresh.priority_components["waiting"]
    assert old.sla_due_at < fresh.sla_due_at  # due from creation, which is now earlier
    assert "Recomputed 1 open case(s): 1 rose" in result.output


def test_a_long_waiting_low_case_overtakes_a_fresh_one(app, runner, make_case):
    waiting = make_case(age_hours=24 * 6, title="old", p_actionable=0.5)
    fresh = make_case(age_hours=0.1, title="new", p_actionable=0.5)
    _run(runner)
    assert _case(app, waiting).priority > _case(app, fresh).priority


def test_only_open_scored_cases_change_in_every_batch(app, runner, make_case, make_decision):
    open_ids = [make_case(age_hours=24 * n) for n in (1, 2, 3)]
    resolved = make_case(age_hours=48, priority=None, band=None)
    make_decision(resolved)
    unscored = make_case(topic=None, age_hours=48)
    _run(runner, "--batch-size", "1")
    assert all(_case(app, i).priority is not None for i in open_ids)
    assert _case(app, resolved).priority is None
    assert _case(app, unscored).priority is None
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "queue.reprioritise")).one()
    assert event.after["cases"] == 4 and event.actor_name.startswith("cli:")


def test_expired_claims_are_released_and_audited(app, runner, make_case, make_user):
    make_user("mona")
    with app.app_context():
        mona = db.session.scalars(db.select(User).where(User.username == "mona")).one().id
    now = utcnow()
    stale = make_case(claimed_by_id=mona, claimed_until=now - timedelta(minutes=1),
                      status="under_review")
    live = make_case(claimed_by_id=mona, claimed_until=now + timedelta(minutes=20),
                     status="under_review")
    result = _run(runner)
    assert "Released 1 expired claim(s)" in result.output
    assert (_case(app, stale).claimed_by_id, _case(app, stale).status) == (None, "open")
    assert (_case(app, live).claimed_by_id, _case(app, live).status) == (mona, "under_review")
    with app.app_context():
        event = db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "case.claim_expired")).one()
    assert event.target_id == str(stale) and event.before["claimed_by_id"] == mona


def test_claims_can_be_left_alone(app, runner, make_case, make_user):
    make_user("mona")
    with app.app_context():
        mona = db.session.scalars(db.select(User).where(User.username == "mona")).one().id
    stale = make_case(claimed_by_id=mona, claimed_until=utcnow() - timedelta(minutes=1))
    _run(runner, "--no-expire-claims")
    assert _case(app, stale).claimed_by_id == mona


@pytest.mark.parametrize("size", ["0", "-3", "lots"])
def test_bad_batch_size_is_refused(runner, size):
    result = runner.invoke(args=["cases", "reprioritise", "--batch-size", size])
    assert result.exit_code == 2 and "--batch-size" in result.output


def test_an_appealed_case_keeps_its_appeal_component_and_is_due_from_the_appeal(
        app, runner, make_case):
    appealed_at = utcnow() - timedelta(hours=6)
    case_id = make_case(age_hours=24 * 30, status="appealed", outcome="false",
                        decided_at=utcnow() - timedelta(days=2), appealed_at=appealed_at)
    plain = make_case(age_hours=24 * 30)
    _run(runner)
    appealed, other = _case(app, case_id), _case(app, plain)
    assert appealed.priority_components["appeal"] == 25 and "appeal" not in (
        other.priority_components)
    # Waiting counts from the appeal (6 h), not from the case's creation 30 days ago.
    assert appealed.priority_components["waiting"] < other.priority_components["waiting"]
    assert appealed.sla_due_at == appealed_at + timedelta(hours=app.config["SLA_HOURS"][
        appealed.band])
    assert appealed.priority > other.priority


def test_the_job_commits_each_step_and_a_stopped_run_keeps_its_batches(app, make_case,
                                                                        make_user):
    from intake.cases import sla
    from intake.core.jobs import _in_context

    make_user("mona")
    with app.app_context():
        mona = db.session.scalars(db.select(User).where(User.username == "mona")).one().id
    first, second = make_case(age_hours=24 * 5), make_case(age_hours=24 * 5)
    stale = make_case(claimed_by_id=mona, claimed_until=utcnow() - timedelta(minutes=1),
                      status="under_review")
    with app.app_context():
        batches = sla.reprioritise_batches(actor="cli:test", batch_size=1)
        assert next(batches).cases == 1
        db.session.commit()  # the caller's commit after the first batch
        assert next(batches).cases == 2
        batches.close()
        db.session.rollback()  # stopped before the second commit
    assert _case(app, first).priority > 50 and _case(app, second).priority == 50
    _in_context(app, sla.expire_and_reprioritise)()  # what the worker runs
    assert _case(app, stale).claimed_by_id is None and _case(app, second).priority > 50
