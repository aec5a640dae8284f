"""The OpenAPI 3 document of the public API; tests check it against the implementation.

The request body schema is generated from intake/reports/schema.py: no limit is written here.
"""

from typing import Any

from intake.reports.schema import ReportBody

_ERROR = {
    "type": "object",
    "required": ["error", "fields"],
    "properties": {
        "error": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}
_STATUS = {"type": "string", "enum": ["received", "under_review", "resolved"]}
_CODE = {"type": "string", "pattern": "^RD-[0-9A-Z]{4}-[0-9A-Z]{4}$"}


def _openapi(node: Any, defs: dict) -> Any:
    """Adapt pydantic's JSON schema: inline $refs, drop titles, and state optional fields as
    their type alone (absent, empty and null all mean "not given", so null is not advertised)."""
    if isinstance(node, list):
        return [_openapi(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _openapi(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    node = {k: v for k, v in node.items() if k not in ("title", "$defs")}
    branches = [_openapi(b, defs) for b in node.pop("anyOf", []) if b != {"type": "null"}]
    if len(branches) == 1:
        node = {**branches[0], **node}
        if node.get("default", 0) is None:
            del node["default"]
    elif branches:
        node["anyOf"] = branches
    return {k: _openapi(v, defs) for k, v in node.items()}


def request_schema() -> dict:
    """Return the report body's schema, generated from the one report schema."""
    schema = ReportBody.model_json_schema()
    return _openapi(schema, schema.get("$defs", {}))


def _error_response(text: str) -> dict:
    return {"description": text, "content": {"application/json": {"schema": _ERROR}}}


def openapi_document() -> dict:
    """Return the OpenAPI document as a dict."""
    report_in = request_schema()
    created = {
        "type": "object",
        "required": ["tracking_code", "status", "status_url"],
        "properties": {"tracking_code": _CODE, "status": _STATUS,
                       "status_url": {"type": "string"}},
    }
    status = {
        "type": "object",
        "required": ["tracking_code", "status", "received_at", "outcome", "public_note",
                     "decided_at", "status_url"],
        "properties": {
            "tracking_code": _CODE,
            "status": _STATUS,
            "received_at": {"type": "string", "format": "date-time"},
            "outcome": {"type": ["string", "null"],
                        "enum": ["false", "misleading", "accurate", "unverifiable", "spam", None]},
            "public_note": {"type": ["string", "null"]},
            "decided_at": {"type": ["string", "null"], "format": "date-time"},
            "status_url": {"type": "string"},
        },
    }
    partner_page = {
        "type": "object",
        "required": ["reports", "page", "per_page", "total", "next"],
        "properties": {
            "reports": {"type": "array", "items": status},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            "total": {"type": "integer", "minimum": 0},
            "next": {"type": ["string", "null"],
                     "description": "URL of the next (older) page; null on the last page."},
        },
    }
    unauthorized = _error_response("Partner key malformed, unknown or revoked (or missing "
                                   "where required); see WWW-Authenticate")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Report Desk public API",
            "version": "1.0.0",
            "description": "Report suspect ICV content and follow its outcome by tracking code. "
                           "Trusted partners send their key as `Authorization: Bearer KEY`: "
                           "their reports are ranked with a trust component, get a higher "
                           "rate limit, and can be listed with GET /api/v1/partner/reports.",
        },
        "components": {"securitySchemes": {"partnerKey": {
            "type": "http", "scheme": "bearer",
            "description": "A partner key from `flask partners create` (rdp_…). Without the "
                           "header a report is anonymous; a wrong or revoked key is a 401, "
                           "never anonymous."}}},
        "paths": {
            "/api/v1/reports": {
                "post": {
                    "operationId": "createReport",
                    "summary": "Submit a report",
                    "security": [{}, {"partnerKey": []}],
                    "parameters": [{
                        "name": "Idempotency-Key", "in": "header", "required": False,
                        "description": "A retried POST with the same key returns the first result.",
                        "schema": {"type": "string", "minLength": 1, "maxLength": 128,
                                   "pattern": "^[\\x20-\\x7e]+$"},
                    }],
                    "requestBody": {"required": True,
                                    "content": {"application/json": {"schema": report_in}}},
                    "responses": {
                        "201": {"description": "Stored (or replayed for a repeated key)",
                                "content": {"application/json": {"schema": created}}},
                        "400": _error_response("Invalid JSON or fields; `fields` says which"),
                        "401": unauthorized,
                        "409": _error_response("Idempotency-Key reused with another body"),
                        "413": _error_response("Body too large"),
                        "415": _error_response("Not JSON"),
                        "429": _error_response("Too many requests; see Retry-After"),
                    },
                }
            },
            "/api/v1/reports/{code}": {
                "get": {
                    "operationId": "getReport",
                    "summary": "Public status of a report",
                    "parameters": [{
                        "name": "code", "in": "path", "required": True,
                        "description": "The tracking code; its last symbol is a check symbol. "
                                       "Lower case and the Crockford look-alikes O, I, L are "
                                       "read as 0, 1, 1.",
                        "example": "RD-7K3M-9QX1",
                        "schema": {"type": "string", "maxLength": 40,
                                   "pattern": "^[Rr][Dd]-?[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}$"}}],
                    "responses": {
                        "200": {"description": "Status",
                                "content": {"application/json": {"schema": status}}},
                        "400": _error_response("Malformed code or typo (check symbol)"),
                        "404": _error_response("No report with this code"),
                        "429": _error_response("Too many requests; see Retry-After"),
                    },
                }
            },
            "/api/v1/partner/reports": {
                "get": {
                    "operationId": "listPartnerReports",
                    "summary": "The calling partner's own reports, newest first",
                    "security": [{"partnerKey": []}],
                    "parameters": [
                        {"name": "page", "in": "query", "required": False,
                         "schema": {"type": "integer", "minimum": 1, "maximum": 100000,
                                    "default": 1}},
                        {"name": "per_page", "in": "query", "required": False,
                         "schema": {"type": "integer", "minimum": 1, "maximum": 100,
                                    "default": 20}},
                    ],
                    "responses": {
                        "200": {"description": "One page of the partner's reports",
                                "content": {"application/json": {"schema": partner_page}}},
                        "400": _error_response("page or per_page out of range"),
                        "401": unauthorized,
                        "429": _error_response("Too many requests; see Retry-After"),
                    },
                }
            },
        },
    }
