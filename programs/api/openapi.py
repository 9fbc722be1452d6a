"""The API described for machines: an OpenAPI 3.1 document built from the endpoint list
below and the fields of fields.py, so that it names what the views really write. The
/api/ page reads the same lists."""

from dataclasses import dataclass

from . import fields
from .views import MAX_PAGE_SIZE, PAGE_SIZE


@dataclass(frozen=True)
class Endpoint:
    path: str  # under /api/, with {parameters}
    url_name: str
    summary: str
    schema: str = ""  # the object it returns, or a list of
    many: bool = False
    parameters: tuple = ()  # query parameters
    lookup: tuple = ()  # (name, description) of the path's parameter
    example: str = ""  # an address to try, under /api/


FILTER_DOCS = {
    "year": "Reporting years, e.g. 2023 or 2022,2023. Published years only.",
    "state": "USPS codes of states and territories, any case, e.g. MN or MN,WI. "
    "National figures have no state: a state filter leaves them out.",
    "program": "Program slugs, e.g. cybertipline. The states' population, which no "
    "program publishes, has no program: a program filter leaves it out.",
    "metric": "Metric keys, e.g. cybertipline-reports-to-law-enforcement, or population "
    "for the states' population.",
}
PAGE_DOCS = {
    "page": "The page to return, from 1. Past the last page is a 400.",
    "page_size": f"Objects per page, 1 to {MAX_PAGE_SIZE}; {PAGE_SIZE} by default.",
}

ENDPOINTS = [
    Endpoint("v1/programs/", "programs", "Every published program.", "Program", True,
             ("page", "page_size"), example="v1/programs/"),
    Endpoint("v1/programs/{slug}/", "program", "One published program.", "Program",
             lookup=("slug", "The program's slug."), example="v1/programs/cybertipline/"),
    Endpoint("v1/states/", "states", "The 56 states, district and territories.", "State", True,
             ("page", "page_size"), example="v1/states/"),
    Endpoint("v1/states/{code}/", "state", "One state or territory.", "State",
             lookup=("code", "Its USPS code in any case (MN, mn) or its slug (minnesota)."),
             example="v1/states/MN/"),
    Endpoint("v1/metrics/", "metrics",
             "Every metric with published figures, the states' population among them.",
             "Metric", True, ("page", "page_size"), example="v1/metrics/"),
    Endpoint("v1/metrics/{key}/", "metric", "One metric with published figures.", "Metric",
             lookup=("key", "The metric's key."),
             example="v1/metrics/cybertipline-reports-to-law-enforcement/"),
    Endpoint("v1/figures/", "figures",
             "Published figures, filtered; ordered by year, program, metric, then the "
             "nation before the states by name.", "Figure", True,
             ("year", "state", "program", "metric", "page", "page_size"),
             example="v1/figures/?year=2023&state=MN&page_size=5"),
    Endpoint("", "index", "This documentation, an HTML page (not JSON)."),
    Endpoint("v1/openapi.json", "openapi", "This API described in OpenAPI 3.1.",
             example="v1/openapi.json"),
]  # fmt: skip

STATUS_TEXT = {
    "304": "Not modified: the ETag or the date sent still holds. No body.",
    "400": "A parameter is malformed, names nothing published, or is not taken here; "
    "error.filter names it.",
    "404": "No such object, or no such address.",
    "405": "A method other than GET, HEAD or OPTIONS.",
}


def _property(field):
    if field.type == "array" and field.items in fields.SCHEMAS:
        schema = {"type": "array", "items": {"$ref": f"#/components/schemas/{field.items}"}}
    elif field.type == "array":
        schema = {"type": "array", "items": {"type": field.items}}
    else:
        schema = {"type": [field.type, "null"] if field.nullable else field.type}
        if field.enum:
            schema["enum"] = list(field.enum)
        if field.format:
            schema["format"] = field.format
    return {**schema, "description": field.description}


def object_schema(field_list, required=True):
    schema = {
        "type": "object",
        "properties": {field.name: _property(field) for field in field_list},
    }
    if required:
        schema["required"] = [field.name for field in field_list]
    return schema


def _list_schema(name):
    schema = object_schema(fields.LIST)
    schema["properties"]["results"] = {
        "type": "array",
        "items": {"$ref": f"#/components/schemas/{name}"},
        "description": "This page's objects.",
    }
    return schema


def _detail_schema(name):
    return {
        "allOf": [
            {"$ref": f"#/components/schemas/{name}"},
            {
                "type": "object",
                "properties": {"citation": _property(fields.CITATION)},
                "required": ["citation"],
            },
        ]
    }


HEADERS = {
    "ETag": {
        "description": "Changes with every publication, and with the address and query.",
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": "When published content last changed.",
        "schema": {"type": "string"},
    },
    "Access-Control-Allow-Origin": {"schema": {"type": "string", "const": "*"}},
}


def _error(status):
    return {
        "description": STATUS_TEXT[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _operation(endpoint):
    if endpoint.url_name == "index":
        return {
            "operationId": "index",
            "summary": endpoint.summary,
            "responses": {"200": {"description": endpoint.summary, "content": {"text/html": {}}}},
        }
    if endpoint.schema:
        schema = (_list_schema if endpoint.many else _detail_schema)(endpoint.schema)
    else:
        schema = {"type": "object", "description": "An OpenAPI 3.1 document."}
    parameters = [{"$ref": f"#/components/parameters/{name}"} for name in endpoint.parameters]
    if endpoint.lookup:
        name, description = endpoint.lookup
        parameters.append(
            {
                "name": name,
                "in": "path",
                "required": True,
                "description": description,
                "schema": {"type": "string"},
            }
        )
    responses = {
        "200": {
            "description": endpoint.summary,
            "headers": HEADERS,
            "content": {"application/json": {"schema": schema}},
        },
        "304": {"description": STATUS_TEXT["304"], "headers": HEADERS},
        "400": _error("400"),
        "405": _error("405"),
    }
    if endpoint.lookup:
        responses["404"] = _error("404")
    return {
        "operationId": endpoint.url_name,
        "summary": endpoint.summary,
        "parameters": parameters,
        "responses": dict(sorted(responses.items())),
    }


def _parameter(name):
    description = FILTER_DOCS.get(name) or PAGE_DOCS[name]
    if name in PAGE_DOCS:
        schema = {"type": "integer", "minimum": 1}
        if name == "page_size":
            schema.update(maximum=MAX_PAGE_SIZE, default=PAGE_SIZE)
        return {"name": name, "in": "query", "description": description, "schema": schema}
    return {
        "name": name,
        "in": "query",
        "description": description + " Several values: comma-separated or repeated.",
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": False,
    }


def document(base):
    """The OpenAPI document; ``base`` is the API's absolute address (".../api/")."""
    error = object_schema(fields.ERROR, required=False)
    error["required"] = ["status", "message"]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "NCMEC Data API",
            "version": "1",
            "summary": "The published statistics of the National Center for Missing & "
            "Exploited Children, by program and by US state and territory. Read-only.",
            "description": f"Documentation with examples: {base}",
        },
        "servers": [{"url": base.rstrip("/")}],
        "paths": {f"/{endpoint.path}": {"get": _operation(endpoint)} for endpoint in ENDPOINTS},
        "components": {
            "schemas": {
                **{name: object_schema(field_list) for name, field_list in fields.SCHEMAS.items()},
                "Error": {
                    "type": "object",
                    "properties": {"error": error},
                    "required": ["error"],
                },
            },
            "parameters": {name: _parameter(name) for name in [*FILTER_DOCS, *PAGE_DOCS]},
        },
    }
