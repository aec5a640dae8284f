"""What the documents promise agrees with what the service does (audit item 11)."""

import io
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from intake.reports.tracking import parse_code

ROOT = Path(__file__).resolve().parents[2]
EN = {"Accept-Language": "en"}


def _chunked(client, body: bytes):
    # No Content-Length: the body arrives chunked, as from a streaming client.
    return client.post("/api/v1/reports", input_stream=io.BytesIO(body), headers={
        "Transfer-Encoding": "chunked", "Content-Type": "application/json", **EN},
        environ_overrides={"wsgi.input_terminated": True})


def test_a_chunked_json_body_over_the_limit_is_413(app, client, stored, nothing_stored):
    body = json.dumps({"claim": "电池起火谣言" * 3000}).encode()
    assert len(body) > app.config["API_MAX_BODY"]

    response = _chunked(client, body)

    assert response.status_code == 413
    n = app.config["API_MAX_BODY"]
    assert response.get_json()["error"] == f"The JSON body is too large: send at most {n} bytes."
    assert stored(app) == nothing_stored


def test_a_chunked_json_body_of_exactly_the_limit_is_taken(app, client, api_body):
    raw = json.dumps(api_body()).encode()
    body = raw + b" " * (app.config["API_MAX_BODY"] - len(raw))  # JSON allows trailing spaces

    response = _chunked(client, body)

    assert response.status_code == 201, response.get_json()


def test_every_tracking_code_in_the_readme_passes_its_own_check():
    codes = re.findall(r"RD-[0-9A-Z]{4}-[0-9A-Z]{4}", (ROOT / "README.md").read_text())

    assert codes
    for code in set(codes) - {"RD-XXXX-XXXX"}:
        assert parse_code(code) == code


def test_the_code_parameter_has_a_pattern_its_example_meets(client):
    document = client.get("/api/v1/openapi.json").get_json()
    [parameter] = document["paths"]["/api/v1/reports/{code}"]["get"]["parameters"]

    assert re.fullmatch(parameter["schema"]["pattern"], parameter["example"])
    assert parse_code(parameter["example"]) == parameter["example"]
    assert not re.fullmatch(parameter["schema"]["pattern"], "<script>")


@pytest.mark.parametrize("days, status", [(0, 201), (2, 400)])
def test_seen_at_in_the_future_is_refused_as_the_document_says(client, api_body, days, status):
    document = client.get("/api/v1/openapi.json").get_json()
    seen_at = document["paths"]["/api/v1/reports"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]["properties"]["seen_at"]
    assert "not in the future" in seen_at["description"]
    when = (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")

    response = client.post("/api/v1/reports", json=api_body(seen_at=when), headers=EN)

    assert response.status_code == status
    if status == 400:
        assert response.get_json()["fields"] == {"seen_at": "The date cannot be in the future."}
