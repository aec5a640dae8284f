"""Links: which addresses are accepted, and the key that spots the same content."""

import pytest

from intake.core.links import MAX_URL_LENGTH, is_valid_url, names_a_page, url_key


@pytest.mark.parametrize("url", [
    "https://example.com",
    "http://news.example.org/2024/03/ev-fire.html",
    "https://weibo.com/1234567/AbCdEf?from=page_100505",
    "https://example.com:8443/a",
    "https://例子.中国/新闻",
    "https://example.com/" + "a" * (MAX_URL_LENGTH - 20),
])
def test_valid_links(url):
    assert is_valid_url(url)


@pytest.mark.parametrize("url", [
    "",
    "example.com/news",
    "www.example.com",
    "ftp://example.com/file",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://localhost/admin",
    "https://.example.com/",
    "https://example.com./",
    "https://example.com:0/",
    "https://example.com:99999/",
    "https://example.com:port/",
    "https://exa mple.com/",
    "https://example.com/a\tb",
    "https://example.com/" + "a" * MAX_URL_LENGTH,
])
def test_invalid_links(url):
    assert not is_valid_url(url)


@pytest.mark.parametrize(("url", "key"), [
    ("https://www.Example.COM/news/1/", "example.com/news/1"),
    ("http://example.com/news/1", "example.com/news/1"),
    ("https://m.example.com/news/1#comments", "example.com/news/1"),
    ("https://example.com/news/1?utm_source=wechat&utm_medium=share&fbclid=x",
     "example.com/news/1"),
    ("https://example.com/v?id=7&spm=a.b.c&b=2", "example.com/v?b=2&id=7"),
    ("https://example.com/v?B=2&a=1", "example.com/v?B=2&a=1"),
    ("https://example.com:443/x", "example.com/x"),
    ("https://example.com:8443/x", "example.com:8443/x"),
    ("https://example.com/新闻/电池", "example.com/%E6%96%B0%E9%97%BB/%E7%94%B5%E6%B1%A0"),
    ("https://www.bilibili.com/video/BV1xx?vd_source=abc&t=30", "bilibili.com/video/BV1xx"),
])
def test_url_key_normalises_what_does_not_change_the_content(url, key):
    assert url_key(url) == key


def test_url_key_keeps_paths_that_differ_apart():
    assert url_key("https://example.com/a") != url_key("https://example.com/A")
    assert url_key("https://example.com/a?id=1") != url_key("https://example.com/a?id=2")


def test_url_key_is_ascii_and_bounded():
    key = url_key("https://例子.中国/" + "新" * 2000)

    assert key.isascii()
    assert len(key) <= MAX_URL_LENGTH


@pytest.mark.parametrize(("url", "page"), [
    ("https://weibo.com", False), ("https://www.weibo.com/", False),
    ("http://m.toutiao.com", False),
    ("https://weibo.com/1234567/AbCdEf", True), ("https://news.example.com/?id=9", True),
    ("https://mp.weixin.qq.com/s/xyz", True)])
def test_only_a_path_or_query_names_a_page(url, page):
    # A bare site joins nothing: every report from Weibo would land in one case.
    assert names_a_page(url_key(url)) is page
