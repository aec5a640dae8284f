"""The OpenAPI document: well-formed, and the API behaves as it says (schemathesis)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from intake.reports.api_input import FIELDS
from intake.reports.schema import CLAIM_MAX, EXPLANATION_MAX, PLATFORM_KEYS

OPERATIONS = [("POST", "/api/v1/reports"), ("GET", "/api/v1/reports/{code}"),
              ("GET", "/api/v1/partner/reports")]
# Not positive_data_acceptance: the document cannot say "consent needs an email or phone"
# or "the code's last symbol is a check", so some schema-valid requests rightly get a 400.
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance]


@pytest.fixture
def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_document_describes_both_operations(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] and document["info"]["version"]
    assert set(document["paths"]) == {"/api/v1/reports", "/api/v1/reports/{code}",
                                      "/api/v1/partner/reports"}
    assert set(document["paths"]["/api/v1/reports"]) == {"post"}
    assert set(document["paths"]["/api/v1/reports/{code}"]) == {"get"}
    post = document["paths"]["/api/v1/reports"]["post"]
    assert set(post["responses"]) == {"201", "400", "401", "409", "413", "415", "429"}
    get = document["paths"]["/api/v1/reports/{code}"]["get"]
    assert set(get["responses"]) == {"200", "400", "404", "429"}
    assert [p["name"] for p in get["parameters"]] == ["code"]


def test_request_schema_matches_the_validation(document):
    post = document["paths"]["/api/v1/reports"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]

    assert body["additionalProperties"] is False
    assert set(body["properties"]) == FIELDS
    assert body["required"] == ["claim"]
    assert body["properties"]["claim"]["maxLength"] == CLAIM_MAX
    assert body["properties"]["explanation"]["maxLength"] == EXPLANATION_MAX
    assert body["properties"]["platform"]["enum"] == list(PLATFORM_KEYS)
    contact = body["properties"]["contact"]
    assert contact["additionalProperties"] is False
    assert set(contact["properties"]) == {"email", "phone", "consent"}
    assert [p["name"] for p in post["parameters"]] == ["Idempotency-Key"]


def test_status_schema_lists_every_public_field(document, client, make_report):
    schema = document["paths"]["/api/v1/reports/{code}"]["get"]["responses"]["200"][
        "content"]["application/json"]["schema"]

    data = client.get(f"/api/v1/reports/{make_report()}").get_json()

    assert set(schema["required"]) == set(schema["properties"]) == set(data)


def test_schemathesis_accepts_the_document(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    assert sorted((op.method.upper(), op.path) for op in
                  (result.ok() for result in schema.get_all_operations())) == sorted(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_the_api_conforms_to_its_document(app, method, path, mode):
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=30, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()


def test_the_partner_operations_are_documented(document):
    scheme = document["components"]["securitySchemes"]["partnerKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert document["paths"]["/api/v1/reports"]["post"]["security"] == [{}, {"partnerKey": []}]
    listing = document["paths"]["/api/v1/partner/reports"]["get"]
    assert listing["security"] == [{"partnerKey": []}]
    assert set(listing["responses"]) == {"200", "400", "401", "429"}
    assert [p["name"] for p in listing["parameters"]] == ["page", "per_page"]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_partner_listing_conforms_with_a_key(app, make_report, mode):
    key = app.test_cli_runner().invoke(args=["partners", "create", "Acme"]).output.split()[-1]
    make_report()  # an anonymous report the partner never sees
    operation = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)[
        "/api/v1/partner/reports"]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=30, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        response = case.call_and_validate(checks=CHECKS,
                                          headers={"Authorization": f"Bearer {key}"})
        seen.add(response.status_code)
        if response.status_code == 200:
            assert response.json()["total"] == 0

    seen: set[int] = set()
    check()
    assert (200 if mode == GenerationMode.POSITIVE else 400) in seen, seen
