"""Every page, in Chinese, shows labels and translated text: no raw stored value, no English.

The pages come from the app's url_map, so a new GET route is checked (or must be named
below with the reason it is not a page) without anyone remembering to add it here.
"""

import pytest
from factories import PASSWORD
from flask import url_for
from hotline.hotline_data import call_form

from intake.audit.models import AuditEvent
from intake.cases.queue import STATUS_CHOICES
from intake.core.extensions import db
from intake.core.models import Case, Report
from intake.notifications import messages as notifications
from intake.notifications.models import OutboxMessage
from intake.publishing.models import Debunk
from intake.triage.models import ModelActivation, ModelVersion

from .zh_page_text import english_phrases, problems_on

ZH = {"Accept-Language": "zh"}

# GET routes that are not pages a person reads, and why.
NOT_PAGES = {
    "static": "files",
    "api.openapi": "a JSON document for programs",
    "api.get_report": "JSON for partners' programs: stored values are its vocabulary",
    "api.partner_reports": "JSON for partners' programs, like api.get_report",
    "system.healthz": "JSON for monitoring",
    "public.set_language": "a redirect",
    "public.index": "a redirect to the report form",
    "casework.evidence": "a file download",
    "evidence.thumbnail": "a JPEG image",
    "debunks.feed": "an Atom document for feed readers",
}
# Rules of a page's endpoint that only redirect to it, and where.
REDIRECT_RULES = {
    "/staff/": "to the signed-in role's working page (queue, call screen or dashboard)",
    "/debunks/<int:debunk_id>": "to the debunk's address with its slug",
    "/status/<code>/appeal": "a GET (the decision mail's link) goes to the status page's form",
}

@pytest.fixture
def world(app, make_user, make_report):
    """Every kind of thing a page lists: hotline calls, decided, reopened, held and merged
    cases, audit rows with Chinese notes, outbox mail, a call-back and two model versions."""
    app.config["TRANSPARENCY_PUBLIC"] = True  # the optional public page is a page too
    make_user("olga", role="operator", desks=())
    make_user("mona", role="moderator", desks=("battery-safety",))
    make_user("ada", role="admin", desks=())
    clients = {None: app.test_client()}
    for name in ("olga", "mona", "ada"):
        clients[name] = app.test_client()
        assert clients[name].post("/staff/login", data={"username": name, "password": PASSWORD},
                                  headers=ZH).status_code in (302, 303)
    olga, mona, ada = clients["olga"], clients["mona"], clients["ada"]
    claims = ["网传某品牌电动车在小区地下车库充电时电池起火自燃。",
              "网传某市智能网联示范区全部路口撤销红绿灯。",
              "网传某车企因电池缺陷召回全部车型。"]
    for n, claim in enumerate(claims):
        assert olga.post("/staff/hotline", data=call_form(
            claim=claim, consent="y", urgent="y" if n == 0 else "",
            caller_number=f"138 0013 800{n}")).status_code == 303
    web_code = make_report(claim="网传某自动驾驶出租车闯红灯撞人。", platform="weibo",
                           explanation="同一段视频去年就在流传。",
                           contact_email="reader@example.org", contact_consent=True)
    with app.app_context():
        hotline = db.session.scalars(db.select(Report).where(Report.channel == "hotline")
                                     .order_by(Report.id)).all()
        web = db.session.scalars(db.select(Report).where(Report.tracking_code == web_code)).one()
        for report in (*hotline, web):
            report.case.topic = "battery-safety"
        db.session.commit()
        decided, held, merged = (r.case_id for r in hotline)
        ids = {"decided": decided, "held": held, "merged": merged, "open": web.case_id,
               "code": hotline[0].tracking_code, "web_code": web_code}
    decide = {"outcome": "false", "final_topic": "battery-safety",
              "public_note": "经核实，视频拍摄于2021年，与该品牌无关。",
              "internal_note": "来源：官方通报"}
    assert mona.post(f"/staff/cases/{decided}/claim", headers=ZH).status_code in (302, 303)
    assert mona.post(f"/staff/cases/{decided}/release", headers=ZH).status_code in (302, 303)
    assert mona.post(f"/staff/cases/{decided}/claim", headers=ZH).status_code in (302, 303)
    assert mona.post(f"/staff/cases/{decided}/decide", data=decide).status_code == 303
    assert ada.post(f"/staff/cases/{decided}/reopen",
                    data={"reason": "经复核需要补充证据", "confirm": "y"}).status_code == 303
    assert ada.post(f"/staff/cases/{decided}/decide", data=decide).status_code == 303
    assert ada.post(f"/staff/cases/{decided}/publish", data={
        "debunk-claim_reviewed": "网传某品牌电动车在地下车库充电时起火。",
        "debunk-sources": "https://www.example.org/notice"}).status_code == 303
    assert mona.post(f"/staff/cases/{held}/claim", headers=ZH).status_code in (302, 303)
    assert ada.post(f"/staff/cases/{merged}/merge",
                    data={"into": str(held), "confirm": "yes"}).status_code in (302, 303)
    with app.app_context():
        assert db.session.get_one(Case, decided).status == "resolved"
        assert db.session.get_one(Case, merged).status == "merged"
        metrics = {"n": 1, "topic": {"accuracy": 1.0, "macro_f1": 1.0, "per_class_f1": {}},
                   "actionable": {"roc_auc": None, "average_precision": 1.0}}
        starter = ModelVersion(version="20261201-000000-aaaaaaaa", created_by="starter",
                               sha256="a" * 64, size=1024, artifact=b"-", card={
                                   "metrics": {**metrics, "n": 400},
                                   "evaluation": "5-fold cross-validation",
                                   "training_data": {"n": 5968, "sha256": "b" * 64}})
        trained = ModelVersion(version="20261202-000000-bbbbbbbb", created_by="cli:ada",
                               sha256="c" * 64, size=2048, artifact=b"-", card={
                                   "metrics": metrics,
                                   "evaluation": "held-out: the newest 1 decisions",
                                   "gate": {"passed": True, "checks": []}})
        db.session.add_all([starter, trained,
                            ModelActivation(version=starter, activated_by="starter",
                                            note="trained"),
                            ModelActivation(version=trained, activated_by="cli:ada",
                                            note="promote")])
        db.session.commit()
        ids["token"] = notifications.stop_token(web_code)
        debunk = db.session.scalars(db.select(Debunk)).one()
        ids["debunk_id"], ids["slug"] = debunk.id, debunk.slug
        for kind, status in (("receipt", "sent"), ("decision", "dead"), ("decision", "pending")):
            db.session.add(OutboxMessage(kind=kind, report_id=web.id, recipient="r@example.org",
                                         language="zh", subject="主题", body_text="正文",
                                         body_html="<p>正文</p>", status=status, attempts=1,
                                         last_error="连接被拒绝" if status == "dead" else None))
        db.session.commit()
        assert db.session.scalars(db.select(AuditEvent)).first() is not None
    return clients, ids


def _paths(app, ids) -> list[str]:
    """Return one URL per GET page of the app (one per case kind), plus filtered variants."""
    values = {"case_id": [ids["decided"], ids["held"], ids["merged"], ids["open"]],
              "code": [ids["code"]], "token": [ids["token"]],
              "debunk_id": [ids["debunk_id"]], "slug": [ids["slug"]]}
    paths, unknown = [], []
    for rule in app.url_map.iter_rules():
        if ("GET" not in rule.methods or rule.endpoint in NOT_PAGES
                or rule.rule in REDIRECT_RULES):
            continue
        if rule.endpoint == "notifications.stop_mail":
            paths.append(f"/status/{ids['web_code']}/stop-mail/{ids['token']}")
            continue
        missing = [name for name in rule.arguments if name not in values]
        if missing:
            unknown.append(f"{rule.rule} ({', '.join(missing)})")
            continue
        for n in range(max((len(values[a]) for a in rule.arguments), default=1)):
            args = {a: values[a][min(n, len(values[a]) - 1)] for a in rule.arguments}
            with app.test_request_context():
                paths.append(url_for(rule.endpoint, **args))
    assert not unknown, f"give values for these GET routes or list them in NOT_PAGES: {unknown}"
    paths += [f"/staff/queue?status={s}" for s in STATUS_CHOICES]
    paths += ["/staff/audit?action=case", "/status?code=RD-0000-0001"]
    return sorted(set(paths))


def test_every_chinese_page_shows_labels_and_chinese(app, world):
    clients, ids = world
    phrases = english_phrases()
    shown, report = set(), {}
    requests = [(path, "get", None) for path in _paths(app, ids)]
    requests.append(("/staff/hotline/lookup", "post", {"caller_number": "13800138000"}))
    for path, method, data in requests:
        for who, client in clients.items():
            response = getattr(client, method)(path, data=data, headers=ZH)
            if response.status_code in (301, 302, 303):
                continue
            assert response.status_code < 500, f"{path} as {who}: {response.status_code}"
            if response.status_code == 200 or "code=RD-0000-0001" in path:  # a typo: 400
                shown.add(path)
            problems = problems_on(path, response.get_data(as_text=True), phrases)
            if problems:
                report[f"{path} as {who or 'the public'} ({response.status_code})"] = problems
    assert not report, "\n".join(f"{where}: {p}" for where, p in report.items())
    assert shown == {p for p, _m, _d in requests}, "pages nobody could open"
