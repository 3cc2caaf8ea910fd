"""Schemathesis hooks of the contract tester (loaded through SCHEMATHESIS_HOOKS by test/contract/support/schemathesis.ts).

One check: `positive_data_acceptance` as Schemathesis has it (a request its schema accepts must not be refused as
malformed), except for the rules the document itself names as beyond JSON Schema. The server's schemas mark such a
field with the `x-server-rule` keyword (src/app/schemas.ts): a state or person that must be in the directory, an
order between two dates, a time in the future. A schema-valid request refused with 422 passes this check only when
every field its problem names (`errors[].field`) carries that keyword; a refusal for any other field (a rule the
schema could state and does not) fails it, as the built-in check would.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

SERVER_RULE = "x-server-rule"


def _variants(schema: Any) -> list[dict]:
    """The schema and every schema it combines (allOf, anyOf, oneOf), flattened."""
    if not isinstance(schema, dict):
        return []
    out = [schema]
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key, []):
            out.extend(_variants(sub))
    return out


def _has_server_rule(schema: Any, path: list[str]) -> bool:
    """Whether the property at path (each step a property name or an array index) is marked in any variant."""
    for variant in _variants(schema):
        if not path:
            if SERVER_RULE in variant:
                return True
            continue
        head, rest = path[0], path[1:]
        if head.isdigit() and isinstance(variant.get("items"), dict):
            if _has_server_rule(variant["items"], rest):
                return True
        prop = variant.get("properties", {}).get(head)
        if prop is not None and _has_server_rule(prop, rest):
            return True
    return False


def _field_has_server_rule(definition: dict, field: str) -> bool:
    path = field.split(".")
    for parameter in definition.get("parameters", []):
        if parameter.get("name") == path[0] and _has_server_rule(parameter.get("schema", {}), path[1:]):
            return True
    for media in definition.get("requestBody", {}).get("content", {}).values():
        if _has_server_rule(media.get("schema", {}), path):
            return True
    return False


@schemathesis.check
def positive_data_acceptance_beyond_server_rules(ctx, response, case):
    """Schema-valid requests are accepted, unless refused for a rule the document names (x-server-rule)."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except AssertionError:
        if response.status_code != 422:
            raise
        try:
            problem = json.loads(response.content)
        except ValueError:
            raise
        fields = [e.get("field", "") for e in problem.get("errors", []) if isinstance(e, dict)]
        definition = case.operation.definition.raw
        if fields and all(_field_has_server_rule(definition, f) for f in fields):
            return None
        raise
