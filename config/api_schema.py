"""OpenAPI post-processing: every operation documents the error answers it can give, in the one error shape."""

from __future__ import annotations

from typing import Any

ERROR_COMPONENT = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "example": "invalid"},
                "message": {"type": "string", "example": "Enter a valid date/time."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "example": {"updated_since": ["Enter a valid date/time."]},
                },
            },
        }
    },
}
COMMON_ERRORS = {
    "400": "Bad input: a malformed filter, cursor or body. `error.fields` names each field.",
    "401": "The API key given is unknown or revoked.",
    "403": "The key may not do this (e.g. submit sources without the submit permission).",
    "404": "No published record at this address.",
    "406": "The requested format is not offered (JSON or CSV).",
    "429": "Too many requests for this key or address; see the Retry-After header.",
}
BODY_ERRORS = {"413": "The request body is larger than the limit.", "415": "Send the body as JSON."}


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular hook: add the shared error schema and the error answers to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = {**COMMON_ERRORS, **(BODY_ERRORS if method in {"post", "put", "patch"} else {})}
            for status, answer in operation["responses"].items():
                if status.isdigit() and int(status) >= 400 and "content" not in answer:
                    answer["content"] = {"application/json": {"schema": reference}}
            for status, description in errors.items():
                operation["responses"].setdefault(
                    status, {"description": description, "content": {"application/json": {"schema": reference}}}
                )
    return result
