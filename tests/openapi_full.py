"""An OpenAPI 3 document for every route of the app (HTML pages and forms), for schemathesis.

The app's own OpenAPI (/api/v1/openapi.json) covers only the read-only JSON API. This module
describes everything else, read from the app itself so a route added later is covered:

- path parameters: ``*_id`` and ``number`` are integers; ``{code}`` and ``{token}`` strings;
- GET query parameters: from the endpoint's signature (and its dependencies), and those it
  reads itself with ``request.query_params.get("name")`` (one level of helpers down);
- POST bodies: ``application/x-www-form-urlencoded`` with the fields of the pydantic form
  model the route declares with ``form_for(Model, show_…)`` (its dependency carries the model
  as ``form_model``), plus ``csrf_token``. A route without a model gets a body with just
  ``csrf_token`` (and any ``extra_fields`` the caller names for it).
"""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Iterable
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, TypeAdapter

SKIPPED_PREFIXES = ("/static", "/docs", "/api/v1")
PARAM = re.compile(r"{(\w+)(?::\w+)?}")
CALL = re.compile(r"\b(\w+)\(")
ATTRIBUTE_CALL = re.compile(r"\b(\w+)\.(\w+)\(")
RAW_QUERY = re.compile(r"params\.get\(\s*[\"'](\w+)[\"']")
STRING_PARAMS = {"code", "token"}
FORM = "application/x-www-form-urlencoded"


def path_param_schema(name: str) -> dict[str, Any]:
    if name in STRING_PARAMS:
        return {"type": "string", "minLength": 1}
    if name.endswith("_id") or name == "number":
        return {"type": "integer"}
    return {"type": "string", "minLength": 1}


def _source(func) -> str:
    try:
        return inspect.getsource(inspect.unwrap(func))
    except (OSError, TypeError):
        return ""


def form_model(route: APIRoute) -> type[BaseModel] | None:
    """The pydantic model the route declares its form with (form_for), if any."""
    for dependant in _walk(route.dependant):
        model = getattr(dependant.call, "form_model", None)
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model
    return None


def _walk(dependant) -> list:
    found = [dependant]
    for sub in dependant.dependencies:
        found += _walk(sub)
    return found


def _helpers(func) -> list:
    """Functions and classes of the app this function calls by name (one level down)."""
    module_globals = getattr(func, "__globals__", {})
    source = _source(func)
    found = []
    for name in dict.fromkeys(CALL.findall(source)):
        found.append(module_globals.get(name))
    for owner, name in dict.fromkeys(ATTRIBUTE_CALL.findall(source)):
        found.append(getattr(module_globals.get(owner), name, None))
    return [
        f
        for f in found
        if (inspect.isfunction(f) or inspect.isclass(f))
        and f is not func
        and getattr(f, "__module__", "").startswith("app.")
    ]


def raw_query_names(endpoint) -> list[str]:
    """Query parameters a route reads itself (request.query_params.get("name")), not
    declared in its signature."""
    func = inspect.unwrap(endpoint)
    names = RAW_QUERY.findall(_source(func))
    for helper in _helpers(func):
        names += RAW_QUERY.findall(_source(helper))
    return list(dict.fromkeys(names))


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """model_json_schema() with its $defs inlined (schemathesis sees one plain object)."""
    defs = schema.get("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                target = copy.deepcopy(defs[ref.removeprefix("#/$defs/")])
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return walk({**target, **rest})
            return {k: walk(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


def form_schema(model: type[BaseModel] | None, extra: dict[str, Any] | None = None) -> dict:
    """The urlencoded body: the model's fields (if any), csrf_token and any extra fields."""
    if model is not None:
        schema = inline_refs(model.model_json_schema())
    else:
        schema = {"type": "object", "properties": {}}
    schema.pop("title", None)
    schema.pop("description", None)
    properties = schema.setdefault("properties", {})
    properties.update(extra or {})
    properties["csrf_token"] = {"type": "string"}
    schema["required"] = sorted(set(schema.get("required", [])) | {"csrf_token"})
    return schema


def _walk_dependant(dependant, attr: str) -> list:
    found = list(getattr(dependant, attr))
    for sub in dependant.dependencies:
        found += _walk_dependant(sub, attr)
    return found


def query_parameters(route: APIRoute, path_names: set[str]) -> list[dict[str, Any]]:
    parameters: dict[str, dict[str, Any]] = {}
    for field in _walk_dependant(route.dependant, "query_params"):
        name = field.alias
        if name in path_names or name in parameters:
            continue
        try:
            schema = TypeAdapter(field.field_info.annotation).json_schema()
        except Exception:  # an annotation pydantic cannot describe: any string
            schema = {"type": "string"}
        parameters[name] = {
            "name": name,
            "in": "query",
            "required": field.field_info.is_required(),
            "schema": inline_refs(schema),
        }
    for name in raw_query_names(route.endpoint):
        if name not in parameters and name not in path_names:
            parameters[name] = {"name": name, "in": "query", "schema": {"type": "string"}}
    return list(parameters.values())


def app_operations(app) -> Iterable[tuple[str, str, APIRoute]]:
    """(method, path, route) for every page and form route (not /static, /docs, /api/v1)."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        path = context.path
        if not isinstance(route, APIRoute) or not path or path.startswith(SKIPPED_PREFIXES):
            continue
        for method in sorted((context.methods or {"GET"}) - {"HEAD", "OPTIONS"}):
            yield method, path, route


def build(
    app, *, extra_fields: dict[tuple[str, str], dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The whole document. `extra_fields[(METHOD, path)]` adds form fields a route reads
    without a model (name → JSON schema)."""
    extra_fields = extra_fields or {}
    paths: dict[str, dict[str, Any]] = {}
    for method, path, route in app_operations(app):
        names = PARAM.findall(path)
        template = PARAM.sub(lambda m: "{" + m.group(1) + "}", path)
        operation: dict[str, Any] = {
            "operationId": f"{method.lower()}_{route.endpoint.__module__}.{route.name}",
            "responses": {"default": {"description": "A page, a redirect or an error page"}},
        }
        parameters = [
            {"name": n, "in": "path", "required": True, "schema": path_param_schema(n)}
            for n in names
        ]
        if method == "GET":
            parameters += query_parameters(route, set(names))
        if parameters:
            operation["parameters"] = parameters
        if method != "GET":
            model = form_model(route)
            operation["requestBody"] = {
                "required": True,
                "content": {FORM: {"schema": form_schema(model, extra_fields.get((method, path)))}},
            }
        paths.setdefault(template, {})[method.lower()] = operation
    return {
        "openapi": "3.0.3",
        "info": {"title": "TRIP benchmarking: every page and form", "version": "1"},
        "paths": paths,
    }
