"""Parity audits and Excel round trips: export a scenario as a workbook, audit an upload."""

from service.audit.audit import audit_parsed, audit_workbook, render_html
from service.audit.cells import Reference, load_reference
from service.audit.errors import (
    AuditError,
    CorruptWorkbook,
    InvalidScenario,
    ParserBusy,
    RejectedWorkbook,
    UnsupportedWorkbook,
    WorkbookTooLarge,
)
from service.audit.export import XLSX_MIMETYPE, export_workbook, validate_scenario
from service.audit.safety import DEFAULT_LIMITS, Limits, ParsedWorkbook, check_upload, parse_upload

__all__ = [
    "DEFAULT_LIMITS",
    "XLSX_MIMETYPE",
    "AuditError",
    "CorruptWorkbook",
    "InvalidScenario",
    "Limits",
    "ParsedWorkbook",
    "ParserBusy",
    "Reference",
    "RejectedWorkbook",
    "UnsupportedWorkbook",
    "WorkbookTooLarge",
    "audit_parsed",
    "audit_workbook",
    "check_upload",
    "export_workbook",
    "load_reference",
    "parse_upload",
    "render_html",
    "validate_scenario",
]
