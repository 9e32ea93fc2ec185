"""Configuration from the environment, read once when the app is created."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise RuntimeError(f"{name} must be an integer, got {raw!r}") from None


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise RuntimeError(f"{name} must be a number, got {raw!r}") from None


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
        self.MAX_CONTENT_LENGTH = _int_env("MKBA_MAX_BODY_BYTES", 2 * 1024 * 1024)
        self.REQUEST_TIMEOUT = _float_env("MKBA_REQUEST_TIMEOUT", 25.0)
        self.CORS_ORIGINS = os.environ.get("MKBA_CORS_ORIGINS", "")
        self.MAX_UPLOAD_BYTES = _int_env("MKBA_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in vars(self).items() if k.isupper()}
