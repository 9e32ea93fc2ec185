"""The MKBA calculation service: compiled workbooks served as a JSON API (v1)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: configuration, the OpenAPI document, the models, /v1 and the cockpit.

    Models are loaded and self-tested here, once; requests only read them.
    """
    # Imported here so that `import service.engine` (e.g. the CLI, batch jobs) never loads Flask.
    import yaml
    from flask import Flask, redirect

    from service import cockpit, observability
    from service.api import error_handlers, http, jsonio, registry
    from service.api.views import (
        analyses,
        audits,
        batch,
        calculations,
        charts,
        comparisons,
        contracts,
        evidence,
        health,
        models,
        norms,
        reports,
        series,
        versions,
    )
    from service.config import Config

    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(Config().as_dict())
    if test_config is not None:
        app.config.from_mapping(test_config)
    jsonio.install(app)

    with open(app.config["OPENAPI_PATH"], encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    app.config["OPENAPI"] = spec
    app.config["API_VERSION"] = spec["info"]["version"]

    if not app.config.get("TESTING"):
        observability.configure_logging()  # before the models: their loading logs too
    app.extensions["mkba"] = registry.load(app.config["MODELS_DIR"])

    error_handlers.register_error_handlers(app)
    http.install(app)
    for views in (
        models,
        calculations,
        batch,
        comparisons,
        analyses,
        charts,
        audits,
        norms,
        contracts,
        evidence,
        versions,
        series,
        reports,
        health,
    ):
        app.register_blueprint(views.bp)
    reports.preload()  # WeasyPrint and matplotlib, once, before any request
    app.register_blueprint(cockpit.bp)
    app.add_url_rule("/", "home", lambda: redirect("/cockpit"))
    observability.install(app)  # metrics, request time limit, CORS
    return app
