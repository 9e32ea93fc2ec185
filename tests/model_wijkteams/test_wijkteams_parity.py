"""Every formula cell of the wijkteams workbook: compiled model == LibreOffice == Gnumeric.

The default scenario plus 200 random scenarios within the interface's bounds (`make parity`;
`make test` runs a sample), relative 1e-9 (tests/compiler/parity.py). The compiler parity
suite adds formulas' ExcelModel as a third peer for every workbook in formulas_spec/, this
one included; Gnumeric is checked here.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

from service.compiler.workbook import load_workbook
from service.engine import CompiledModel
from tests.compiler import parity
from tests.model_wijkteams.conftest import WORKBOOK
from tools.engines import cached_values, engine_available, formula_cells, recalc_gnumeric

pytestmark = pytest.mark.parity

HAVE_LO = engine_available("libreoffice")
HAVE_GNUMERIC = engine_available("gnumeric")


def gnumeric_version() -> str:
    """Version string of ssconvert."""
    import subprocess

    r = subprocess.run(["ssconvert", "--version"], capture_output=True, text=True, timeout=60)
    return "gnumeric " + (r.stdout.strip().split("\n")[0] or "unknown")


def run_gnumeric(src: Path, cells: list[str], scs: list[parity.Scenario]) -> list[dict[str, Any]]:
    """Recalculate each scenario file with ssconvert and read the cached values."""
    out = []
    with tempfile.TemporaryDirectory(prefix="parity-gnumeric-") as d:
        tmp = Path(d)
        (tmp / "in").mkdir()
        for p in parity.write_scenarios(src, scs, tmp / "in"):
            vals = cached_values(recalc_gnumeric(p, tmp / "out" / p.name))
            row = {}
            for k in cells:
                sheet, addr = k.rsplit("!", 1)
                row[k] = parity.normalise(vals.get((sheet, addr)))
            out.append(row)
    return out


@pytest.fixture(scope="module")
def scenarios() -> list[parity.Scenario]:
    return parity.scenarios(load_workbook(WORKBOOK).inputs)


@pytest.fixture(scope="module")
def ours(all_cells: CompiledModel, scenarios: list[parity.Scenario]) -> list[dict[str, Any]]:
    return parity.ours(all_cells, scenarios)


def test_the_scenarios(scenarios: list[parity.Scenario], all_cells: CompiledModel) -> None:
    assert len(scenarios) == 1 + parity.N_SCENARIOS
    # every formula cell of the workbook is compared, not only the outputs
    formulas = {f"{sheet}!{addr}" for sheet, addr in formula_cells(WORKBOOK)}
    assert set(all_cells.module.RESULTS) == formulas


@pytest.mark.skipif(not HAVE_LO, reason="LibreOffice (soffice) is not installed")
def test_compiled_matches_libreoffice(
    all_cells: CompiledModel, scenarios: list[parity.Scenario], ours: list[dict[str, Any]]
) -> None:
    cells = list(all_cells.module.RESULTS)
    peer = parity.memo(
        WORKBOOK,
        parity.libreoffice_version(),
        scenarios,
        lambda: parity.run_libreoffice(WORKBOOK, cells, scenarios),
    )
    bad = parity.mismatches(ours, peer, cells)
    assert not bad, "\n".join(bad)


@pytest.mark.skipif(not HAVE_GNUMERIC, reason="Gnumeric (ssconvert) is not installed")
def test_compiled_matches_gnumeric(
    all_cells: CompiledModel, scenarios: list[parity.Scenario], ours: list[dict[str, Any]]
) -> None:
    cells = list(all_cells.module.RESULTS)
    peer = parity.memo(
        WORKBOOK, gnumeric_version(), scenarios, lambda: run_gnumeric(WORKBOOK, cells, scenarios)
    )
    bad = parity.mismatches(ours, peer, cells)
    assert not bad, "\n".join(bad)


def test_numpy_backend_matches_scalar(
    all_cells: CompiledModel, scenarios: list[parity.Scenario], ours: list[dict[str, Any]]
) -> None:
    bad = parity.mismatches(parity.ours_vector(all_cells, scenarios), ours, list(ours[0]))
    assert not bad, "\n".join(bad)
