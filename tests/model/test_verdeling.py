"""Who pays, who profits: the per-actor ledger accounts for every euro of the totals."""

from __future__ import annotations

import random

import pytest

from service.engine import CompiledModel


def _scenarios(model: CompiledModel, n: int) -> list[dict[str, object]]:
    rng = random.Random(2)
    out: list[dict[str, object]] = [{}]
    for _ in range(n):
        scenario: dict[str, object] = {}
        for spec in model.inputs:
            if spec.type == "yesno":
                scenario[spec.name] = rng.random() < 0.5
            else:
                scenario[spec.name] = rng.uniform(spec.min, spec.max)
        out.append(scenario)
    return out


@pytest.mark.parametrize("kind", ["Kosten", "Baten", "Saldo"])
def test_actors_add_up_to_the_totals(model: CompiledModel, kind: str):
    total = {"Kosten": "totaleKosten", "Baten": "totaleBaten", "Saldo": "mkbaSaldo"}[kind]
    ledger = [o.name for o in model.outputs if o.group == "verdeling" and o.name.endswith(kind)]
    assert len(ledger) == 10
    for scenario in _scenarios(model, 20):
        r = model.calculate(scenario)
        assert sum(r[name] for name in ledger) == pytest.approx(r[total], rel=1e-9, abs=1e-6)


def test_default_example_municipality_pays_households_profit(model: CompiledModel):
    r = model.calculate({})
    expected = r["projectkosten"] + 0.5 * (
        r["kostenMeerZorgEnHulptrajecten"] + r["kostenMdaAanpak"]
    )
    assert r["gemeenteKosten"] == pytest.approx(expected)
    assert r["gemeenteSaldo"] < 0 < r["huishoudensSaldo"]
