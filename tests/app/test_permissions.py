"""Every rule under /staff/, for every kind of visitor: who gets in and who is refused.

The rules are read from the app's URL map, so a new staff route fails here until it is
declared in ALLOWED (who may use it) and its URL arguments have a value in ARG_VALUES.
"""

import tempfile
from dataclasses import dataclass

import pytest
from factories import PASSWORD

from intake import create_app
from intake.core.extensions import db
from intake.core.models import Attachment, Case, Report
from intake.reports.evidence import Upload
from intake.users.models import User

ANONYMOUS = "anonymous"
OPERATOR = "operator"
OTHER_DESK = "other-desk-moderator"
MODERATOR = "desk-moderator"  # of the sample case's desk
ADMIN = "admin"
VISITORS = (ANONYMOUS, OPERATOR, OTHER_DESK, MODERATOR, ADMIN)

STAFF = {OPERATOR, OTHER_DESK, MODERATOR, ADMIN}
MODERATORS = {OTHER_DESK, MODERATOR, ADMIN}  # pages scoped to the moderator's own desks
DESK_WORK = {MODERATOR, ADMIN}  # acting on the sample case (battery-safety desk)
ADMINS = {ADMIN}
CALL_TAKERS = {OPERATOR, ADMIN}  # the hotline call screen
PUBLIC = "public"  # reachable without an account and showing no staff data

# endpoint -> who may use it (every other visitor must be refused). Declare new routes here;
# a (endpoint, METHOD) key overrides the endpoint's entry for one method.
ALLOWED: dict[str | tuple[str, str], set[str] | str] = {
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.home": STAFF,
    "oversight.dashboard": MODERATORS,
    "oversight.audit_trail": ADMINS,
    "transparency.staff_figures": MODERATORS,  # newsroom-wide aggregates, no names
    "hotline.call_screen": CALL_TAKERS,
    "moderation.queue": MODERATORS,
    "moderation.claim_next": MODERATORS,
    "moderation.claim_selected": MODERATORS,
    "moderation.claim": DESK_WORK,
    "moderation.release": DESK_WORK,
    "casework.case": DESK_WORK,
    "casework.decide": DESK_WORK,
    "casework.reopen": DESK_WORK,
    "publishing.publish": DESK_WORK,  # debunks of the sample case
    "publishing.unpublish": DESK_WORK,
    "appeals.decide": DESK_WORK,
    "casework.bulk_decide": MODERATORS,
    "casework.evidence": DESK_WORK,
    "evidence.thumbnail": DESK_WORK,
    "merging.merge": DESK_WORK,
    "merging.move_out": DESK_WORK,
    "desk_moves.move": DESK_WORK,
    "matching.apply_match": DESK_WORK,
    "model_admin.models": ADMINS,
    "hotline.lookup": CALL_TAKERS,
    "hotline.receipt": CALL_TAKERS,
    "notifications.outbox": ADMINS,
    "notifications.retry": ADMINS,
    "callbacks.callback_list": {OPERATOR},  # callers' numbers: operators only
    "callbacks.done": {OPERATOR},
    "search.search_page": STAFF,  # results limited to what each visitor may open
    "misuse.suspend_reporter": ADMINS,  # moderators see the marks, not the button
}

# URL argument -> its value, taken from the sample world below.
ARG_VALUES = {
    "case_id": lambda w: w.case_id,
    "report_id": lambda w: w.report_id,
    "attachment_id": lambda w: w.attachment_id,
    "tracking_code": lambda w: w.tracking_code,
    "code": lambda w: w.tracking_code,
    "user_id": lambda w: w.user_id,
    "username": lambda w: "mona",
    "desk": lambda w: "battery-safety",
    "topic": lambda w: "battery-safety",
}

ACCOUNTS = {  # visitor -> (username, role, desks)
    OPERATOR: ("olga", "operator", ()),
    OTHER_DESK: ("otto", "moderator", ("vehicle-data",)),
    MODERATOR: ("mona", "moderator", ("battery-safety",)),
    ADMIN: ("root", "admin", ()),
}
CLAIM = "A video says a parked EV caught fire by itself in Wuhan."
# A real 1x1 PNG: the thumbnail route decodes it (a header alone is "not a picture", 404).
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe"
       b"\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def _staff_rules() -> list[tuple[str, str, str]]:
    app = create_app({"DATABASE_URL": "sqlite://", "SCHEMA_CHECK": False, "SECRET_KEY": "x"},
                     instance_path=tempfile.mkdtemp(prefix="url-map-"))
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules() if rule.rule.startswith("/staff/")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    )


RULES = _staff_rules()


def _allowed(endpoint: str, method: str):
    return ALLOWED.get((endpoint, method), ALLOWED.get(endpoint))


@dataclass(frozen=True)
class World:
    case_id: int
    report_id: int
    attachment_id: int
    tracking_code: str
    user_id: int


@pytest.fixture
def world(app, make_report, make_user) -> World:
    """A battery-safety case with one report and its evidence file, and the moderator mona."""
    return _world(app, make_report, make_user, "battery-safety")


@pytest.fixture
def unrouted_world(app, make_report, make_user) -> World:
    """The same, but no model has routed the case to a desk yet (topic None)."""
    return _world(app, make_report, make_user, None)


def _world(app, make_report, make_user, topic: str | None) -> World:
    make_user("mona")
    # Logged by the hotline so the call receipt page has a report to show.
    code = make_report(channel="hotline", uploads=[Upload("photo.png", "image/png", PNG)])
    with app.app_context():
        report = db.session.scalars(db.select(Report).where(Report.tracking_code == code)).one()
        case = db.session.get_one(Case, report.case_id)
        case.topic = report.topic = topic
        report.scoring_status, report.p_actionable = "scored", 0.7
        db.session.commit()
        attachment = db.session.scalars(db.select(Attachment.id)).one()
        mona = db.session.scalars(db.select(User.id).where(User.username == "mona")).one()
        return World(case.id, report.id, attachment, code, mona)


def _url(rule: str, world: World) -> str:
    url = rule
    while "<" in url:
        start, end = url.index("<"), url.index(">")
        name = url[start + 1:end].split(":")[-1]
        if name not in ARG_VALUES:
            pytest.fail(f"URL argument <{name}> of {rule} has no value: add it to ARG_VALUES")
        url = url[:start] + str(ARG_VALUES[name](world)) + url[end + 1:]
    return url


def _sign_in(client, make_user, visitor: str) -> None:
    if visitor == ANONYMOUS:
        return
    name, role, desks = ACCOUNTS[visitor]
    if name != "mona":  # the world already made her
        make_user(name, role=role, desks=desks)
    response = client.post("/staff/login", data={"username": name, "password": PASSWORD})
    assert response.status_code == 303, f"{name} could not sign in"


def _sent_to_login(response) -> bool:
    return response.status_code in (302, 303) and "/staff/login" in response.headers["Location"]


def test_every_staff_route_is_declared():
    undeclared = sorted({e for e, m, _r in RULES if _allowed(e, m) is None})
    assert not undeclared, f"declare who may use these staff endpoints in ALLOWED: {undeclared}"


def test_every_declaration_names_a_route():
    endpoints = {e for e, _m, _r in RULES} | {(e, m) for e, m, _r in RULES}
    assert not [key for key in ALLOWED if key not in endpoints]


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize(("endpoint", "method", "rule"), RULES,
                         ids=[f"{e}-{m}" for e, m, _r in RULES])
def test_staff_route(client, make_user, world, endpoint, method, rule, visitor):
    allowed = _allowed(endpoint, method)
    if allowed is None:
        pytest.fail(f"{endpoint} is not declared in ALLOWED")
    _sign_in(client, make_user, visitor)
    response = client.open(_url(rule, world), method=method, data={})
    body = response.get_data().decode("utf-8", "replace")  # evidence files are binary
    if allowed == PUBLIC:
        assert response.status_code < 500
        assert CLAIM not in body and world.tracking_code not in body
    elif visitor in allowed:
        assert response.status_code not in (401, 403, 404, 405), body[:500]
        assert response.status_code < 500 and not _sent_to_login(response)
    elif visitor == ANONYMOUS:
        assert _sent_to_login(response) or response.status_code in (401, 403, 404)
        assert CLAIM not in body
    else:
        assert response.status_code in (403, 404)
        assert CLAIM not in body


CASE_WORK = [(e, m, r) for e, m, r in RULES if _allowed(e, m) == DESK_WORK]


@pytest.mark.parametrize("visitor", (OPERATOR, OTHER_DESK))
@pytest.mark.parametrize(("endpoint", "method", "rule"), CASE_WORK,
                         ids=[f"{e}-{m}" for e, m, _r in CASE_WORK])
def test_unrouted_case_route(client, make_user, unrouted_world, endpoint, method, rule, visitor):
    """One desk rule (users/permissions.py) for every route: any moderator may work a case no
    model has routed yet, whatever their desks; an operator still may not."""
    _sign_in(client, make_user, visitor)
    response = client.open(_url(rule, unrouted_world), method=method, data={})
    if visitor == OTHER_DESK:
        assert response.status_code not in (401, 403, 404, 405), (endpoint, response.status_code)
        assert response.status_code < 500 and not _sent_to_login(response)
    else:
        assert response.status_code in (403, 404)
