"""The /v1 API: a Flask blueprint over the compiled models.

`comparisons`, `norms` and `contract_routes` add their routes to the same blueprint
(imported for that side effect).
"""

from service.api import comparisons, contract_routes, http, jsonio, norms, registry
from service.api.views import bp

__all__ = ["bp", "comparisons", "contract_routes", "http", "jsonio", "norms", "registry"]
