"""Workbook -> the compiled artifact: the intermediate form (service/compiler/ir.py), and
from it the Python module (scalar and numpy functions), its data file and the C source."""

from __future__ import annotations

import functools
import pprint
from pathlib import Path
from typing import Any

from service.compiler.arrays import element, spill_cells
from service.compiler.c_writer import (
    BATCH_FUNCTION,
    FUNCTION,
    SERIES_FUNCTION,
    CWriter,
    NativeUnsupported,
    TextCodes,
    c_literal,
    c_module,
    source_sha256,
)
from service.compiler.formula_tree import CompileError, Node, Refused
from service.compiler.generated import COMMAND, COMPILER_VERSION, first_line
from service.compiler.ir import B, Cell, Env, N, Program, S, Types, function_name, ident
from service.compiler.numpy_writer import VectorWriter
from service.compiler.python_writer import ScalarWriter, literal
from service.compiler.workbook import Workbook, dependency_order, load_workbook, parse_cell
from service.engine import artifact_data, runtime
from service.engine.roles import Series

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
        data: str,
        cells: list[str],
        c_source: str | None = None,
        refused: list[CompileError] | None = None,
    ) -> None:
        self.book = book
        self.source = source  # the Python module (<stem>.py)
        self.data = data  # its data file (<stem>.json beside it, which it loads)
        self.cells = cells  # formula cells in evaluation order
        self.c_source = c_source  # the native engine's C source, when the model has one
        self.c_name = c_name(book)  # its file name beside the artifact
        self.refused = refused or []  # per-cell mode: each refused cell, formula and reason

    def files(self, artifact: Path) -> dict[Path, str]:
        """The files of this artifact written as `artifact` (<stem>.py): the module and its
        data file beside it, and the C source where the model has one."""
        out = {artifact: self.source, artifact.with_suffix(".json"): self.data}
        if self.c_source is not None:
            out[artifact.with_name(self.c_name)] = self.c_source
        return out

    def write(self, artifact: Path) -> Path:
        """Write the module as `artifact` and its data file beside it; return `artifact`."""
        artifact = Path(artifact)
        artifact.write_text(self.source)
        artifact.with_suffix(".json").write_text(self.data, encoding="utf-8")
        return artifact


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
    series = Series.from_artifact(book.roles["series"]).cells() if "series" in book.roles else []
    program, code = _lower(book, order, needed, nodes, deps, roots, refused, per_cell, fold)
    if series and not per_cell:  # an audit's upload (per_cell) is never asked for series
        _order_series(program, series, _closure([k for k in series if k in deps], deps))
    if per_cell:  # refused cells have no value: left out of everything below
        order = [k for k in order if k not in refused]
    source, data, c_source = _module(book, program, code, order, all_cells, model_id, per_cell)
    return Compiled(book, source, data, order, c_source, program.refusals)


def _array_cells(book: Workbook) -> dict[str, tuple[str, int, int]]:
    """Every cell of an array formula's range -> (its anchor, element row, column).

    The cells of the range become formula cells (the anchor's formula, element by element,
    service/compiler/arrays.py): their cached values in the file are not ours to read.
    """
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


def _order_series(program: Program, series: list[str], closure: set[str]) -> None:
    """calculate_series: the cells the series need beyond the outputs' come right after
    the outputs' cells, so that it stops there (the series are no outputs: a calculation
    never pays for them, and the series never pay for the display and check cells)."""
    for cell in program.cells:
        cell.series = cell.key in closure and not cell.needed
    needed = [c for c in program.cells if c.needed]
    program.cells = (
        needed
        + [c for c in program.cells if c.series]
        + [c for c in program.cells if not c.needed and not c.series]
    )
    program.series = series


def _input_types(spec: dict[str, Any]) -> Types:
    if spec["type"] == "yesno":
        return B if spec.get("cell_bool") else S
    return N


def _lower(
    book: Workbook,
    order: list[str],
    needed: set[str],
    nodes: dict[str, Any],
    deps: dict[str, list[str]],
    roots: list[str],
    refused: dict[str, str],
    per_cell: bool,
    fold: bool,
) -> tuple[Program, dict[str, str]]:
    """The intermediate form: each formula cell typed (by the Python writer, whose code for
    it is returned too), folded when no input reaches it, or refused (per-cell mode)."""
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
    scalar = ScalarWriter(env)
    vector = VectorWriter(env)
    cells: list[Cell] = []
    code: dict[str, str] = {}
    refusals: list[CompileError] = []
    for key in order:
        formula = book.formulas[key]
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
        code[key], t = scalar.cell(key, formula, nodes[key])
        if scalar.is_const(nodes[key]):
            # no input reaches this cell: its value is computed now and inlined where used
            value = eval(code[key], vars(runtime).copy())  # noqa: S307 - our own generated code
            constants[key] = value
            del names[key]
            cell = Cell(key, formula, nodes[key], None, t, key in needed, value)
        else:
            types[key] = t
            cell = Cell(key, formula, nodes[key], names[key], t, key in needed)
        cells.append(cell)
    # the cells an output needs first: calculate() is the head of calculate_cells()
    cells = [c for c in cells if c.needed] + [c for c in cells if not c.needed]
    results: list[str] = []
    for k in roots:
        if k not in results and k not in refused:
            results.append(k)
    inputs = [i["cell"] for i in book.inputs]
    return Program(env, inputs, cells, results, deps, refusals), code


def _module(
    book: Workbook,
    program: Program,
    code: dict[str, str],
    order: list[str],
    all_cells: bool,
    model_id: str | None,
    per_cell: bool,
) -> tuple[str, str, str | None]:
    """The Python artifact's source, its data file and the native engine's C source (None:
    no C form). `code` is the Python writer's code per cell; `order` every formula cell."""
    mid = model_id or book.path.stem
    c_source, native_info, no_native = _native(program, book, mid)
    vector_lines = _numpy_lines(program)
    data = artifact_data.dumps(first_line(book.path.name), _data(program, book, order, per_cell))
    out: list[str] = []
    w = out.append
    w(f"# {first_line(book.path.name)}")
    w(
        f'"""Compiled model {mid}: {len(order)} formula cells '
        f"({len(program.needed())} for the results), "
        f'{len(book.inputs)} inputs."""'
    )
    w("")
    w("# ruff: noqa")
    w("import numpy as np  # noqa: F401")
    w("")
    w("from service.engine.artifact_data import load as _load_data")
    w("from service.engine.runtime import (")
    for n in RUNTIME_NAMES:
        w(f"    {n},")
    w(")")
    w("from service.engine.vector import *  # noqa: F403")
    env = program.env
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
    w("# the Interface (META, INPUTS, OUTPUTS, ROLES), RESULTS (the cells calculate() returns),")
    w("# SHEETS, FORMULAS (formula and precedents of every formula cell: trace, export, audit),")
    w("# CONSTANTS (constant cells the formulas read): data, in the JSON file beside this one")
    w(f"_DATA = _load_data(__file__, {artifact_data.sha256(data)!r})")
    for name in artifact_data.SECTIONS:
        if name != "REFUSED" or per_cell:
            w(f"{name} = _DATA[{name!r}]")
    w("# the native engine (service/engine/native.py): its C source beside this file, and the")
    w("# codes its text inputs take (input position -> texts compared with; else -1)")
    if native_info is None:
        w(f"NATIVE = None  # {no_native}".replace("\n", " "))
    else:
        w("NATIVE = " + pprint.pformat(native_info, width=100, sort_dicts=True))
    w("")
    for name in sorted(env.delegates):
        w(f"{function_name(name)} = delegate({name!r})")
    if env.delegates:
        w("")
    out += _python_functions(program, code, order)
    sig = ", ".join(program.params)
    w("")
    w("")
    w(f"def calculate_vector({sig}):")
    w('    """numpy evaluation: input columns (arrays or scalars) -> tuple of RESULTS columns."""')
    out.extend(vector_lines)
    w(
        "    return ("
        + "".join(f"{_out_code(program, k)}, " for k in program.results).rstrip()
        + ")"
    )
    w("")
    return "\n".join(out), data, c_source


def _out_code(program: Program, key: str) -> str:
    """A result's Python code: its cell's name, or its value (a constant or folded cell)."""
    if key in program.env.names:
        return program.env.names[key]
    value = program.env.constants.get(key)
    return literal(0.0 if value is None else value)


def _python_functions(program: Program, code: dict[str, str], order: list[str]) -> list[str]:
    """calculate(), calculate_cells() and calculate_series(): one body, the cells an output
    needs first, then (`if not _every_cell: return`) the cells only a yearly series needs,
    then (`if _series: return`) the display and check cells (calculate_cells)."""
    sig = ", ".join(program.params)
    results = program.results
    series = ", _series=False" if program.series else ""
    out = [
        "",
        "",
        f"def calculate({sig + ', ' if sig else ''}_every_cell=False{series}):",
        '    """Scalar evaluation: input cell values -> tuple of RESULTS values (with',
        *(
            [
                "    _every_cell: every formula cell by key, as calculate_cells gives them; with",
                '    _series: the series cells, as calculate_series gives them)."""',
            ]
            if series
            else ['    _every_cell: every formula cell by key, as calculate_cells gives them)."""']
        ),
    ]

    def tuple_of(keys: list[str]) -> str:
        return "(" + "".join(f"{_out_code(program, k)}, " for k in keys).rstrip() + ")"

    stops = [  # (where: after the cells an output needs / a series needs, the return)
        (
            lambda c: not c.needed,
            "not _every_cell" + (" and not _series" if series else ""),
            tuple_of(results),
        ),
    ]
    if series:
        stops.append((lambda c: not c.needed and not c.series, "_series", tuple_of(program.series)))
    for cell in program.cells:
        while stops and stops[0][0](cell):
            _where, condition, values = stops.pop(0)
            out += [f"    if {condition}:", f"        return {values}"]
        if cell.name is None:
            out.append(f"    # {cell.key} = {literal(cell.value)} (constant) {cell.comment}")
        else:
            out.append(f"    {cell.name} = {code[cell.key]}  # {cell.comment}")
    for _where, condition, values in stops:
        out += [f"    if {condition}:", f"        return {values}"]
    out.append("    return {")
    returned = program.inputs + order
    # an output whose cell holds a constant is a cell of the workbook the export writes too
    seen = set(returned)
    returned += [k for k in results if k not in seen]
    for key in returned:
        out.append(f"        {key!r}: {_out_code(program, key)},")
    out.append("    }")
    out += [
        "",
        "",
        f"def calculate_cells({sig}):",
        '    """Scalar evaluation of every formula cell of the workbook (trace, export, audit)."""',
        f"    return calculate({sig + ', ' if sig else ''}_every_cell=True)",
    ]
    if program.series:
        out += [
            "",
            "",
            f"def calculate_series({sig}):",
            '    """Scalar evaluation of the yearly series: tuple of SERIES values (the cells',
            '    the outputs need, then those only the series need)."""',
            f"    return calculate({sig + ', ' if sig else ''}_series=True)",
        ]
    return out


def _numpy_lines(program: Program) -> list[str]:
    """calculate_vector's body: the cells an output needs, each column dropped after its
    last reader so that numpy reuses N-sized arrays."""
    vector = VectorWriter(program.env)
    cells = program.needed()
    lines: list[str] = []
    for cell in cells:
        if cell.name is None:
            lines.append(f"    # {cell.key} = {literal(cell.value)} (constant) {cell.comment}")
        else:
            vcode, _ = vector.cell(cell.key, cell.formula, cell.node)
            lines.append(f"    {cell.name} = {vcode}  # {cell.comment}")
    names = program.env.names
    inputs = set(program.inputs)
    keep = set(program.results)
    last: dict[str, int] = {}
    for idx, cell in enumerate(cells):
        if cell.name is not None:
            for r in program.deps[cell.key]:
                if r in names and r not in inputs:
                    last[r] = idx
    dead_after: dict[int, list[str]] = {}
    for r, idx in last.items():
        if r not in keep:
            dead_after.setdefault(idx, []).append(names[r])
    return [
        line + (f"\n    del {', '.join(sorted(dead_after[i]))}" if i in dead_after else "")
        for i, line in enumerate(lines)
    ]


def _native(
    program: Program, book: Workbook, mid: str
) -> tuple[str | None, dict[str, Any] | None, NativeUnsupported | None]:
    """The C source and the artifact's NATIVE entry, or the first construct without a C form."""
    env = program.env
    text_inputs = frozenset(k for k in program.inputs if env.types[k] == S)
    text_codes: TextCodes = {}
    native = CWriter(env, text_inputs, text_codes)
    lines: list[tuple[str, str, str]] = []
    try:
        for cell in program.needed():
            if cell.name is not None:
                lines.append(
                    (cell.name, native.cell(cell.key, cell.formula, cell.node)[0], cell.comment)
                )
        results = [_c_result(k, env.names, text_inputs, env.constants) for k in program.results]
    except NativeUnsupported as exc:
        return None, None, exc
    series = _native_series(program, native, text_inputs)
    c_source = c_module(
        model_id=mid,
        source_name=book.path.name,
        params=program.params,
        lines=lines,
        results=results,
        helpers=native.c_helpers,
        series=series,
    )
    positions = {k: n for n, k in enumerate(program.inputs)}
    # every text input enters the C function as a code, compared or not
    info = {
        "source": c_name(book),
        "sha256": source_sha256(c_source),
        "function": FUNCTION,
        "batchFunction": BATCH_FUNCTION,
        "textCodes": {positions[cell]: text_codes.get(cell, []) for cell in sorted(text_inputs)},
    }
    if series is not None:
        info["seriesFunction"] = SERIES_FUNCTION
    return c_source, info, None


def _native_series(
    program: Program, native: CWriter, text_inputs: frozenset[str]
) -> tuple[list[tuple[str, str, str]], list[str]] | None:
    """The C lines of the cells only the yearly series need and the C expression of each
    series cell; None without series or when one of them has no C form (Python then)."""
    if not program.series:
        return None
    env = program.env
    try:
        lines = [
            (cell.name, native.cell(cell.key, cell.formula, cell.node)[0], cell.comment)
            for cell in program.cells
            if cell.series and cell.name is not None
        ]
        values = [_c_result(k, env.names, text_inputs, env.constants) for k in program.series]
    except NativeUnsupported:
        return None
    return lines, values


def _data(program: Program, book: Workbook, order: list[str], per_cell: bool) -> dict[str, Any]:
    """The artifact's data file (service/engine/artifact_data.py), by the module's names."""
    constants = program.env.constants
    folded = {c.key for c in program.cells if c.name is None}
    deps = program.deps
    needed_consts = sorted(
        {r for key in order for r in deps[key] if r in constants and r not in folded},
        key=book.order,
    )
    data: dict[str, Any] = {
        "META": dict(sorted(book.meta.items())),
        "INPUTS": [dict(sorted(i.items())) for i in book.inputs],
        "OUTPUTS": [dict(sorted(o.items())) for o in book.outputs if o["cell"] in program.results],
        "ROLES": book.roles,
        "RESULTS": program.results,
        "SHEETS": book.sheets,
        "FORMULAS": {key: {"formula": book.formulas[key], "refs": deps[key]} for key in order},
        "CONSTANTS": {k: _constant(constants[k]) for k in needed_consts},
    }
    if per_cell:
        data["REFUSED"] = {e.cell: [e.formula, e.reason] for e in program.refusals}
    return data


def _constant(value: Any) -> Any:
    """A constant as the Python module wrote it (literal()): an int as a float."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


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
