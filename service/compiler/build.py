"""Workbook -> Python module source (the compiled artifact)."""

from __future__ import annotations

import functools
import pprint
from pathlib import Path
from typing import Any

from service.compiler.formula_tree import CompileError, Node, Refused
from service.compiler.codegen import (
    B,
    Env,
    N,
    S,
    ScalarWriter,
    Types,
    VectorWriter,
    _fname,
    ident,
    literal,
)
from service.compiler.native import (
    BATCH_FUNCTION,
    FUNCTION,
    CWriter,
    NativeUnsupported,
    TextCodes,
    c_literal,
    c_module,
    source_sha256,
)
from service.compiler.workbook import Workbook, dependency_order, load_workbook, parse_cell

COMPILER_VERSION = "1"
COMMAND = "python -m service.compiler formulas_spec"
RUNTIME_NAMES = (
    "ExcelError",
    "NULL",
    "DIV0",
    "VALUE",
    "REF",
    "NAME",
    "NUM",
    "NA",
    "num",
    "txt",
    "truth",
    "nz",
    "cat",
    "div",
    "pw",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "xsum",
    "xmin",
    "xmax",
    "xaverage",
    "xnpv_args",
    "xsumproduct",
    "xround",
    "xabs",
    "xand",
    "xor_",
    "xnot",
    "xtrim",
)


@functools.cache
def known_functions() -> frozenset[str]:
    """Names of the functions `formulas` implements (delegation targets)."""
    import formulas
    from formulas.functions import not_implemented

    out = set()
    for k, f in formulas.get_functions().items():
        if f is not_implemented:
            continue
        name = k.upper()
        for prefix in ("_XLFN._XLWS.", "_XLFN.", "_XLWS."):
            if name.startswith(prefix):
                name = name[len(prefix) :]
        out.add(name)
    return frozenset(out)


class Compiled:
    """The result of compiling one workbook."""

    def __init__(
        self,
        book: Workbook,
        source: str,
        cells: list[str],
        c_source: str | None = None,
        refused: list[CompileError] | None = None,
    ) -> None:
        self.book = book
        self.source = source
        self.cells = cells  # formula cells in evaluation order
        self.c_source = c_source  # the native engine's C source, when the model has one
        self.c_name = c_name(book)  # its file name beside the artifact
        self.refused = refused or []  # per-cell mode: each refused cell, formula and reason


def c_name(book: Workbook) -> str:
    """The file name of a workbook's C source, beside its artifact."""
    return f"{book.path.stem}.c"


def compile_workbook(
    path: Path,
    *,
    all_cells: bool = False,
    model_id: str | None = None,
    per_cell: bool = False,
    fold: bool = True,
) -> Compiled:
    """Compile a workbook. Every formula cell is compiled into `calculate_cells` (trace,
    export, audit); `calculate`, `calculate_vector` and the C source compute the cells the
    outputs need, or with all_cells every formula cell, which they then return.

    Every cell is exact or refused. By default the first refusal stops the compile
    (CompileError: cell, formula, reason); with `per_cell` (audits) a refused cell and
    the cells that read it are left out and listed in `Compiled.refused` and `REFUSED`.
    `fold=False` leaves constant sub-expressions to the run-time helpers (conformance).
    """
    book = load_workbook(Path(path))
    if not book.inputs and not all_cells:
        raise CompileError(f"{path.name}:Interface", "", "workbook has no Interface inputs")
    input_keys = [i["cell"] for i in book.inputs]
    for o in book.outputs:
        if o["cell"] not in book.formulas and o["cell"] not in book.values:
            raise CompileError(o["cell"], "", f"output {o['name']} points at an empty cell")
    roots = [o["cell"] for o in book.outputs]
    cells = _array_cells(book)
    every = sorted(book.formulas, key=book.order)  # array cells included
    if all_cells:
        roots = roots + every
    refused: dict[str, str] = {}
    cyclic: dict[str, str] = {}  # per-cell mode: cells on a circular reference, refused
    while True:
        try:
            # the outputs' cells come first in this order, as they would if compiled alone
            order, nodes, deps = dependency_order(
                book, roots + every, set(input_keys), _parser(cells, per_cell, cyclic)
            )
            break
        except CompileError as exc:
            if not per_cell or not exc.reason.startswith("circular reference: "):
                raise
            for key in exc.reason.removeprefix("circular reference: ").split(" -> "):
                cyclic[key] = exc.reason
    needed = _closure(roots, deps)
    source, c_source, refusals = _module(
        book, order, needed, nodes, deps, roots, all_cells, model_id, refused, per_cell, fold
    )
    return Compiled(book, source, order, c_source, refusals)


def _array_cells(book: Workbook) -> dict[str, tuple[str, int, int]]:
    """Every cell of an array formula's range -> (its anchor, element row, column).

    The cells of the range become formula cells (the anchor's formula, element by element,
    service/compiler/arrays.py): their cached values in the file are not ours to read.
    """
    from service.compiler.arrays import spill_cells

    out: dict[str, tuple[str, int, int]] = {}
    for anchor, ref in book.arrays.items():
        for key, i, j in spill_cells(anchor, ref):
            if key != anchor and key in book.formulas:
                continue  # another formula: Excel would show #SPILL!, the cell keeps its own
            out.setdefault(key, (anchor, i, j))
            book.formulas.setdefault(key, book.formulas[anchor])
            book.values.pop(key, None)
    return out


def _parser(cells: dict[str, tuple[str, int, int]], per_cell: bool, cyclic: dict[str, str]) -> Any:
    """The parse function of dependency_order: array cells element by element; in per-cell
    mode a refusal becomes a Refused node (its dependents are refused too)."""
    from service.compiler.arrays import element

    def parse(book: Workbook, key: str) -> Node:
        if key in cyclic:
            return Refused(cyclic[key])
        try:
            if key in cells:
                anchor, i, j = cells[key]
                return element(parse_cell(book, anchor), i, j)
            return parse_cell(book, key)
        except CompileError as exc:
            if not per_cell:
                raise CompileError(key, book.formulas[key], exc.reason) from None
            return Refused(exc.reason)

    return parse


def _closure(roots: list[str], deps: dict[str, list[str]]) -> set[str]:
    """The formula cells `roots` depend on, themselves included."""
    seen: set[str] = set()
    todo = [r for r in roots if r in deps]
    while todo:
        key = todo.pop()
        if key not in seen:
            seen.add(key)
            todo.extend(r for r in deps[key] if r in deps)
    return seen


def _input_types(spec: dict[str, Any]) -> Types:
    if spec["type"] == "yesno":
        return B if spec.get("cell_bool") else S
    return N


def _module(
    book: Workbook,
    order: list[str],
    needed: set[str],
    nodes: dict[str, Any],
    deps: dict[str, list[str]],
    roots: list[str],
    all_cells: bool,
    model_id: str | None,
    refused: dict[str, str],
    per_cell: bool,
    fold: bool,
) -> tuple[str, str | None, list[CompileError]]:
    """The Python artifact's source, the native engine's C source (None: no C form), and
    the cells refused (per-cell mode). `order` is every formula cell; `needed` the ones
    `calculate` computes."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for key in [i["cell"] for i in book.inputs] + order:
        n = ident(key)
        while n in used:
            n += "_"
        used.add(n)
        names[key] = n
    types: dict[str, Types] = {i["cell"]: _input_types(i) for i in book.inputs}
    constants = {k: v for k, v in book.values.items() if k not in types}
    env = Env(
        names=names,
        types=types,
        constants=constants,
        known_functions=known_functions(),
        refused=refused,
        formula_cells=frozenset(book.formulas),
        fold=fold,
    )
    refusals: list[CompileError] = []
    scalar = ScalarWriter(env)
    vector = VectorWriter(env)
    text_codes: TextCodes = {}
    text_inputs = frozenset(i["cell"] for i in book.inputs if types[i["cell"]] == S)
    native = CWriter(env, text_inputs, text_codes)
    c_lines: list[tuple[str, str, str]] = []
    no_native: NativeUnsupported | None = None
    s_lines: list[str] = []  # calculate: the cells in `needed`
    a_lines: list[str] = []  # calculate_cells: every formula cell
    v_lines: list[str] = []
    v_keys: list[str] = []
    folded: set[str] = set()
    for key in order:
        formula = book.formulas[key]
        comment = f"  # {key} {formula}".replace("\n", " ")
        if key in refused and not per_cell:
            raise CompileError(key, formula, refused[key])
        if per_cell:
            try:
                if key in refused:
                    raise CompileError(key, formula, refused[key])
                scalar.cell(key, formula, nodes[key])
                vector.cell(key, formula, nodes[key])
            except CompileError as exc:
                refusals.append(exc)
                refused[key] = exc.reason
                del names[key]
                continue
        if scalar.is_const(nodes[key]):
            # no input reaches this cell: its value is computed now and inlined where used
            code, t = scalar.cell(key, formula, nodes[key])
            from service.engine import runtime

            value = eval(code, vars(runtime).copy())  # noqa: S307 - our own generated code
            constants[key] = value
            del names[key]
            folded.add(key)
            a_lines.append(f"    # {key} = {literal(value)} (constant){comment[3:]}")
            if key in needed:
                s_lines.append(a_lines[-1])
                v_lines.append(a_lines[-1])
                v_keys.append(key)
            continue
        code, t = scalar.cell(key, formula, nodes[key])
        types[key] = t
        a_lines.append(f"    {names[key]} = {code}{comment}")
        if key not in needed:
            continue  # a display or check cell: in calculate_cells only
        vcode, _ = vector.cell(key, formula, nodes[key])
        s_lines.append(f"    {names[key]} = {code}{comment}")
        v_lines.append(f"    {names[key]} = {vcode}{comment}")
        v_keys.append(key)
        if no_native is None:
            try:
                c_lines.append((names[key], native.cell(key, formula, nodes[key])[0], comment[4:]))
            except NativeUnsupported as exc:
                no_native = exc

    if per_cell:  # refused cells have no value: left out of everything below
        order = [k for k in order if k not in refused]
        roots = [k for k in roots if k not in refused]
    # numpy function: drop each column after its last reader, so N-sized arrays are reused
    inputs_set = {i["cell"] for i in book.inputs}
    keep = set(roots)
    dead_after: dict[int, list[str]] = {}
    last: dict[str, int] = {}
    for idx, key in enumerate(v_keys):
        if key not in folded:
            for r in deps[key]:
                if r in names and r not in inputs_set:
                    last[r] = idx
    for r, idx in last.items():
        if r not in keep:
            dead_after.setdefault(idx, []).append(names[r])
    v_lines = [
        line + (f"\n    del {', '.join(sorted(dead_after[i]))}" if i in dead_after else "")
        for i, line in enumerate(v_lines)
    ]

    # outputs: a root that is a constant or input cell is returned as such
    def out_code(key: str) -> str:
        if key in names:
            return names[key]
        return literal(constants.get(key, 0.0) if constants.get(key) is not None else 0.0)

    result_keys: list[str] = []
    for k in roots:
        if k not in result_keys:
            result_keys.append(k)
    params = [names[i["cell"]] for i in book.inputs]
    sig = ", ".join(params)
    mid = model_id or book.path.stem

    c_source: str | None = None
    native_info: dict[str, Any] | None = None
    if no_native is None:
        try:
            c_results = [_c_result(k, names, text_inputs, constants) for k in result_keys]
        except NativeUnsupported as exc:
            no_native = exc
    if no_native is None:
        c_source = c_module(
            model_id=mid,
            source_name=book.path.name,
            params=params,
            lines=c_lines,
            results=c_results,
            helpers=native.c_helpers,
        )
        positions = {i["cell"]: k for k, i in enumerate(book.inputs)}
        # every text input enters the C function as a code, compared or not
        native_info = {
            "source": c_name(book),
            "sha256": source_sha256(c_source),
            "function": FUNCTION,
            "batchFunction": BATCH_FUNCTION,
            "textCodes": {
                positions[cell]: text_codes.get(cell, []) for cell in sorted(text_inputs)
            },
        }

    trace: dict[str, dict[str, Any]] = {}
    for key in order:
        trace[key] = {"formula": book.formulas[key], "refs": deps[key]}
    needed_consts = sorted(
        {r for key in order for r in deps[key] if r in constants and r not in folded},
        key=book.order,
    )
    out: list[str] = []
    w = out.append
    w(f"# GENERATED by `{COMMAND}` (make compile) from {book.path.name} - do not edit.")
    w(
        f'"""Compiled model {mid}: {len(order)} formula cells ({len(needed)} for the results), '
        f'{len(book.inputs)} inputs."""'
    )
    w("")
    w("# ruff: noqa")
    w("import numpy as np  # noqa: F401")
    w("")
    w("from service.engine.runtime import (")
    for n in RUNTIME_NAMES:
        w(f"    {n},")
    w(")")
    w("from service.engine.vector import *  # noqa: F403")
    if env.helpers:
        w(f"from service.engine.runtime import {', '.join(sorted(env.helpers))}")
    if env.delegates:
        w("from service.engine.delegate import MISSING, delegate, rng")
    w("")
    w(f"MODEL_ID = {mid!r}")
    w(f"WORKBOOK = {book.path.name!r}")
    w(f"WORKBOOK_SHA256 = {book.sha256!r}")
    w(f"ENGINE_VERSION = {COMPILER_VERSION!r}")
    w(f"ALL_CELLS = {all_cells!r}")
    w("META = " + pprint.pformat(book.meta, width=100, sort_dicts=True))
    w("INPUTS = " + pprint.pformat(book.inputs, width=100, sort_dicts=True))
    outputs = [o for o in book.outputs if o["cell"] in result_keys]
    w("OUTPUTS = " + pprint.pformat(outputs, width=100, sort_dicts=True))
    w("# what the service needs to know about the model (Interface roles, groups, actors)")
    w("ROLES = " + pprint.pformat(book.roles, width=100, sort_dicts=False))
    if per_cell:
        w("# cells refused (per-cell mode): cell -> (formula, reason)")
        listed = {e.cell: (e.formula, e.reason) for e in refusals}
        w("REFUSED = " + pprint.pformat(listed, width=100, sort_dicts=False))
    w("# cells returned by calculate(), in order")
    w("RESULTS = " + pprint.pformat(tuple(result_keys), width=100))
    w("# the workbook's sheets, in order")
    w("SHEETS = " + pprint.pformat(book.sheets, width=100))
    w("# every formula cell: formula and direct precedents (trace, export, audit)")
    w("FORMULAS = " + pprint.pformat(trace, width=100, sort_dicts=False))
    w("# the native engine (service/engine/native.py): its C source beside this file, and the")
    w("# codes its text inputs take (input position -> texts compared with; else -1)")
    if native_info is None:
        w(f"NATIVE = None  # {no_native}".replace("\n", " "))
    else:
        w("NATIVE = " + pprint.pformat(native_info, width=100, sort_dicts=True))
    w("# constant cells the formulas read (inputs excluded)")
    w("CONSTANTS = {" + ", ".join(f"{k!r}: {literal(constants[k])}" for k in needed_consts) + "}")
    w("")
    for name in sorted(env.delegates):
        w(f"F_{_fname(name)} = delegate({name!r})")
    if env.delegates:
        w("")
    w("")
    w(f"def calculate({sig}):")
    w('    """Scalar evaluation: input cell values -> tuple of RESULTS values."""')
    out.extend(s_lines)
    w("    return (" + "".join(f"{out_code(k)}, " for k in result_keys).rstrip() + ")")
    w("")
    w("")
    w(f"def calculate_cells({sig}):")
    w('    """Scalar evaluation of every formula cell of the workbook (trace, export, audit)."""')
    out.extend(a_lines)
    w("    return {")
    returned = [i["cell"] for i in book.inputs] + order
    # an output whose cell holds a constant is a cell of the workbook the export writes too
    seen = set(returned)
    returned += [k for k in result_keys if k not in seen]
    for key in returned:
        code = names[key] if key in names else out_code(key)
        w(f"        {key!r}: {code},")
    w("    }")
    w("")
    w("")
    w(f"def calculate_vector({sig}):")
    w('    """numpy evaluation: input columns (arrays or scalars) -> tuple of RESULTS columns."""')
    out.extend(v_lines)
    w("    return (" + "".join(f"{out_code(k)}, " for k in result_keys).rstrip() + ")")
    w("")
    return "\n".join(out), c_source, refusals


def _c_result(
    key: str, names: dict[str, str], text_inputs: frozenset[str], constants: dict[str, Any]
) -> str:
    """C expression of one RESULTS cell (a text input has no C value, only a code)."""
    if key in text_inputs:
        raise NativeUnsupported(key, "", "no C form: a text input as a result")
    if key in names:
        return names[key]
    value = constants.get(key)
    if isinstance(value, bool):
        raise NativeUnsupported(key, "", "no C form: a logical constant as a result")
    return c_literal(key, 0.0 if value is None else value)


__all__ = ["compile_workbook", "Compiled", "COMMAND", "COMPILER_VERSION"]
