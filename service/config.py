"""Configuration from the environment, read once when the app is created."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
N = TypeVar("N", int, float)


def _number_env(name: str, default: N) -> N:
    """The variable `name` as a number of the default's type; the default when unset or blank."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    kind = type(default)
    try:
        return kind(raw)
    except ValueError:
        what = "an integer" if kind is int else "a number"
        raise RuntimeError(f"{name} must be {what}, got {raw!r}") from None


class Config:
    """Every setting the app reads, with its environment variable.

    MKBA_MODELS_DIR     folder of workbooks and their compiled artifacts (formulas_spec/)
    MKBA_OPENAPI_PATH   the hand-kept OpenAPI document served at /v1/openapi.json
    MKBA_MAX_BODY_BYTES request body limit in bytes; larger bodies get 413
    MKBA_REQUEST_TIMEOUT seconds a request may run before it is answered 503 (0: no limit)
    MKBA_CORS_ORIGINS   comma-separated origins allowed by CORS (default: none)
    MKBA_MAX_UPLOAD_BYTES  body limit of a workbook upload (POST .../audits); the audit
                        library's own cap (5 MiB) by default
    """

    def __init__(self) -> None:
        self.MODELS_DIR = Path(os.environ.get("MKBA_MODELS_DIR", ROOT / "formulas_spec"))
        self.OPENAPI_PATH = Path(os.environ.get("MKBA_OPENAPI_PATH", ROOT / "openapi.yaml"))
        self.MAX_CONTENT_LENGTH = _number_env("MKBA_MAX_BODY_BYTES", 2 * 1024 * 1024)
        self.REQUEST_TIMEOUT = _number_env("MKBA_REQUEST_TIMEOUT", 25.0)
        self.CORS_ORIGINS = os.environ.get("MKBA_CORS_ORIGINS", "")
        self.MAX_UPLOAD_BYTES = _number_env("MKBA_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in vars(self).items() if k.isupper()}
