"""Read a workbook: cells, formulas, the Interface sheet, and the dependency graph."""

from __future__ import annotations

import hashlib
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.compiler import formula_tree as ft
from service.compiler.constants import cell_constant
from service.compiler.interface import COLUMNS, SHEET, read_interface
from service.engine.runtime import ERRORS

INTERFACE_SHEET = SHEET
INTERFACE_COLUMNS = COLUMNS
_RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]+)(?::\$?([A-Z]{1,3})\$?([0-9]+))?$")


def sha256_file(path: Path) -> str:
    """SHA-256 hex digest of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Workbook:
    """What the compiler needs from a workbook."""

    path: Path
    sha256: str
    sheets: list[str]
    formulas: dict[str, str]  # key -> formula text ('=...')
    values: dict[str, Any]  # key -> constant value (non-formula, non-empty cells)
    meta: dict[str, str] = field(default_factory=dict)
    inputs: list[dict[str, Any]] = field(default_factory=list)
    outputs: list[dict[str, Any]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # defined name -> 'Sheet!A1:B2'
    roles: dict[str, Any] = field(default_factory=dict)  # service/compiler/interface.py
    arrays: dict[str, str] = field(default_factory=dict)  # array formula cell -> its range

    def canonical_sheet(self, name: str) -> str | None:
        """The workbook's spelling of a sheet name (Excel matches case-insensitively)."""
        low = name.lower()
        for s in self.sheets:
            if s.lower() == low:
                return s
        return None

    def order(self, key: str) -> tuple[int, int, int]:
        """Sort key: sheet position, row, column."""
        sheet, row, col = ft.split_key(key)
        return (self.sheets.index(sheet), row, col)


def _const(v: Any) -> Any:
    return cell_constant(v)  # service/compiler/constants.py (issue 14)


def load_workbook(path: Path) -> Workbook:
    """Read formulas and constants of every sheet, and the Interface sheet if present."""
    import openpyxl
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, data_only=False)
    book = Workbook(
        path=path, sha256=sha256_file(path), sheets=list(wb.sheetnames), formulas={}, values={}
    )
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if v is None:
                    continue
                key = f"{ws.title}!{c.coordinate}"
                if isinstance(v, ArrayFormula | DataTableFormula):
                    # compiled element by element, or refused (service/compiler/arrays.py)
                    book.formulas[key] = str(getattr(v, "text", None) or "=TABLE()")
                    book.arrays[key] = str(getattr(v, "ref", None) or c.coordinate)
                    continue
                if c.data_type == "f":  # a text cell that starts with "=" is text
                    book.formulas[key] = str(v)
                elif c.data_type == "e":
                    book.values[key] = ERRORS.get(str(v), ERRORS["#VALUE!"])
                else:
                    book.values[key] = _const(v)
    for name, dn in wb.defined_names.items():
        text = str(dn.attr_text)
        if "[" in text:
            continue  # external: refused only when used
        book.names[name.upper()] = text
    if INTERFACE_SHEET in wb.sheetnames:
        read_interface(book, wb[INTERFACE_SHEET])
    return book


class Resolver:
    """Turns formulas' Range tokens into Ref/Rng nodes for one workbook."""

    def __init__(self, book: Workbook) -> None:
        self.book = book

    def __call__(self, p: ft._Parser, token: Any) -> ft.Node:
        name = token.name
        if "[" in name:
            raise p.fail(f"external link {name} is not supported")
        attr = token.attr
        ref = str(attr.get("ref", "")).upper().replace("$", "")
        sheet_name = attr.get("sheet")
        here = p.cell.rsplit("!", 1)[0]
        if not sheet_name and ref in self.book.names and not _RANGE.match(ref):
            target = self.book.names[ref]
            if "!" not in target:
                raise p.fail(f"defined name {ref} is not a range ({target})")
            s, r = target.rsplit("!", 1)
            sheet_name, ref = s.strip("'"), r.upper().replace("$", "")
        if sheet_name:
            canon = self.book.canonical_sheet(sheet_name)
            if canon is None:
                raise p.fail(f"reference to unknown sheet {sheet_name!r}")
        else:
            canon = here
        m = _RANGE.match(ref)
        if not m:
            raise p.fail(f"unsupported reference {name!r} (whole rows/columns or unknown name)")
        c1, r1 = ft.col_index(m.group(1)), int(m.group(2))
        if m.group(3):
            c2, r2 = ft.col_index(m.group(3)), int(m.group(4))
        else:
            c2, r2 = c1, r1
        c1, c2 = min(c1, c2), max(c1, c2)
        r1, r2 = min(r1, r2), max(r1, r2)
        if not m.group(3):
            return ft.Ref(f"{canon}!{ft.col_letters(c1)}{r1}")
        keys = tuple(
            f"{canon}!{ft.col_letters(c)}{r}" for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
        )
        if len(keys) > 100_000:
            raise p.fail(f"range {name} is too large")
        return ft.Rng(keys, r2 - r1 + 1, c2 - c1 + 1, name)


def parse_cell(book: Workbook, key: str) -> ft.Node:
    """Parse the formula of one cell."""
    return ft._Parser(Resolver(book), key, book.formulas[key]).parse()


def references(node: ft.Node) -> list[str]:
    """Cell keys a node refers to, in order of appearance (with repeats)."""
    out: list[str] = []

    def walk(n: ft.Node) -> None:
        if isinstance(n, ft.Ref):
            out.append(n.key)
        elif isinstance(n, ft.Rng):
            out.extend(n.keys)
        elif isinstance(n, ft.Op | ft.Call):
            for a in n.args:
                walk(a)

    walk(node)
    return out


def dependency_order(
    book: Workbook, roots: list[str], stops: set[str], parse: Any = parse_cell
) -> tuple[list[str], dict[str, ft.Node], dict[str, list[str]]]:
    """Formula cells needed for `roots`, dependencies first; stops at `stops` (inputs).

    Returns (ordered formula cells, parsed nodes, direct precedents per cell).
    Raises CompileError on a circular reference.
    """
    nodes: dict[str, ft.Node] = {}
    deps: dict[str, list[str]] = {}
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = visiting, 2 = done

    def visit(root: str) -> None:
        # iterative DFS (deep chains must not hit the recursion limit)
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = []
        while stack:
            key, i = stack.pop()
            if i == 0:
                if state.get(key) == 2 or key in stops or key not in book.formulas:
                    continue
                if state.get(key) == 1:
                    continue
                state[key] = 1
                path.append(key)
                node = parse(book, key)
                nodes[key] = node
                seen: dict[str, None] = {}
                for r in references(node):
                    seen.setdefault(r, None)
                deps[key] = list(seen)
            children = deps[key]
            if i < len(children):
                stack.append((key, i + 1))
                child = children[i]
                if state.get(child) == 1:
                    cycle = path[path.index(child) :] + [child]
                    raise ft.CompileError(
                        key, book.formulas[key], "circular reference: " + " -> ".join(cycle)
                    )
                if state.get(child) != 2 and child not in stops and child in book.formulas:
                    stack.append((child, 0))
                continue
            state[key] = 2
            path.pop()
            order.append(key)

    for root in roots:
        visit(root)
    return order, nodes, deps


__all__ = [
    "Workbook",
    "load_workbook",
    "parse_cell",
    "references",
    "dependency_order",
    "sha256_file",
]
