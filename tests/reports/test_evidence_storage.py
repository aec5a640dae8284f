"""Two hosts, one database: a host whose UPLOAD_DIR is not the shared folder says so."""

import logging

import pytest

# A second host checks the schema on its own connection while the first holds the write lock.
pytestmark = pytest.mark.commits
EN = {"Accept-Language": "en"}


def test_a_host_without_the_shared_folder_is_degraded_and_says_why(
        app, client, app_factory, tmp_path, form_data, upload, random_jpeg, caplog):
    assert client.get("/healthz").get_json()["evidence"] == "ok"  # nothing stored yet
    response = client.post("/report", headers=EN, data=form_data(evidence=[
        upload(name="photo.jpg", data=random_jpeg(2 * 1024 * 1024, seed=1))]))
    assert response.status_code == 303

    # Host A, which stored the photo, is fine.
    health = client.get("/healthz").get_json()
    assert health["evidence"] == "ok" and health["status"] == "ok"

    # Host B mounts its own empty folder: degraded, and loud about it at start.
    with caplog.at_level(logging.ERROR, logger="intake"):
        other = app_factory(UPLOAD_DIR=str(tmp_path / "host-b-uploads"), SCHEMA_CHECK=True)
    assert "1 of the 1 newest evidence files are not in UPLOAD_DIR" in caplog.text
    health = other.test_client().get("/healthz")
    assert health.status_code == 200
    assert health.get_json()["evidence"] == "missing 1 of 1"
    assert health.get_json()["status"] == "degraded"


def test_a_shared_folder_passes(app, client, app_factory, form_data, upload, random_jpeg,
                                caplog):
    client.post("/report", headers=EN, data=form_data(evidence=[
        upload(name="photo.jpg", data=random_jpeg(1024 * 1024, seed=2))]))
    with caplog.at_level(logging.ERROR, logger="intake"):
        other = app_factory(UPLOAD_DIR=app.config["UPLOAD_DIR"], SCHEMA_CHECK=True)
    assert "evidence files" not in caplog.text
    assert other.test_client().get("/healthz").get_json()["evidence"] == "ok"
