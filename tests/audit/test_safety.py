"""Upload safety: every hostile file gets the right 4xx-class error within 5 seconds."""

from __future__ import annotations

import time

import pytest

from service.audit import (
    AuditError,
    Limits,
    WorkbookTooLarge,
    parse_upload,
)
from tests.audit.support import REFERENCE, hostile_corpus
from tools.engines import formula_cells

CASES = [
    "not-a-zip",
    "empty",
    "truncated-zip",
    "zip-bomb",
    "xml-entity-bomb",
    "million-rows",
    "xlsm",
    "macros-named-xlsx",
    "password-protected",
    "external-link",
]


@pytest.fixture(scope="module")
def corpus(reference_bytes: bytes) -> dict:
    built = hostile_corpus(reference_bytes)
    assert sorted(built) == sorted(CASES)
    return built


@pytest.mark.parametrize("name", CASES)
def test_hostile_upload_is_refused_quickly(corpus: dict, name: str) -> None:
    filename, data, error = corpus[name]
    start = time.monotonic()
    with pytest.raises(AuditError) as exc:
        parse_upload(data, filename)
    elapsed = time.monotonic() - start
    assert type(exc.value) is error, exc.value.detail
    assert 400 <= exc.value.status < 500
    assert elapsed < 5.0


def test_the_reference_parses(reference_bytes: bytes) -> None:
    parsed = parse_upload(reference_bytes, "mkba-1gezin1plan.xlsx")
    # the child parser finds every formula openpyxl finds in this process
    expected = {f"{sheet}!{cell}": f for (sheet, cell), f in formula_cells(REFERENCE).items()}
    assert parsed.formulas == expected
    assert parsed.values["Cockpit!B21"] == "nee"


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (Limits(max_upload_bytes=10_000), "exceeds the limit"),
        (Limits(max_uncompressed_bytes=100_000), "expands to"),
        (Limits(max_entries=5), "ZIP entries"),
        (Limits(max_cells=1000), "cells"),
        (Limits(parse_seconds=0.05), "longer than"),
        (Limits(parse_memory_bytes=8 * 1024 * 1024), "memory"),
    ],
)
def test_limits(reference_bytes: bytes, limits: Limits, message: str) -> None:
    with pytest.raises(WorkbookTooLarge, match=message):
        parse_upload(reference_bytes, None, limits)


def test_openpyxl_parses_through_defusedxml() -> None:
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


def test_defusedxml_stops_an_entity_bomb_without_the_dtd_scan(
    corpus: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service.audit import child_parser

    monkeypatch.setattr(child_parser, "scan_parts", lambda archive, limits: None)
    _, data, _ = corpus["xml-entity-bomb"]
    with pytest.raises(ValueError) as exc:  # openpyxl wraps defusedxml's error
        child_parser.read(data, {})
    assert child_parser.forbidden_xml(exc.value) == "EntitiesForbidden"


def test_parses_beyond_the_parallel_limit_wait_then_get_503(reference_bytes: bytes) -> None:
    from service.audit import ParserBusy
    from service.audit.safety import _slots

    limits = Limits(parallel_parses=1, parse_seconds=0.2)
    held = _slots(1)
    held.acquire()  # one parse "running"
    try:
        with pytest.raises(ParserBusy) as exc:
            parse_upload(reference_bytes, None, limits)
        assert exc.value.status == 503
    finally:
        held.release()
