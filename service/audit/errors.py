"""Errors of exports and audits: each carries an HTTP-ish status, a short code and a message.

The API maps one to a problem+json answer as `Problem(e.status, e.code, e.detail,
e.invalid_params)`; `code` is lowerCamelCase like the API's own codes.
"""

from __future__ import annotations


class AuditError(Exception):
    """Base class: `status` (400/413/415/422), `code` and a precise, safe-to-show `detail`."""

    status = 400
    code = "badRequest"

    def __init_subclass__(cls, status: int, code: str) -> None:
        super().__init_subclass__()
        cls.status, cls.code = status, code

    def __init__(self, detail: str, invalid_params: list[dict[str, str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.invalid_params = invalid_params

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly form: status, code, detail (and invalidParams when present)."""
        doc: dict[str, object] = {"status": self.status, "code": self.code, "detail": self.detail}
        if self.invalid_params:
            doc["invalidParams"] = self.invalid_params
        return doc


class CorruptWorkbook(AuditError, status=400, code="corruptWorkbook"):
    """The upload is a damaged ZIP or unreadable workbook."""


class WorkbookTooLarge(AuditError, status=413, code="workbookTooLarge"):
    """The upload, or what it expands or parses to, exceeds a limit."""


class UnsupportedWorkbook(AuditError, status=415, code="unsupportedWorkbook"):
    """Not an .xlsx: another format, encrypted (OLE container) or macro-enabled."""


class RejectedWorkbook(AuditError, status=422, code="rejectedWorkbook"):
    """A readable .xlsx the service will not audit: DTDs, external links, foreign layout."""


class InvalidScenario(AuditError, status=422, code="invalidScenario"):
    """Scenario values that are unknown, of the wrong type or out of bounds."""


class ParserBusy(AuditError, status=503, code="parserBusy"):
    """Too many uploads are being parsed at once in this process; retry later."""
