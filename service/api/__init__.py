"""The /v1 API: a Flask blueprint over the compiled models."""

from service.api import contract_routes, http, jsonio, registry
from service.api.views import bp

__all__ = ["bp", "contract_routes", "http", "jsonio", "registry"]
