"""A case moved to another desk is a topic label for training; a later decision's topic wins."""

from datetime import timedelta

import pytest

import classifier
from intake.cases import desk_moves
from intake.core.extensions import db
from intake.core.models import Case, Decision, Report, utcnow
from intake.reports.tracking import new_code
from intake.triage import training_set
from intake.users import accounts as users
from intake.users.models import User

TEXT = "A post says every charging pile in Hefei's smart-road pilot was hacked last night."


@pytest.fixture
def moved(app):
    """An undecided case the model put on battery-safety, moved to road-cloud by mona."""
    with app.app_context():
        users.create_user("mona", "correct horse battery", "moderator",
                          ["battery-safety", "road-cloud"], actor="cli:test")
        db.session.commit()
        now = utcnow()
        case = Case(status="open", topic="battery-safety", report_count=1,
                    topic_counts={"battery-safety": 1}, created_at=now - timedelta(hours=2))
        db.session.add(Report(tracking_code=new_code(), case=case, channel="web",
                              language="en", claim=TEXT, received_at=case.created_at,
                              topic="battery-safety", scoring_status="scored",
                              p_actionable=0.7))
        db.session.commit()
        mona = db.session.scalars(db.select(User).where(User.username == "mona")).one()
        desk_moves.move_case(case, mona, "road-cloud", "It is about the charging network.")
        db.session.commit()
        return case.id


def _labels(data: classifier.LabelledData) -> list[tuple[str, int]]:
    return [(t, a) for text, t, a in zip(data.texts, data.topics, data.actionable, strict=True)
            if TEXT in text]


def test_an_undecided_move_is_a_topic_only_training_label(app, moved):
    with app.app_context():
        split = training_set.build_split(holdout_share=0.0)
        report_topic = db.session.scalars(db.select(Report.topic)).one()
    assert _labels(split.train) == [("road-cloud", classifier.UNLABELLED)]
    assert not _labels(split.held_out) and split.counts["moved_reports"] == 1
    assert report_topic == "battery-safety"  # the model's prediction is kept as it was


def test_the_decisions_final_topic_wins_over_the_move(app, moved):
    with app.app_context():
        case = db.session.get_one(Case, moved)
        case.status, case.outcome, case.decided_at = "resolved", "false", utcnow()
        db.session.add(Decision(case=case, outcome="false", final_topic="vehicle-data",
                                decided_at=case.decided_at, model_topic="battery-safety"))
        db.session.commit()
        split = training_set.build_split(holdout_share=0.0)
    assert _labels(split.train) == [("vehicle-data", 1)]
    assert split.counts["moved_reports"] == 0


def test_a_merged_moved_case_teaches_nothing_itself(app, moved):
    with app.app_context():
        db.session.get_one(Case, moved).status = "merged"
        db.session.commit()
        assert not training_set.moved_cases()
