"""The reference workbook beside a compiled model: every formula, the constants, every value.

The compiled artifact computes the formula cells that outputs depend on. A workbook also
holds display and check formulas that no output needs (`Cockpit!D5`, `Verdeling!M5`);
those are evaluated here by a small interpreter for the formulas they use (references,
ranges, arithmetic, comparisons, SUM/MIN/MAX/IF), with the engine's Excel semantics.
Together they give a value for every formula cell of the reference workbook.
"""

from __future__ import annotations

import hashlib
import re
import threading
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from service.engine import CompiledModel, InputSpec
from service.engine import runtime as rt

Value = Any
Getter = Callable[[str], Value]
Expr = Callable[[Getter], Value]


def cell_key(sheet: str, coordinate: str) -> str:
    """'Sheet!A1' from a sheet name and a coordinate (without $)."""
    return f"{sheet}!{coordinate.replace('$', '')}"


def split_key(key: str) -> tuple[str, str]:
    """('Sheet', 'A1') from 'Sheet!A1'."""
    sheet, _, coord = key.rpartition("!")
    return sheet, coord


_STRING = re.compile(r'"(?:[^"]|"")*"')


def normalize_formula(formula: str) -> str:
    """Formula text compared for edits: no whitespace, upper case, outside string literals."""
    out: list[str] = []
    pos = 0
    for m in _STRING.finditer(formula):
        out.append(re.sub(r"\s+", "", formula[pos : m.start()]).upper())
        out.append(m.group(0))
        pos = m.end()
    out.append(re.sub(r"\s+", "", formula[pos:]).upper())
    return "".join(out)


# ------------------------------------------------------------------ interpreter

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<str>"(?:[^"]|"")*")
    | (?P<ref>(?:(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?\$?[A-Za-z]{1,3}\$?\d+
              (?::\$?[A-Za-z]{1,3}\$?\d+)?)
    | (?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
    | (?P<func>[A-Za-z][A-Za-z0-9.]*)\(
    | (?P<bool>TRUE|FALSE)\b
    | (?P<op><>|<=|>=|[-+*/^&=<>(),])
    )""",
    re.VERBOSE,
)

_COMPARE = {"=": rt.eq, "<>": rt.ne, "<": rt.lt, "<=": rt.le, ">": rt.gt, ">=": rt.ge}


def _col_number(col: str) -> int:
    n = 0
    for ch in col.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _col_letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def expand_range(sheet: str, ref: str) -> list[str]:
    """Cell keys of 'A1' or 'A1:B3' (with or without $) on `sheet`, row by row."""
    ref = ref.replace("$", "")
    first, _, last = ref.partition(":")
    last = last or first
    m1 = re.fullmatch(r"([A-Za-z]+)(\d+)", first)
    m2 = re.fullmatch(r"([A-Za-z]+)(\d+)", last)
    if not m1 or not m2:
        raise ValueError(f"bad reference {ref!r}")
    c1, c2 = sorted((_col_number(m1.group(1)), _col_number(m2.group(1))))
    r1, r2 = sorted((int(m1.group(2)), int(m2.group(2))))
    return [f"{sheet}!{_col_letters(c)}{r}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


class _Parser:
    """Recursive descent over Excel formula tokens, producing closures over a cell getter."""

    def __init__(self, formula: str, sheet: str) -> None:
        self.sheet = sheet
        self.tokens: list[tuple[str, str]] = []
        self.refs: list[str] = []
        text = formula[1:] if formula.startswith("=") else formula
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                if text[pos:].strip() == "":
                    break
                raise ValueError(f"cannot read formula {formula!r} at {text[pos:]!r}")
            kind = m.lastgroup or ""
            self.tokens.append((kind, m.group(kind)))
            pos = m.end()
        self.i = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "")

    def take(self, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if value is not None and tok[1] != value:
            raise ValueError(f"expected {value!r}, got {tok[1]!r}")
        self.i += 1
        return tok

    def parse(self) -> Expr:
        expr = self.compare()
        if self.peek()[0] != "end":
            raise ValueError(f"unexpected {self.peek()[1]!r}")
        return expr

    def compare(self) -> Expr:
        left = self.concat()
        while self.peek()[1] in _COMPARE:
            fn = _COMPARE[self.take()[1]]
            right = self.concat()
            left = (lambda a, b, f: lambda g: f(a(g), b(g)))(left, right, fn)
        return left

    def concat(self) -> Expr:
        left = self.additive()
        while self.peek()[1] == "&":
            self.take()
            right = self.additive()
            left = (lambda a, b: lambda g: rt.cat(a(g), b(g)))(left, right)
        return left

    def additive(self) -> Expr:
        left = self.term()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            right = self.term()
            if op == "+":
                left = (lambda a, b: lambda g: rt.num(a(g)) + rt.num(b(g)))(left, right)
            else:
                left = (lambda a, b: lambda g: rt.num(a(g)) - rt.num(b(g)))(left, right)
        return left

    def term(self) -> Expr:
        left = self.power()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            right = self.power()
            if op == "*":
                left = (lambda a, b: lambda g: rt.num(a(g)) * rt.num(b(g)))(left, right)
            else:
                left = (lambda a, b: lambda g: rt.div(a(g), b(g)))(left, right)
        return left

    def power(self) -> Expr:
        left = self.unary()
        while self.peek()[1] == "^":
            self.take()
            right = self.unary()
            left = (lambda a, b: lambda g: rt.pw(a(g), b(g)))(left, right)
        return left

    def unary(self) -> Expr:
        if self.peek()[1] in ("-", "+"):
            op = self.take()[1]
            inner = self.unary()
            if op == "-":
                return lambda g: -rt.num(inner(g))
            return lambda g: rt.num(inner(g))
        return self.atom()

    def _ref(self, text: str) -> tuple[bool, list[str]]:
        sheet, bang, addr = text.rpartition("!")
        sheet = sheet.strip("'").replace("''", "'") if bang else self.sheet
        keys = expand_range(sheet, addr)
        self.refs.extend(keys)
        return ":" in addr, keys

    def atom(self) -> Expr:
        kind, text = self.take()
        if kind == "num":
            v = float(text)
            return lambda g: v
        if kind == "str":
            s = text[1:-1].replace('""', '"')
            return lambda g: s
        if kind == "bool":
            b = text == "TRUE"
            return lambda g: b
        if kind == "ref":
            is_range, keys = self._ref(text)
            if is_range:
                raise ValueError(f"range {text!r} outside a function")
            key = keys[0]
            return lambda g: rt.nz(g(key))
        if kind == "op" and text == "(":
            inner = self.compare()
            self.take(")")
            return inner
        if kind == "func":
            return self.call(text.upper())
        raise ValueError(f"unexpected {text!r}")

    def call(self, name: str) -> Expr:
        ranges: list[list[str]] = []
        args: list[Expr] = []
        while self.peek()[1] != ")":
            kind, text = self.peek()
            nxt = self.tokens[self.i + 1][1] if self.i + 1 < len(self.tokens) else ""
            if kind == "ref" and nxt in (",", ")"):
                self.take()
                ranges.append(self._ref(text)[1])
            else:
                args.append(self.compare())
            if self.peek()[1] == ",":
                self.take()
        self.take(")")
        if name in ("SUM", "MIN", "MAX"):
            fn = {"SUM": rt.xsum, "MIN": rt.xmin, "MAX": rt.xmax}[name]
            flat = [k for keys in ranges for k in keys]
            return lambda g: fn([g(k) for k in flat], [a(g) for a in args])
        if name == "IF" and not ranges and len(args) in (2, 3):
            cond, a = args[0], args[1]
            b = args[2] if len(args) == 3 else (lambda g: False)
            return lambda g: rt.xif(cond(g), a(g), b(g))
        raise ValueError(f"function {name} with these arguments is not supported")


def parse_formula(formula: str, sheet: str) -> tuple[Expr, list[str]]:
    """Compile one formula on `sheet` into a closure over a cell getter, and its references."""
    p = _Parser(formula, sheet)
    return p.parse(), p.refs


# ------------------------------------------------------------------ reference


@dataclass
class Reference:
    """A compiled model with its reference workbook: formulas, constants, values of all cells."""

    model: CompiledModel
    path: Path
    sheets: list[str]
    formulas: dict[str, str]  # every formula cell -> formula text ('=...')
    constants: dict[str, Value]  # typed cells that formulas read, inputs excluded
    refs: dict[str, list[str]]  # formula cell -> the cells it reads
    inputs_by_cell: dict[str, InputSpec]
    _extra: dict[str, Expr] = field(default_factory=dict, repr=False)
    _dependents: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def input_cells(self, values: Mapping[str, Any] | None = None) -> dict[str, Value]:
        """Cell-level input values (yesno as 'ja'/'nee', numbers as float) of an API scenario."""
        resolved = self.model.resolve(values)
        out: dict[str, Value] = {}
        for spec in self.model.inputs:
            v = resolved[spec.name]
            if spec.type == "yesno":
                v = ("ja" if v else "nee") if isinstance(v, bool) else str(v).strip().lower()
            elif isinstance(v, bool | int):
                v = float(v)
            out[spec.cell] = v
        return out

    def compute(self, inputs: Mapping[str, Value]) -> dict[str, Value]:
        """Every formula cell's value (float, bool, str or ExcelError) from cell-level inputs."""
        args = [inputs[spec.cell] for spec in self.model.inputs]
        cells = self.model.module.calculate_cells(*args)
        constants = self.model.module.CONSTANTS
        extra: dict[str, Value] = {}

        def get(key: str) -> Value:
            if key in cells:
                return cells[key]
            if key in self._extra:
                if key not in extra:
                    extra[key] = rt.VALUE  # a cycle reads as #VALUE!, never recursion
                    extra[key] = self._extra[key](get)
                return extra[key]
            if key in constants:
                return constants[key]
            return self.constants.get(key)

        return {key: rt.output_value(get(key)) for key in self.formulas}

    def values(self, values: Mapping[str, Any] | None = None) -> dict[str, Value]:
        """Every formula cell's value for an API-level scenario (defaults overlaid)."""
        return self.compute(self.input_cells(values))

    def precedents(self, cell: str) -> set[str]:
        """Every cell that `cell` reads, directly or through other formulas."""
        seen: set[str] = set()
        todo = [cell]
        while todo:
            for r in self.refs.get(todo.pop(), ()):
                if r not in seen:
                    seen.add(r)
                    todo.append(r)
        return seen

    def dependents(self, cells: set[str]) -> set[str]:
        """Formula cells that read any of `cells`, directly or through other formulas."""
        seen: set[str] = set()
        todo = list(cells)
        while todo:
            for d in self._dependents.get(todo.pop(), ()):
                if d not in seen:
                    seen.add(d)
                    todo.append(d)
        return seen


def _load_reference(model: CompiledModel, path: Path) -> Reference:
    import openpyxl

    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != model.workbook_sha256:
        raise RuntimeError(
            f"{path} is not the workbook {model.id} was compiled from: run `make compile`"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(BytesIO(data), data_only=False)
    formulas: dict[str, str] = {}
    typed: dict[str, Value] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is None:
                    continue
                key = cell_key(ws.title, c.coordinate)
                if c.data_type == "f" and isinstance(c.value, str):
                    formulas[key] = c.value
                else:
                    typed[key] = c.value
    sheets = list(wb.sheetnames)
    wb.close()
    compiled = model.module.FORMULAS
    refs: dict[str, list[str]] = {}
    extra: dict[str, Expr] = {}
    for key, formula in formulas.items():
        if key in compiled:
            refs[key] = list(compiled[key]["refs"])
        else:
            expr, cell_refs = parse_formula(formula, split_key(key)[0])
            extra[key] = expr
            refs[key] = cell_refs
    inputs_by_cell = {s.cell: s for s in model.inputs}
    read = {r for rs in refs.values() for r in rs}
    constants = {k: v for k, v in typed.items() if k in read and k not in inputs_by_cell}
    dependents: dict[str, set[str]] = {}
    for key, rs in refs.items():
        for r in rs:
            dependents.setdefault(r, set()).add(key)
    return Reference(
        model=model,
        path=path,
        sheets=sheets,
        formulas=formulas,
        constants=constants,
        refs=refs,
        inputs_by_cell=inputs_by_cell,
        _extra=extra,
        _dependents=dependents,
    )


_CACHE: dict[tuple[str, str], Reference] = {}
_LOCK = threading.Lock()


def load_reference(model: CompiledModel, workbook: Path) -> Reference:
    """The reference for `model` read from `workbook` (its SHA-256 must match); cached."""
    key = (str(Path(workbook).resolve()), model.workbook_sha256)
    with _LOCK:
        ref = _CACHE.get(key)
        if ref is None or ref.model is not model:
            ref = _load_reference(model, Path(workbook))
            _CACHE[key] = ref
        return ref
