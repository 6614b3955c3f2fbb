"""The schema says every answer an operation can give, and every input it refuses (drf-spectacular post-processing hook).

Besides what each view documents, every operation may answer 400 (a bad parameter: ``core.params``, the pagination,
a NUL character), 401 (no or a wrong token), 403 (not allowed), 404 (not found or not visible), 429 (throttled);
every write also 409 (an illegal step or a concurrent change) and 422 (an ``Idempotency-Key`` reused for another
request). They all have the error body ``{"detail", "code", "fields"}``. Strings say they refuse NUL; ids and dates in
query strings say what ``core.params`` accepts.
"""

from __future__ import annotations

COMMON = {
    "400": "Bad input or a bad parameter; nothing was written",
    "401": "No token or session, or a wrong one",
    "403": "Not allowed",
    "404": "Not found, or not visible to you",
    "429": "Too many requests; wait and try again",
}
WRITES = {
    "409": "An illegal step for the record's state, or someone changed it meanwhile",
    "422": "The Idempotency-Key was used for another request",
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
EXAMPLE_CODES = {"400": "invalid", "401": "not_authenticated", "403": "permission_denied", "404": "not_found", "409": "conflict",
                 "422": "idempotency_key_reused", "429": "throttled"}
# No text a person types holds U+0000, and PostgreSQL cannot store it: every string refuses it (core.middleware, DRF).
NO_NUL = "^[^\\u0000]*$"
ID_PARAMETERS = {"customer", "service_center", "technician", "center", "warehouse", "work_order", "equipment"}
DATE_PARAMETERS = {"created_from", "created_to", "date_from", "date_to", "day"}


def _strings_refuse_nul(schema) -> None:
    """Every plain string in ``schema`` (recursively) says it refuses NUL."""
    if isinstance(schema, dict):
        if schema.get("type") == "string" and not ({"format", "enum", "pattern"} & set(schema)):
            schema["pattern"] = NO_NUL
        for value in schema.values():
            _strings_refuse_nul(value)
    elif isinstance(schema, list):
        for value in schema:
            _strings_refuse_nul(value)


def _exact_parameters(operation) -> None:
    """Ids in query strings are positive 64-bit integers, dates are dates (core.params refuses anything else)."""
    for parameter in operation.get("parameters", []):
        schema = parameter.setdefault("schema", {})
        if parameter.get("in") == "query" and parameter["name"] in ID_PARAMETERS and schema.get("type") == "integer":
            schema.update({"minimum": 1, "maximum": 2**63 - 1})
        elif parameter.get("in") == "query" and parameter["name"] in DATE_PARAMETERS:
            schema.update({"type": "string", "format": "date"})


def document_every_error(result, generator, request, public):
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):  # what clients send (COMPONENT_SPLIT_REQUEST); answers may quote what was sent
            _strings_refuse_nul(component)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            _exact_parameters(operation)
            _strings_refuse_nul(operation.get("parameters", []))
            responses = operation.setdefault("responses", {})
            extra = dict(COMMON)
            if method != "get":
                extra.update(WRITES)
            if path.endswith("/auth/token/"):
                extra.pop("401", None)
            for code, description in extra.items():
                response = responses.setdefault(code, {"description": description})
                content = response.setdefault("content", {}).setdefault("application/json", {"schema": ERROR_REF})
                if not content.get("examples") and "example" not in content:
                    example = {"detail": response.get("description") or description, "code": EXAMPLE_CODES[code], "fields": {}}
                    content["examples"] = {EXAMPLE_CODES[code]: {"value": example, "summary": description}}
    return result
