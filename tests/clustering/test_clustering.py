"""Clustering on intake: which new reports join an open case and which open their own."""

import threading

import pytest

from intake.core.extensions import db
from intake.core.models import Case, CaseTerm, Report
from intake.reports.operations import ReportInput, submit_batch, submit_report

BYD_ZH = "网传视频称比亚迪汉在深圳充电时起火爆炸，3人受伤，车主称电池突然冒烟"
BYD_EN = ("A viral video claims a BYD Han caught fire and exploded while charging in Shenzhen; "
          "the owner says the battery suddenly smoked")
TESLA_ZH = "网传特斯拉上海工厂将裁员3000人，消息称已经开始通知员工"
TESLA_EN = ("Rumour says Tesla will lay off 3,000 workers at its Shanghai factory and has "
            "started telling staff")
GARAGE_1 = ("Video claims a parked Tesla Model Y caught fire in an underground garage in "
            "Hangzhou last night")
GARAGE_2 = ("Someone shared a clip saying a Tesla Model Y parked in a Hangzhou underground "
            "car park burst into flames last night")
RECALL = "Post says Tesla is recalling 200,000 Model Y cars in China because of faulty brakes"
TAXI_1 = "网传武汉一辆无人驾驶出租车撞死三个小学生，政府封锁消息，转发扩散"
TAXI_2 = "紧急扩散！！武汉无人驾驶出租车撞死三个小学生，政府封锁消息！！！转发让更多人知道！！！"
LAYOFF_ZH = "网传比亚迪深圳工厂裁员3000人，员工已收到通知"


@pytest.fixture
def case_of(app):
    """Return the case id of a stored report's tracking code."""

    def get(code: str) -> int:
        with app.app_context():
            return db.session.scalars(
                db.select(Report.case_id).where(Report.tracking_code == code)).one()

    return get


@pytest.mark.parametrize(("first", "second"), [
    (BYD_ZH, BYD_EN),
    (TESLA_EN, TESLA_ZH),
    (GARAGE_1, GARAGE_2),
    (TAXI_1, TAXI_2),
], ids=["zh-then-en", "en-then-zh", "en-paraphrase", "zh-repost"])
def test_near_duplicates_join_one_case(make_report, case_of, first, second):
    a = make_report(claim=first, explanation=None)
    b = make_report(claim=second, explanation=None)

    assert case_of(a) == case_of(b)


@pytest.mark.parametrize(("first", "second"), [
    (GARAGE_1, RECALL),
    (BYD_ZH, LAYOFF_ZH),
    (BYD_ZH, TESLA_EN),
    (TESLA_ZH, "Video says a Tesla caught fire while charging in Shanghai"),
], ids=["same-maker-other-story", "same-maker-place-zh", "unrelated", "same-maker-place-xling"])
def test_different_rumours_open_their_own_cases(make_report, case_of, first, second):
    a = make_report(claim=first, explanation=None)
    b = make_report(claim=second, explanation=None)

    assert case_of(a) != case_of(b)


def test_across_languages_only_glossary_names_places_and_numbers_connect(make_report, case_of):
    # A known limit: a maker the glossary does not know leaves a Chinese and an English
    # report with nothing in common, so they stay apart until a moderator merges them.
    a = make_report(claim="网传极跃汽车K5在地下车库自燃，车主称电池突然冒烟起火", explanation=None)
    b = make_report(claim="A Jiyue K5 reportedly caught fire by itself in an underground garage, "
                          "the owner says the battery suddenly smoked", explanation=None)

    assert case_of(a) != case_of(b)


@pytest.mark.parametrize("short", ["fake!", "假的！", "特斯拉自燃了"])
def test_a_short_text_does_not_merge(make_report, case_of, short):
    a = make_report(claim=short, explanation=None)
    b = make_report(claim=short, explanation=None)

    assert case_of(a) != case_of(b)


def test_the_same_link_with_tracking_parameters_joins(make_report, case_of):
    a = make_report(claim="fake!", explanation=None,
                    urls=["https://www.weibo.com/123/AbCdEf?utm_source=wechat&spm=a.b.c"])
    b = make_report(claim="假的！", explanation=None,
                    urls=["http://m.weibo.com/123/AbCdEf/?fbclid=xyz#comments"])

    assert case_of(a) == case_of(b)


def test_a_bare_site_link_does_not_join(make_report, case_of):
    a = make_report(claim="fake!", explanation=None, urls=["https://weibo.com/"])
    b = make_report(claim="not true", explanation=None, urls=["https://www.weibo.com"])

    assert case_of(a) != case_of(b)


def test_a_resolved_case_takes_no_new_reports(app, make_report, case_of):
    a = make_report(claim=GARAGE_1, explanation=None)
    with app.app_context():
        db.session.get(Case, case_of(a)).status = "resolved"
        db.session.commit()

    b = make_report(claim=GARAGE_2, explanation=None)

    assert case_of(b) != case_of(a)


def test_clustering_can_be_switched_off(app_factory):
    app = app_factory(CLUSTER_ENABLED=False)
    with app.app_context():
        reports = [submit_report(ReportInput(claim=GARAGE_1), channel="web",
                                 upload_dir=app.config["UPLOAD_DIR"])[0] for _ in range(2)]
        db.session.commit()
        assert reports[0].case_id != reports[1].case_id


def test_a_new_case_is_indexed_and_a_joined_case_is_counted(app, make_report, case_of):
    a = make_report(claim=GARAGE_1, explanation=None, reporter_key="k1")
    make_report(claim=GARAGE_2, explanation=None, reporter_key="k2")
    make_report(claim=GARAGE_2, explanation="again", reporter_key="k1")

    with app.app_context():
        case = db.session.get(Case, case_of(a))
        terms = db.session.scalars(db.select(CaseTerm).where(CaseTerm.case_id == case.id)).all()
        assert (case.report_count, case.reporter_count) == (3, 2)
        assert case.title == GARAGE_1 and case.language == "en"
        assert case.signature and len(terms) >= 12


def _web_form(**overrides) -> dict:
    data = {"claim": GARAGE_1, "explanation": "Old footage.", "good_faith": "y"}
    data.update(overrides)
    return data


def test_the_web_form_counts_distinct_reporters_by_address_or_contact(app, client):
    sends = [({"REMOTE_ADDR": "198.51.100.7"}, {}),
             ({"REMOTE_ADDR": "198.51.100.7"}, {"claim": GARAGE_2}),
             ({"REMOTE_ADDR": "198.51.100.8"}, {}),
             # The same person from another network, known by the contact they gave:
             ({"REMOTE_ADDR": "203.0.113.1"}, {"contact_email": "Li@example.com",
                                                "contact_consent": "y"}),
             ({"REMOTE_ADDR": "203.0.113.2"}, {"contact_email": "li@example.com",
                                                "contact_consent": "y"})]
    for environ, fields in sends:
        response = client.post("/report", data=_web_form(**fields), environ_base=environ)
        assert response.status_code == 303

    with app.app_context():
        [case] = db.session.scalars(db.select(Case)).all()
        keys = db.session.scalars(db.select(Report.reporter_key)).all()
        assert (case.report_count, case.reporter_count) == (5, 3)
        assert not any("198.51" in key or "example" in key for key in keys)


def _send_at_once(app, claims: list[str]) -> None:
    # One thread (and database connection) per report, released together by a barrier.
    start, errors = threading.Barrier(len(claims)), []

    def send(n: int, claim: str) -> None:
        try:
            with app.app_context():
                start.wait(timeout=10)
                submit_report(ReportInput(claim=claim, reporter_key=f"t{n}"), channel="web",
                              upload_dir=app.config["UPLOAD_DIR"])
                db.session.commit()
                db.session.remove()
        except Exception as exc:  # reported below: a thread's error must fail the test
            errors.append(exc)

    workers = [threading.Thread(target=send, args=item) for item in enumerate(claims)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []


# Threads: each needs its own connection, and sees the others' commits.
@pytest.mark.commits
def test_concurrent_reports_joining_one_case_are_all_counted(app, make_report, case_of):
    first = make_report(claim=GARAGE_1, explanation=None, reporter_key="first")

    _send_at_once(app, [GARAGE_2] * 6)

    with app.app_context():
        case = db.session.get(Case, case_of(first))
        assert db.session.scalar(db.select(db.func.count()).select_from(Case)) == 1
        assert (case.report_count, case.reporter_count) == (7, 7)


# Threads: each needs its own connection, and sees the others' commits.
@pytest.mark.commits
def test_first_reports_of_one_rumour_arriving_together_open_one_case(app):
    # Nobody has reported it yet: each report looks, finds nothing and would open a case.
    _send_at_once(app, [GARAGE_1, GARAGE_2] * 3 + [RECALL])

    with app.app_context():
        cases = db.session.scalars(db.select(Case).order_by(Case.report_count)).all()
        terms = db.session.scalars(db.select(CaseTerm.case_id).distinct()).all()
        assert [(c.report_count, c.reporter_count) for c in cases] == [(1, 1), (6, 6)]
        assert sorted(terms) == sorted(c.id for c in cases)  # no index rows of a lost case


# Threads: each needs its own connection, and sees the others' commits.
@pytest.mark.commits
def test_a_batch_holds_case_openings_until_it_commits(app, make_report, case_of):
    # A batch locks the cases it joins; it takes the opening lock before any of them, as
    # single reports do, so the two can never wait for each other in opposite orders.
    first = make_report(claim=GARAGE_1, explanation=None)
    opened = threading.Event()

    def open_another() -> None:
        with app.app_context():
            submit_report(ReportInput(claim=RECALL), channel="web",
                          upload_dir=app.config["UPLOAD_DIR"])
            db.session.commit()
            db.session.remove()
        opened.set()

    other = threading.Thread(target=open_another)
    with app.app_context():
        [joined] = submit_batch([ReportInput(claim=GARAGE_2)], channel="hotline")
        other.start()
        assert not opened.wait(0.5)  # a new case waits for the batch
        db.session.commit()
        assert joined.case_id == case_of(first)
    other.join(timeout=10)
    assert opened.is_set()
