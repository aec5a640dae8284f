"""gunicorn.conf.py: threads a slow client cannot starve, a control socket per instance."""

import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def _settings(monkeypatch, **env) -> dict:
    for key in ("GUNICORN_WORKER_CLASS", "GUNICORN_THREADS", "GUNICORN_CONTROL_SOCKET",
                "INSTANCE_PATH"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(CONF))


def test_the_default_worker_is_threaded(monkeypatch):
    settings = _settings(monkeypatch)

    assert (settings["worker_class"], settings["threads"]) == ("gthread", 4)


def test_sync_stays_sync_when_asked_for(monkeypatch):
    # More than one thread would silently turn it into gthread.
    settings = _settings(monkeypatch, GUNICORN_WORKER_CLASS="sync")

    assert (settings["worker_class"], settings["threads"]) == ("sync", 1)


def test_each_instance_has_its_own_control_socket(monkeypatch, tmp_path):
    first = _settings(monkeypatch, INSTANCE_PATH=str(tmp_path / "a"))["control_socket"]
    second = _settings(monkeypatch, INSTANCE_PATH=str(tmp_path / "b"))["control_socket"]

    assert first == str(tmp_path / "a" / "gunicorn.ctl")
    assert second == str(tmp_path / "b" / "gunicorn.ctl")


@pytest.mark.parametrize("depth", [1, 20])
def test_a_deep_instance_folder_still_gets_a_usable_socket_path(monkeypatch, tmp_path, depth):
    instance = tmp_path.joinpath(*["instance-folder"] * depth)
    socket_path = _settings(monkeypatch, INSTANCE_PATH=str(instance))["control_socket"]

    assert len(socket_path.encode()) <= 100
    other = _settings(monkeypatch, INSTANCE_PATH=str(instance) + "-2")["control_socket"]
    assert other != socket_path
