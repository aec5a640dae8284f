"""Idempotency-Key: a retried API POST returns the first result and stores one report."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

EN = {"Accept-Language": "en"}


def _post(client, body, key):
    return client.post("/api/v1/reports", json=body, headers={"Idempotency-Key": key, **EN})


def test_a_retry_returns_the_same_tracking_code(app, client, api_body, stored):
    first = _post(client, api_body(), "retry-1")
    again = _post(client, api_body(), "retry-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert stored(app) | {"urls": 0} == {"reports": 1, "cases": 1, "urls": 0, "attachments": 0,
                                         "idempotency_keys": 1, "files": 0}


def test_key_order_in_the_body_does_not_matter(app, client, stored):
    first = _post(client, {"claim": "EV battery fire rumour", "platform": "weibo"}, "order")
    again = _post(client, {"platform": "weibo", "claim": "EV battery fire rumour"}, "order")

    assert again.get_json()["tracking_code"] == first.get_json()["tracking_code"]
    assert stored(app)["reports"] == 1


def test_the_same_key_with_another_body_is_a_conflict(app, client, api_body, stored):
    first = _post(client, api_body(), "conflict")
    other = _post(client, api_body(claim="A different rumour about charging piles."), "conflict")

    assert first.status_code == 201
    assert other.status_code == 409
    assert other.get_json() == {
        "error": "This Idempotency-Key was already used with a different body.", "fields": {}}
    assert stored(app)["reports"] == stored(app)["idempotency_keys"] == 1


def test_different_keys_store_different_reports(app, client, api_body, stored):
    codes = {_post(client, api_body(), key).get_json()["tracking_code"] for key in "ab"}

    assert len(codes) == 2
    assert stored(app)["reports"] == 2


def test_without_a_key_a_retry_is_a_new_report(app, client, api_body, stored):
    first = client.post("/api/v1/reports", json=api_body())
    again = client.post("/api/v1/reports", json=api_body())

    assert first.get_json()["tracking_code"] != again.get_json()["tracking_code"]
    assert (stored(app)["reports"], stored(app)["idempotency_keys"]) == (2, 0)


def test_a_refused_body_does_not_use_up_the_key(app, client, api_body, stored):
    refused = _post(client, api_body(claim=7), "fix-and-retry")
    fixed = _post(client, api_body(), "fix-and-retry")

    assert (refused.status_code, fixed.status_code) == (400, 201)
    assert "Idempotent-Replayed" not in fixed.headers
    assert stored(app)["reports"] == 1


# Threads: each needs its own connection, and sees the others' commits.
@pytest.mark.commits
def test_concurrent_retries_store_one_report(app_factory, api_body, stored):
    app = app_factory()
    workers = 6
    start = threading.Barrier(workers)

    def retry(_):
        client = app.test_client()
        start.wait()
        return _post(client, api_body(), "concurrent-key")

    with ThreadPoolExecutor(workers) as pool:
        responses = list(pool.map(retry, range(workers)))

    assert [r.status_code for r in responses] == [201] * workers
    assert len({r.get_json()["tracking_code"] for r in responses}) == 1
    assert sum("Idempotent-Replayed" in r.headers for r in responses) == workers - 1
    assert stored(app) == {"reports": 1, "cases": 1, "urls": 1, "attachments": 0,
                           "idempotency_keys": 1, "files": 0}


# Threads: each needs its own connection, and sees the others' commits.
@pytest.mark.commits
def test_concurrent_retries_with_different_bodies_store_one_and_refuse_the_rest(
        app_factory, api_body, stored):
    app = app_factory()
    workers = 4
    start = threading.Barrier(workers)

    def send(n):
        client = app.test_client()
        start.wait()
        return _post(client, api_body(claim=f"Rumour number {n} about EV batteries"), "race")

    with ThreadPoolExecutor(workers) as pool:
        statuses = sorted(r.status_code for r in pool.map(send, range(workers)))

    assert statuses == [201] + [409] * (workers - 1)
    assert (stored(app)["reports"], stored(app)["idempotency_keys"]) == (1, 1)
