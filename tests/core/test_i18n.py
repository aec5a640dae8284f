"""Pages and messages in the reporter's language: Accept-Language, then the lang cookie."""

import re

import pytest

HEADING = {"zh": "举报智能网联汽车相关可疑内容",
           "en": "Report suspect content about connected vehicles"}
HTML_LANG = {"zh": "zh-CN", "en": "en"}


def _language_of(page: str) -> str:
    match = re.search(r'<html lang="([^"]+)">', page)
    assert match
    return {tag: language for language, tag in HTML_LANG.items()}[match.group(1)]


@pytest.mark.parametrize(("accept", "language"), [
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
    ("zh-TW", "zh"),
    ("en-GB,en;q=0.9", "en"),
    ("fr-FR, en;q=0.5", "en"),
    ("fr-FR", "zh"),
    (None, "zh"),
])
def test_accept_language_picks_the_page_language(client, accept, language):
    headers = {"Accept-Language": accept} if accept else {}

    page = client.get("/report", headers=headers).get_data(as_text=True)

    assert _language_of(page) == language
    assert f"<h1>{HEADING[language]}</h1>" in page
    other = "en" if language == "zh" else "zh"
    assert HEADING[other] not in page


@pytest.mark.parametrize(("chosen", "accept"), [("en", "zh-CN"), ("zh", "en-US")])
def test_the_lang_cookie_wins_over_accept_language(client, chosen, accept):
    switch = client.get(f"/lang/{chosen}", query_string={"next": "/status"})

    assert (switch.status_code, switch.location) == (302, "/status")
    assert f"lang={chosen};" in switch.headers["Set-Cookie"]
    assert client.get_cookie("lang").value == chosen
    page = client.get("/report", headers={"Accept-Language": accept}).get_data(as_text=True)
    assert _language_of(page) == chosen
    assert HEADING[chosen] in page


def test_an_unknown_language_sets_no_cookie_and_keeps_the_choice(client):
    client.get("/lang/en")

    response = client.get("/lang/fr", query_string={"next": "/report"})

    assert "Set-Cookie" not in response.headers
    assert client.get_cookie("lang").value == "en"
    assert _language_of(client.get("/report").get_data(as_text=True)) == "en"


def test_language_links_lead_back_to_the_same_page(client):
    page = client.get("/status?code=RD-0000-0001", headers={"Accept-Language": "en"})

    body = page.get_data(as_text=True)
    assert 'href="/lang/zh?next=/status?code%3DRD-0000-0001"' in body
    assert 'href="/lang/en?next=/status?code%3DRD-0000-0001" lang="en"' in body


@pytest.mark.parametrize(("accept", "message"), [
    ("zh-CN", "请说明该内容的主要说法。"),
    ("en", "Tell us what the content claims."),
])
def test_form_errors_are_in_the_users_language(client, form_data, accept, message):
    response = client.post("/report", data=form_data(claim=""),
                           headers={"Accept-Language": accept})

    assert response.status_code == 400
    assert re.search(rf'id="claim-error">{re.escape(message)}', response.get_data(as_text=True))


def test_form_errors_follow_the_lang_cookie(client, form_data):
    client.get("/lang/zh")

    response = client.post("/report", data=form_data(claim=""), headers={"Accept-Language": "en"})

    assert "请说明该内容的主要说法。" in response.get_data(as_text=True)


@pytest.mark.parametrize(("accept", "error", "field"), [
    ("zh-CN", "部分字段有误，请修改。", "此项为必填项。"),
    ("en", "Some fields need fixing.", "This field is required."),
])
def test_api_errors_are_in_the_users_language(client, accept, error, field):
    response = client.post("/api/v1/reports", json={"claim": None},
                           headers={"Accept-Language": accept})

    assert response.get_json() == {"error": error, "fields": {"claim": field}}


@pytest.mark.parametrize(("accept", "typo", "unknown"), [
    ("zh-CN", "查询码有误：可能有一个字符输错，或两个字符顺序颠倒。",
     "未找到与该查询码对应的举报。"),
    ("en", "This code contains a typo: one character is wrong or two are swapped.",
     "No report has this tracking code."),
])
def test_status_messages_are_in_the_users_language(client, accept, typo, unknown):
    headers = {"Accept-Language": accept}

    assert client.get("/api/v1/reports/RD-0000-0001", headers=headers).get_json()["error"] == typo
    assert typo in client.get("/status/RD-0000-0001", headers=headers).get_data(as_text=True)
    assert client.get("/api/v1/reports/RD-0000-0000", headers=headers).get_json()["error"] == (
        unknown)


@pytest.mark.parametrize(("accept", "language", "message"), [
    ("zh-CN", "zh", "该页面不存在。"),
    ("en", "en", "This page does not exist."),
])
def test_not_found_is_in_the_users_language(client, accept, language, message):
    page = client.get("/no-such-page", headers={"Accept-Language": accept})
    api = client.get("/api/v1/no-such-thing", headers={"Accept-Language": accept})

    assert page.status_code == api.status_code == 404
    assert _language_of(page.get_data(as_text=True)) == language
    assert message in page.get_data(as_text=True)
    assert api.get_json()["error"] == message

