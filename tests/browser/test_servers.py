"""The shared servers' 5xx check reads their real log, from where the last check stopped.

Servers outlive the module that started them, so each check reads the log from where the last
one stopped; a line half written is left for the next check, never missed or cut. The check
once looked for "intake.requests:" while gunicorn's workers log "[intake.requests]" (the
format alembic.ini sets in the master): it could never fail.
"""

import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from .servers import Server

# A stand-in for gunicorn's output: copies stdin to the log, "|" becoming a line end.
ECHO = ("import sys\nfor line in sys.stdin:\n"
        "    sys.stdout.write(line.rstrip('\\n').replace('|', '\\n')); sys.stdout.flush()\n")
FIVE = "INFO  [intake.requests] POST /report 500 9.0ms"


@pytest.fixture
def echo(tmp_path):
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", ECHO], stdin=subprocess.PIPE,
                                stdout=out, text=True)
    yield Server("http://127.0.0.1:1", proc, tmp_path)
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _write(server: Server, text: str) -> None:
    size = server.log.stat().st_size
    server.proc.stdin.write(text + "\n")
    server.proc.stdin.flush()
    deadline = time.monotonic() + 10
    while server.log.stat().st_size < size + len(text.encode()) and time.monotonic() < deadline:
        time.sleep(0.01)


def test_the_real_servers_log_lines_are_read(live_server, browser_server):
    browser_server.new_errors()  # whatever came before: this module's teardown checks it too
    # Not /healthz: a start-up poll that timed out while the workers warmed up is answered
    # (and logged) late.
    for path in ("/report", "/no-such-page"):
        try:
            urllib.request.urlopen(live_server + path, timeout=10).close()
        except urllib.error.HTTPError as error:
            error.close()
    answers = browser_server.new_answers()
    assert [status for _line, status in answers] == ["200", "404"]
    assert "GET /no-such-page 404" in answers[1][0]


def test_each_check_reads_only_what_came_since_the_last(echo):
    _write(echo, f"INFO  [intake.requests] GET /report 200 3.1ms|{FIVE}|")
    assert echo.new_errors() == [FIVE.removeprefix("INFO  [")]
    _write(echo, "INFO  [intake.requests] GET /status 200 1.0ms|")
    assert echo.new_errors() == []


def test_a_line_half_written_is_read_once_it_is_whole(echo):
    _write(echo, "INFO  [intake.requests] GET /staff/queue 503")
    assert echo.new_errors() == []
    _write(echo, " 2.0ms|")
    assert echo.new_errors() == ["intake.requests] GET /staff/queue 503 2.0ms"]


def test_after_the_server_stopped_the_last_line_is_read_too(echo):
    _write(echo, FIVE)
    echo.proc.stdin.close()
    echo.proc.wait()
    assert echo.new_errors() == [FIVE.removeprefix("INFO  [")]
