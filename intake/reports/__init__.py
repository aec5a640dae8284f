"""Public intake: the report form, the JSON API and its OpenAPI document, evidence,
tracking codes and the status lookup."""
