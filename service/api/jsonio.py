"""JSON in and out with orjson: the batch answer holds some 75,000 numbers, and
orjson writes them about ten times faster than the standard library (numpy
float arrays directly, without a Python float per value)."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Flask, Response, current_app
from flask.json.provider import JSONProvider

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY


class OrjsonProvider(JSONProvider):
    """Flask's JSON provider on orjson: compact, keys in insertion order."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return orjson.dumps(obj, option=_OPTIONS).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        return current_app.response_class(
            orjson.dumps(obj, option=_OPTIONS), mimetype="application/json"
        )


def install(app: Flask) -> None:
    app.json = OrjsonProvider(app)
