"""Staff search (GET /staff/search): codes, links, caller digits, Chinese and English words,
desk access inside the query, paging, and the messages for empty or short searches."""

import re

import pytest

from .conftest import found_cases, search


def test_the_search_box_is_on_every_staff_page(client, admin):
    page = client.get("/staff/queue").text

    assert 'role="search"' in page and 'action="/staff/search"' in page
    assert '<label for="staff-search-q">' in page and 'id="staff-search-q"' in page


@pytest.mark.parametrize("typed", [
    lambda code: code,
    lambda code: code.lower(),
    lambda code: code.replace("-", ""),
    lambda code: code.lower().replace("-", " "),
    # Full-width letters, digits and dash, as a Chinese input method types them.
    lambda code: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in code),
])
def test_a_tracking_code_finds_its_case(client, admin, store, typed):
    code, case_id = store("A claim about a battery recall.", "battery-safety")
    store("Another claim mentioning nothing.", "battery-safety")

    response = search(client, typed(code))

    assert found_cases(response) == [case_id]
    assert code in response.text and "Exact match" in response.text


@pytest.mark.parametrize("typed", [
    "https://weibo.com/7712/PqRsT?utm_source=wechat&spm=a.b",
    "http://m.weibo.com/7712/PqRsT/",
    "weibo.com/7712/PqRsT?share_token=zz",
])
def test_a_link_finds_reports_of_the_same_content(client, admin, store, typed):
    _, case_id = store("Look at this post.", "battery-safety",
                       urls=["https://www.weibo.com/7712/PqRsT?fbclid=abc"])
    store("A different post.", "battery-safety", urls=["https://weibo.com/7712/Other"])

    assert found_cases(search(client, typed)) == [case_id]


def test_chinese_words_find_a_chinese_claim(client, admin, store):
    _, case_id = store("网传某品牌电动车在地下车库自燃，视频是2021年的旧闻。", "battery-safety")
    store("网传自动驾驶出租车在武汉撞人。", "autonomous-driving")

    assert found_cases(search(client, "地下车库自燃")) == [case_id]
    assert found_cases(search(client, "车库 自燃")) == [case_id]
    assert found_cases(search(client, "车库起火")) == []  # 库起 and 起火 are not in it


def test_english_words_find_an_english_claim(client, admin, store):
    _, case_id = store("Tesla Autopilot steered a car into a river, a video claims.",
                       "autonomous-driving")
    store("A Tesla was recalled for its seat belts.", "industry-market")

    assert found_cases(search(client, "tesla AUTOPILOT")) == [case_id]
    assert found_cases(search(client, "Ｔｅｓｌａ ｒｉｖｅｒ")) == [case_id]
    assert sorted(found_cases(search(client, "tesla"))) == sorted(
        [case_id, case_id + 1])


def test_a_moderator_never_finds_a_case_of_another_desk(client, make_user, login, store):
    mine_code, mine = store("Battery fire in a Shenzhen car park, says a post.", "battery-safety")
    other_code, other = store("Battery fire in a Shenzhen car park, says a post.",
                              "autonomous-driving")
    _, unrouted = store("Battery fire in a Shenzhen car park, says a post.", None)
    make_user("mona", "moderator", ("battery-safety",))
    login("mona")

    by_words = search(client, "battery fire shenzhen")
    by_code = search(client, other_code)

    assert sorted(found_cases(by_words)) == sorted([mine, unrouted])  # as the case page allows
    assert other_code not in by_words.text and "2 cases found" in by_words.text
    assert found_cases(by_code) == [] and "Nothing found" in by_code.text
    assert client.get(f"/staff/cases/{other}").status_code == 403  # the same rule


def test_an_admin_finds_cases_of_every_desk(client, admin, store):
    ids = [store("Charging pile explosion rumour.", topic)[1]
           for topic in ("battery-safety", "road-cloud")]

    assert sorted(found_cases(search(client, "charging pile explosion"))) == ids


def test_an_operator_finds_a_caller_by_number_and_a_moderator_cannot(
        client, make_user, login, call):
    code, case_id = call("138 0013 8000", "来电称高速上有自动驾驶卡车失控。", "autonomous-driving")
    call("139 1111 2222", "来电称充电站爆炸。", "battery-safety")
    make_user("mona", "moderator", ("autonomous-driving", "battery-safety"))

    login("olga")
    by_digits, by_number = search(client, "8000"), search(client, "+86 138-0013-8000")
    assert code in by_digits.text and "****8000" not in by_digits.text
    assert code in by_number.text and "2222" not in by_number.text
    assert f"/staff/hotline/calls/{code}" in by_digits.text
    assert "/staff/cases/" not in by_digits.text  # operators do not open case pages

    client.post("/staff/logout")
    login("mona")
    assert found_cases(search(client, "8000")) == []
    assert found_cases(search(client, "13800138000")) == []
    assert found_cases(search(client, "自动驾驶卡车")) == [case_id]


def test_an_operator_sees_only_hotline_reports(client, call, store, login):
    store("Web report: 充电站爆炸 rumour.", "battery-safety")
    code, _ = call("139 1111 2222", "来电称充电站爆炸。", "battery-safety")
    login("olga")

    response = search(client, "充电站爆炸")

    assert response.text.count("/staff/hotline/calls/") == 1 and code in response.text


def test_results_are_paged_twenty_at_a_time(client, admin, store):
    ids = [store(f"Paging marker claim number {n}.", "battery-safety")[1] for n in range(45)]

    pages = [found_cases(search(client, "paging marker", page=n)) for n in (1, 2, 3)]

    assert [len(p) for p in pages] == [20, 20, 5]
    assert sum(pages, []) == sorted(ids, reverse=True)  # same relevance: newest first
    first = search(client, "paging marker").text
    assert "45 cases found" in first
    assert 'href="/staff/search?q=paging+marker&amp;page=3"' in first
    assert search(client, "paging marker", page=4).status_code == 400
    assert search(client, "paging marker", page="x").status_code == 400


def test_exact_matches_rank_before_word_matches(client, login, call):
    worded, _ = call("139 1111 2222", "来电称 8000 辆车被召回。")
    exact, _ = call("138 0013 8000", "来电称充电站爆炸。")
    other, _ = call("137 0000 0001", "来电称 8000 台充电桩停用。")
    login("olga")

    page = search(client, "8000").text

    codes = re.findall(r"/staff/hotline/calls/(RD-[\w-]+)", page)
    assert codes[0] == exact and sorted(codes[1:]) == sorted([worded, other])


def test_a_code_that_exists_is_not_also_searched_as_words(client, admin, store):
    code, exact = store("Nothing to see.", "battery-safety")
    store(f"Someone quoted {code.lower().replace('-', ' ')} in a post.", "battery-safety")

    assert found_cases(search(client, code)) == [exact]


@pytest.mark.parametrize(("q", "message"), [
    ("", "Type what you are looking for"),
    ("   ", "Type what you are looking for"),
    ("a", "too short"),
    ("车", "too short"),
    ("no such words anywhere", "Nothing found"),
])
def test_empty_short_and_unmatched_searches_say_so(client, admin, store, q, message):
    store("Some claim.", "battery-safety")

    response = search(client, q)

    assert response.status_code == 200 and message in response.text
