"""Plant a deliberate bug in each area the tests guard (input conversion, ledger, effect
domains, batch errors), one at a time, and report which tests fail: a bug that no test
catches ("SURVIVED") is a test missing. Works on a copy of HEAD; the tree is not touched.

    python -m tools.mutation_check [--only NAME]   (exit code 1 when a bug survives)
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

INPUT_TESTS = (
    "tests/model/test_input_values.py",
    "tests/properties/test_batch_fast_paths.py",
    "tests/api/test_calculate.py",
)
LEDGER_TESTS = ("tests/analysis/test_ledger.py", "tests/model/test_verdeling.py")
EFFECT_TESTS = ("tests/analysis/test_effect.py",)
BATCH_TESTS = ("tests/api/test_batch.py",)


@dataclass(frozen=True)
class Mutant:
    """One planted bug: `old` replaced by `new` (each exactly once) in `path`."""

    name: str
    area: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTANTS = [
    Mutant(
        "lower bound off by one",
        "input conversion",
        "service/engine/input_values.py",
        "if spec.min is not None and number < spec.min:",
        "if spec.min is not None and number < spec.min - 1:",
        INPUT_TESTS,
    ),
    Mutant(
        "true written as nee",
        "input conversion",
        "service/engine/input_values.py",
        "return bool(value) if spec.cell_bool else (YES if value else NO)",
        "return bool(value) if spec.cell_bool else (NO if value else YES)",
        INPUT_TESTS,
    ),
    Mutant(
        "a column of booleans written inverted",
        "input conversion",
        "service/engine/input_values.py",
        "texts = np.where(arr, YES, NO)",
        "texts = np.where(arr, NO, YES)",
        INPUT_TESTS,
    ),
    Mutant(
        "fast path checks the minimum against the largest value",
        "input conversion",
        "service/engine/input_values.py",
        "self.min <= min(loaded)",
        "self.min <= max(loaded)",
        INPUT_TESTS,
    ),
    Mutant(
        "an actor's costs and benefits swapped",
        "ledger",
        "service/analysis/ledger.py",
        'outputs = {"kosten": a.costs, "baten": a.benefits, "saldo": a.saldo}',
        'outputs = {"kosten": a.benefits, "baten": a.costs, "saldo": a.saldo}',
        LEDGER_TESTS,
    ),
    Mutant(
        "the sum keeps only the last actor",
        "ledger",
        "service/analysis/ledger.py",
        "sums[kind] = total + v if",
        "sums[kind] = v if",
        LEDGER_TESTS,
    ),
    Mutant(
        "a domain's sign lost",
        "effect domains",
        "service/analysis/effect.py",
        '"sign": d.sign,',
        '"sign": 1,',
        EFFECT_TESTS,
    ),
    Mutant(
        "every domain sets the first domain's input",
        "effect domains",
        "service/analysis/effect.py",
        '"input": d.input,',
        '"input": model.roles.effect_domains[0].input,',
        EFFECT_TESTS,
    ),
    Mutant(
        "the measured value not signed",
        "effect domains",
        "service/analysis/effect.py",
        "value = sign * d\n",
        "value = d\n",
        EFFECT_TESTS,
    ),
    Mutant(
        "a value error named by its place in the column, not its scenario",
        "batch errors",
        "service/api/model_api.py",
        'invalid_params(bad[position], f"scenarios.{i}.invoer.{name}")',
        'invalid_params(bad[position], f"scenarios.{position}.invoer.{name}")',
        BATCH_TESTS,
    ),
    Mutant(
        "a scenario with one error calculated anyway",
        "batch errors",
        "service/api/model_api.py",
        '{"id": s["id"], "errors": e} if e else',
        '{"id": s["id"], "errors": e} if len(e) > 1 else',
        BATCH_TESTS,
    ),
    Mutant(
        "unknown inputs of a scenario dropped silently",
        "batch errors",
        "service/api/model_api.py",
        '{"name": f"scenarios.{i}.invoer.{name}", "reason": UNKNOWN_FIELD}',
        "*()",
        BATCH_TESTS,
    ),
]


def failing_tests(tree: Path, tests: tuple[str, ...]) -> list[str]:
    """The node ids of the tests that fail in `tree` (pytest's short summary)."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfE", *tests],
        cwd=tree,
        capture_output=True,
        text=True,
    )
    return re.findall(r"^(?:FAILED|ERROR) (\S+)", run.stdout, re.MULTILINE)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="run the mutants whose name contains this text")
    args = ap.parse_args()
    survived = 0
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp)
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        every = tuple(dict.fromkeys(t for m in MUTANTS for t in m.tests))
        baseline = failing_tests(tree, every)
        if baseline:
            print(f"failing before any bug is planted: {', '.join(baseline)}")
            return 2
        for m in MUTANTS:
            if args.only and args.only not in m.name:
                continue
            path = tree / m.path
            source = path.read_text(encoding="utf-8")
            if source.count(m.old) != 1:
                print(f"{m.area}: {m.name}: the code to change is gone; update the mutant")
                return 2
            path.write_text(source.replace(m.old, m.new), encoding="utf-8")
            try:
                failed = failing_tests(tree, m.tests)
            finally:
                path.write_text(source, encoding="utf-8")
            survived += not failed
            print(
                f"{m.area}: {m.name}: {'caught by ' + ', '.join(failed) if failed else 'SURVIVED'}"
            )
    return 1 if survived else 0


if __name__ == "__main__":
    raise SystemExit(main())
