"""Which Excel functions the compiler answers, and how: the exact-or-refused lists.

- REFERENCE_FUNCTIONS are answered at compile time from the references in the formula.
- HELPERS, LOOKUPS and COUNTIFS run as our own run-time helpers (service/engine/runtime.py).
- VERIFIED_DELEGATES run as `formulas`' implementation; each is on this list only because
  the conformance suite (tests/compiler/conformance/) holds it to LibreOffice, Gnumeric
  and Excel's documented values, case by case.
Any other function is refused, with the cell, the formula and the reason.
"""

from __future__ import annotations

from service.engine.runtime import ExcelError, _parse_number

REFERENCE_FUNCTIONS = frozenset({"ROW", "COLUMN", "ROWS", "COLUMNS", "AREAS", "ISREF", "ISFORMULA"})

# name -> (run-time helper, fewest and most arguments, result types)
HELPERS: dict[str, tuple[str, int, int, str]] = {
    "INT": ("xint", 1, 1, "ne"),
    "TRUNC": ("xtrunc", 1, 2, "ne"),
    "MOD": ("xmod", 2, 2, "ne"),
    "ISNUMBER": ("xisnumber", 1, 1, "b"),
    "ISTEXT": ("xistext", 1, 1, "b"),
    "ISLOGICAL": ("xislogical", 1, 1, "b"),
    "ISBLANK": ("xisblank", 1, 1, "b"),
    "ISERROR": ("xiserror", 1, 1, "b"),
    "ISERR": ("xiserr", 1, 1, "b"),
    "ISNA": ("xisna", 1, 1, "b"),
    "N": ("xn", 1, 1, "ne"),
    "T": ("xt", 1, 1, "se"),
    "MROUND": ("xmround", 2, 2, "ne"),
    "SEARCH": ("xsearch", 2, 3, "ne"),
    "YEARFRAC": ("xyearfrac", 2, 3, "ne"),
}

LOOKUPS = frozenset({"VLOOKUP", "HLOOKUP", "MATCH", "INDEX", "CHOOSE"})

# name -> (run-time helper, has a range of values to add up, several range/criterion pairs)
COUNTIFS: dict[str, tuple[str, bool, bool]] = {
    "COUNTIF": ("xcountifs", False, False),
    "COUNTIFS": ("xcountifs", False, True),
    "SUMIF": ("xsumifs", True, False),
    "SUMIFS": ("xsumifs", True, True),
    "AVERAGEIF": ("xaverageifs", True, False),
    "AVERAGEIFS": ("xaverageifs", True, True),
}

# Run as formulas' implementation: each has conformance cases that pass. Taken off after
# the suite caught formulas giving another value than Excel: YEARFRAC (basis 1), RATE and
# XIRR (iteration stops early), MROUND (1.3, 0.2), TEXT (format codes), SEARCH (wildcards);
# YEARFRAC, MROUND and SEARCH are our own helpers now.
VERIFIED_DELEGATES = frozenset(
    {
        "LEN",
        "LEFT",
        "RIGHT",
        "MID",
        "UPPER",
        "LOWER",
        "CONCATENATE",
        "REPT",
        "EXACT",
        "SUBSTITUTE",
        "FIND",
        "DATE",
        "YEAR",
        "MONTH",
        "DAY",
        "EDATE",
        "EOMONTH",
        "WEEKDAY",
        "PMT",
        "PV",
        "FV",
        "IPMT",
        "PPMT",
        "NPER",
        "IRR",
        "XNPV",
        "EXP",
        "LN",
        "LOG10",
        "SQRT",
        "POWER",
        "SIGN",
        "PI",
        "CEILING",
        "FLOOR",
        "XOR",
        "IFS",
        "SWITCH",
        "MEDIAN",
        "PRODUCT",
        "SUMSQ",
        "COUNTBLANK",
        "DATEDIF",
        "NETWORKDAYS",
        "VALUE",
    }
)


def numeric_text_reason(text: str) -> str | None:
    """Why a text constant cannot be used as a number exactly (None: it can)."""
    if not isinstance(_parse_number(text), ExcelError):
        return None
    if any(ch.isdigit() for ch in text):
        return (
            f"text {text!r} used as a number: Excel reads dates, times, fractions and "
            "separators in its locale"
        )
    return None


# result types of the delegated functions (n number, b logical, s text, e error; z empty)
_TEXT = ("LEFT", "RIGHT", "MID", "UPPER", "LOWER", "CONCATENATE", "REPT", "SUBSTITUTE")
DELEGATE_TYPES: dict[str, str] = {name: "ne" for name in VERIFIED_DELEGATES}
DELEGATE_TYPES.update({name: "se" for name in _TEXT})
DELEGATE_TYPES.update({"EXACT": "be", "XOR": "be", "IFS": "nbsze", "SWITCH": "nbsze"})

# delegated functions that take a range in some argument; any other given a multi-cell
# range would give an array (a spill in Excel 365), which one cell cannot hold: refused
RANGE_DELEGATES = frozenset(
    {"IRR", "XNPV", "NETWORKDAYS", "MEDIAN", "PRODUCT", "SUMSQ", "COUNTBLANK", "XOR"}
)

# why some functions formulas knows are refused (the rest: not verified)
REFUSED_WHY: dict[str, str] = {
    "TEXT": "its format codes are read in the calculating Excel's locale ('0,00' in Dutch)",
    "RATE": "iterative: formulas stops at another value than Excel (1e-10 apart)",
    "XIRR": "iterative: formulas stops at another value than Excel (1e-10 apart)",
    "LOOKUP": "its vector form depends on the shape of 2-D ranges; not verified",
    "DOLLAR": "currency formats depend on the locale",
    "FIXED": "number formats depend on the locale",
    "BAHTTEXT": "formulas' text differs from Excel's",
}
