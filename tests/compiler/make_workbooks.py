"""Generate the compiler's own test workbooks: `python -m tests.compiler.make_workbooks`.

- functions.xlsx: lookup, text, logical, aggregate and date functions, with an Interface.
- errors.xlsx:    the error table (one Excel error case per row), with an Interface.
- mini-mkba.xlsx: a small model in the reference workbook's feature set.
- lookup-model.xlsx: lookups (VLOOKUP/HLOOKUP/INDEX/MATCH/CHOOSE), NPV, ROUND, IFERROR
  and ja/nee switches, all run by our own helpers (no `formulas` at run time).

`python -m tests.compiler.make_workbooks [name.xlsx ...]` writes all (or the named).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from service.compiler.interface import COLUMNS, ROLE_COLUMNS

HERE = Path(__file__).parent / "workbooks"
HEADER = [*COLUMNS, *ROLE_COLUMNS]  # the Interface format the compiler reads


def group_row(name: str, knobs: bool = False, nl: str = "", en: str = "") -> list[object]:
    """A `group` row of the Interface sheet (labels default to the key)."""
    return ["group", name, nl or name, en or name, *[None] * 6, "knobs" if knobs else None]


def _interface(wb: openpyxl.Workbook, title: str, rows: list[list[object]]) -> None:
    ws = wb.create_sheet("Interface")
    ws.append(HEADER)
    ws.append(["model", "title", title])
    ws.append(["model", "version", "1.0"])
    groups = dict.fromkeys(str(r[8]) for r in rows if r[0] in ("input", "output"))
    declared = {r[1] for r in rows if r[0] == "group"}
    for g in groups:
        if g not in declared:
            ws.append(group_row(g, knobs=g == "inputs"))
    for r in rows:
        ws.append(r)


def _inp(name: str, type_: str, lo: float | None, hi: float | None, cell: str) -> list[object]:
    return ["input", name, name, name, "", type_, lo, hi, "inputs", cell]


def _out(
    name: str, cell: str, type_: str = "number", role: str = "", actor: str = "", group: str = ""
) -> list[object]:
    row: list[object] = [
        "output",
        name,
        name,
        name,
        "",
        type_,
        None,
        None,
        group or "outputs",
        cell,
    ]
    return row + [role or None, actor or None] if role else row


def functions_workbook() -> openpyxl.Workbook:
    """Lookup, text, logical, aggregate and date functions driven by inputs."""
    wb = openpyxl.Workbook()
    inp = wb.active
    inp.title = "Invoer"
    inp["A1"], inp["B1"] = "code", 3
    inp["A2"], inp["B2"] = "bedrag", 1234.5
    inp["A3"], inp["B3"] = "jaar", 2024
    inp["A4"], inp["B4"] = "actief", "ja"
    inp["A5"], inp["B5"] = "factor", 0.25

    t = wb.create_sheet("Tabel")
    rows = [
        (1, "alfa", 10.5, "Alfa Groep"),
        (2, "beta", 20.0, "  beta  team "),
        (3, "gamma", None, "Gamma"),
        (4, "delta", 40.25, "delta"),
        (5, "epsilon", "n.v.t.", "Epsilon"),
    ]
    for i, r in enumerate(rows, start=1):
        for j, v in enumerate(r):
            if v is not None:
                t.cell(row=i, column=j + 1, value=v)
    t["F1"], t["G1"], t["H1"] = "x", "y", "z"
    t["F2"], t["G2"], t["H2"] = 1, 2, 3

    f = wb.create_sheet("Functies")
    formulas = [
        # lookup
        "=VLOOKUP(Invoer!B1,Tabel!A1:D5,2,FALSE)",
        "=VLOOKUP(Invoer!B1+0.5,Tabel!A1:C5,3,TRUE)",
        "=VLOOKUP(Invoer!B1+10,Tabel!A1:C5,2,FALSE)",
        '=HLOOKUP("y",Tabel!F1:H2,2,FALSE)',
        "=INDEX(Tabel!B1:B5,Invoer!B1)",
        "=INDEX(Tabel!A1:D5,Invoer!B1,4)",
        "=MATCH(Invoer!B1,Tabel!A1:A5,0)",
        '=MATCH("delta",Tabel!B1:B5,0)',
        '=CHOOSE(Invoer!B1,"een","twee","drie","vier","vijf")',
        # text
        "=LEN(Tabel!D2)",
        "=TRIM(Tabel!D2)",
        "=UPPER(VLOOKUP(Invoer!B1,Tabel!A1:B5,2,FALSE))",
        "=LOWER(Tabel!D1)",
        '=LEFT(Tabel!D1,4)&"-"&RIGHT(Tabel!D3,2)',
        "=MID(Tabel!D1,3,Invoer!B1)",
        '=CONCATENATE("code ",Invoer!B1," jaar ",Invoer!B3)',
        '="bedrag: "&Invoer!B2',
        '=SUBSTITUTE(Tabel!D1,"Groep","Team")',
        '=FIND("a",Tabel!B1:B1)',
        '=VALUE("12.5")+Invoer!B5',
        '=EXACT(Tabel!B4,"delta")',
        '="abc"="ABC"',
        '="b">"a"',
        '=REPT("*",Invoer!B1)',
        # logical
        '=IF(Invoer!B4="ja",Invoer!B2*Invoer!B5,-Invoer!B2)',
        '=AND(Invoer!B1>2,Invoer!B4="ja")',
        "=OR(Invoer!B1>4,Invoer!B5<0.1)",
        "=NOT(Invoer!B1=3)",
        '=IF(AND(Invoer!B1>=2,Invoer!B1<=4),"midden","rand")',
        "=ISNUMBER(Tabel!C3)",
        "=ISBLANK(Tabel!C3)",
        "=ISERROR(Invoer!B2/(Invoer!B1-3))",
        "=ISTEXT(Tabel!C5)",
        '=IFERROR(Invoer!B2/(Invoer!B1-3),"deling door nul")',
        "=_xlfn.IFNA(MATCH(99,Tabel!A1:A5,0),-1)",
        # aggregate
        "=SUM(Tabel!C1:C5)",
        "=AVERAGE(Tabel!C1:C5)",
        "=COUNT(Tabel!C1:C5)",
        "=COUNTA(Tabel!C1:C5)",
        '=COUNTIF(Tabel!A1:A5,">"&Invoer!B1)',
        '=SUMIF(Tabel!A1:A5,"<="&Invoer!B1,Tabel!C1:C5)',
        "=MIN(Tabel!C1:C5)*MAX(Tabel!A1:A5)",
        "=SUMPRODUCT(Tabel!A1:A4,Tabel!A2:A5)",
        "=NPV(Invoer!B5,Tabel!C1:C5)",
        "=ROUND(Invoer!B2*Invoer!B5,1)",
        "=ROUNDUP(Invoer!B2/7,2)+ROUNDDOWN(-Invoer!B2/7,2)",
        "=ABS(-Invoer!B2)+MOD(Invoer!B3,7)+INT(Invoer!B5*10)",
        "=SQRT(Invoer!B2)+POWER(Invoer!B5,2)+Invoer!B5^0.5",
        "=SUM(Invoer!B1,Invoer!B2,3,TRUE)",
        "=MAX(Invoer!B1:B3)-MIN(Invoer!B1:B3)",
        "=PMT(Invoer!B5/12,Invoer!B1*12,-Invoer!B2)",
        # date
        "=DATE(Invoer!B3,Invoer!B1,15)",
        "=YEAR(DATE(Invoer!B3,14,1))",
        "=MONTH(DATE(Invoer!B3,Invoer!B1+1,31))",
        "=DAY(DATE(Invoer!B3,2,29))",
        "=DATE(Invoer!B3,12,31)-DATE(Invoer!B3,1,1)",
        "=WEEKDAY(DATE(Invoer!B3,Invoer!B1,1))",
        "=EDATE(DATE(Invoer!B3,1,31),Invoer!B1)",
        # errors
        "=NA()",
        "=Invoer!B2/(Invoer!B1-Invoer!B1)",
        "=SQRT(-Invoer!B2)",
        '="abc"+Invoer!B1',
        "=SUM(Tabel!A1:A5,Functies!A60)",
        '=VLOOKUP("zzz",Tabel!B1:C5,2,FALSE)',
        "=IFERROR(Functies!A60,0)+1",
    ]
    for i, text in enumerate(formulas, start=1):
        f.cell(row=i, column=1, value=text)
    outputs = [
        _out("lookupName", "Functies!A1"),
        _out("sumValues", "Functies!A37"),
        _out("conditional", "Functies!A25"),
        _out("dateSerial", "Functies!A53"),
        _out("anError", "Functies!A61"),
    ]
    _interface(
        wb,
        "Function test workbook",
        [
            _inp("code", "count", 1, 5, "Invoer!B1"),
            _inp("amount", "euro", 0, 100000, "Invoer!B2"),
            _inp("year", "years", 1990, 2060, "Invoer!B3"),
            _inp("active", "yesno", None, None, "Invoer!B4"),
            _inp("factor", "fraction", 0, 1, "Invoer!B5"),
            *outputs,
        ],
    )
    return wb


# (what, formula, Excel's value: a number, bool, text or an error code string)
ERROR_CASES: list[tuple[str, str, object]] = [
    ("division by zero", "=1/0", "#DIV/0!"),
    ("division by empty cell", "=1/Data!B9", "#DIV/0!"),
    ("zero divided by zero", "=0/0", "#DIV/0!"),
    ("text in arithmetic", '="abc"+1', "#VALUE!"),
    ("numeric text in arithmetic", '="3"+1', 4.0),
    ("negative square root", "=SQRT(-1)", "#NUM!"),
    ("log of zero", "=LN(0)", "#NUM!"),
    ("error in a range", "=SUM(Data!A1:A3)", "#DIV/0!"),
    ("error in MIN range", "=MIN(Data!A1:A3)", "#DIV/0!"),
    ("text in a range is skipped", "=SUM(Data!B1:B3)", 0.0),
    ("text given directly to SUM", '=SUM("abc",1)', "#VALUE!"),
    ("left-most error wins", "=NA()+1/0", "#N/A"),
    ("error in comparison", "=Data!A2>1", "#DIV/0!"),
    ("IF on an error condition", "=IF(Data!A2,1,2)", "#DIV/0!"),
    ("IF on text condition", '=IF("abc",1,2)', "#VALUE!"),
    ("lazy IF: untaken error branch", "=IF(TRUE,1,1/0)", 1.0),
    ("IFERROR catches", "=IFERROR(1/0,-1)", -1.0),
    ("IFERROR passes a value", "=IFERROR(5,-1)", 5.0),
    ("error in concatenation", '="a"&Data!A2', "#DIV/0!"),
    ("AND with an error", "=AND(TRUE,Data!A2)", "#DIV/0!"),
    ("AND over text only", "=AND(Data!B2:B2)", "#VALUE!"),
    ("NOT of text", '=NOT("x")', "#VALUE!"),
    ("negative base, fractional power", "=(-8)^(1/3)", "#NUM!"),
    ("zero to a negative power", "=0^-1", "#DIV/0!"),
    ("overflowing power", "=10^400", "#NUM!"),
    ("ROUND of an error", "=ROUND(Data!A2,2)", "#DIV/0!"),
    ("ROUND half away from zero", "=ROUND(-2.5,0)+ROUND(2.675,2)", -0.31999999999999984),
    ("AVERAGE of nothing numeric", "=AVERAGE(Data!B1:B3)", "#DIV/0!"),
    ("SUMPRODUCT size mismatch", "=SUMPRODUCT(Data!C1:C3,Data!B1:B2)", "#VALUE!"),
    ("SUMPRODUCT with an error", "=SUMPRODUCT(Data!A1:A3,Data!C1:C3)", "#DIV/0!"),
    ("NPV with an error", "=NPV(0.1,Data!A1:A3)", "#DIV/0!"),
    ("empty cell as number", "=Data!B9+1", 1.0),
    ("empty cell referenced", "=Data!B9", 0.0),
    ("text compared to number", '="1">2', True),
    ("logical compared to number", "=TRUE>2", True),
    ("logical arithmetic", "=TRUE+TRUE", 2.0),
    ("VALUE of text", '=VALUE("abc")', "#VALUE!"),
    ("lookup miss", "=MATCH(99,Data!C1:C3,0)", "#N/A"),
    ("error literal", "=#REF!", "#REF!"),
    ("error from a constant cell", "=Data!D1", "#N/A"),
    ("percent", "=50%+Data!C1", 2.5),
    ("unary minus on text", '=-"2"', -2.0),
    ("text cell in arithmetic", "=Data!B1*2", "#VALUE!"),
    ("comparison ignores case", '="ABC"="abc"', True),
    ("number as text", '=1.5&"x"', "1.5x"),
]


def errors_workbook() -> openpyxl.Workbook:
    """One error case per row of sheet Fouten, column B."""
    wb = openpyxl.Workbook()
    d = wb.active
    d.title = "Data"
    d["A1"], d["A2"], d["A3"] = 1, "=1/0", 3
    d["B1"], d["B2"], d["B3"] = "x", "y", "z"
    d["C1"], d["C2"], d["C3"] = 2, 4, 6
    d["D1"] = "#N/A"
    d["E1"] = 1
    e = wb.create_sheet("Fouten")
    for i, (label, formula, _) in enumerate(ERROR_CASES, start=1):
        e.cell(row=i, column=1, value=label)
        e.cell(row=i, column=2, value=formula)
    _interface(
        wb,
        "Error table",
        [_inp("unused", "number", 0, 10, "Data!E1"), _out("first", "Fouten!B1")],
    )
    return wb


def mini_mkba_workbook() -> openpyxl.Workbook:
    """A small social cost-benefit model with the reference workbook's feature set."""
    wb = openpyxl.Workbook()
    c = wb.active
    c.title = "Cockpit"
    c["A6"], c["D6"] = "Aantal huishoudens", 1200
    c["A7"], c["D7"] = "Aandeel bereikt", 0.35
    c["A8"], c["D8"] = "Inzet casusregisseur", "ja"
    c["A9"], c["D9"] = "Kosten per traject", 4500
    c["A10"], c["D10"] = "Looptijd", 5
    c["A11"], c["D11"] = "Discontovoet", 0.0225
    p = wb.create_sheet("Parameters")
    effects = [("Schuldhulp", 0.12, 3400), ("Zorg", 0.08, 5200), ("Werk", 0.05, 11000)]
    for i, (name, rate, value) in enumerate(effects, start=2):
        p[f"A{i}"], p[f"B{i}"], p[f"C{i}"] = name, rate, value
    p["D2"], p["E2"] = "Overhead", 0.15
    b = wb.create_sheet("Berekening")
    b["A1"] = "Bereik"
    b["B1"] = "=ROUND(Cockpit!D6*Cockpit!D7,0)"
    for i in range(2, 5):
        b[f"A{i}"] = f"=Parameters!A{i}"
        b[f"B{i}"] = f"=B$1*Parameters!B{i}*Parameters!C{i}"
    b["B5"] = "=SUM(B2:B4)"
    b["B6"] = '=IF(Cockpit!D8="ja",B1*Cockpit!D9*(1+Parameters!E2),B1*Cockpit!D9)'
    b["B7"] = "=SUMPRODUCT(Parameters!B2:B4,Parameters!C2:C4)*B1"
    b["B8"] = "=B5-B6"
    b["B9"] = "=IF(B6>0,B5/B6,0)"
    b["B10"] = "=MAX(0,MIN(B9,10))"
    b["B11"] = '=AND(B8>0,Cockpit!D8="ja")'
    b["B12"] = "=OR(NOT(B11),B9>=1)"
    b["B13"] = "=IFERROR(B8/B1,0)"
    b["B14"] = "=B8*(1-(1+Cockpit!D11)^-Cockpit!D10)/Cockpit!D11"
    b["B15"] = "=ROUND(B14,-3)"
    b["B16"] = '=IF(B8>=0,"ja","nee")'
    # who pays, who profits: the municipality pays the costs, benefits go 60/40
    b["D1"], b["E1"], b["F1"] = "actor", "kosten", "baten"
    b["D2"], b["E2"], b["F2"] = "gemeente", "=B6", "=B5*0.6"
    b["G2"] = "=F2-E2"
    b["D3"], b["E3"], b["F3"] = "zorgverzekeraar", 0, "=B5*0.4"
    b["G3"] = "=F3-E3"
    _interface(
        wb,
        "Mini MKBA",
        [
            group_row("inputs", knobs=True, nl="Invoer", en="Inputs"),
            group_row("outputs", nl="Uitkomsten", en="Results"),
            group_row("verdeling", nl="Wie betaalt, wie profiteert", en="Who pays, who profits"),
            ["actor", "gemeente", "Gemeente", "Municipality"],
            ["actor", "zorgverzekeraar", "Zorgverzekeraar", "Health insurer"],
            [
                "effectDomain",
                "debts",
                "Schuldhulp",
                "Debt counselling",
                "huishouden schuldenvrij",
                *[None] * 7,
                "reach",
                1,
            ],
            _inp("households", "count", 0, 100000, "Cockpit!D6"),
            _inp("reach", "fraction", 0, 1, "Cockpit!D7"),
            _inp("caseManager", "yesno", None, None, "Cockpit!D8"),
            _inp("costPerCase", "euro", 0, 50000, "Cockpit!D9"),
            _inp("years", "years", 1, 30, "Cockpit!D10"),
            _inp("discountRate", "fraction", 0.001, 0.1, "Cockpit!D11"),
            _out("benefits", "Berekening!B5", "euro", "totalBenefits,benefitBar,headline"),
            _out("costs", "Berekening!B6", "euro", "totalCosts,costBar,headline"),
            _out("net", "Berekening!B8", "euro", "saldo,headline"),
            _out("ratio", "Berekening!B9"),
            _out("presentValue", "Berekening!B15", "euro"),
            _out("positive", "Berekening!B16", "yesno"),
            _out("gemeenteKosten", "Berekening!E2", "euro", "actorCosts", "gemeente", "verdeling"),
            _out(
                "gemeenteBaten", "Berekening!F2", "euro", "actorBenefits", "gemeente", "verdeling"
            ),
            _out("gemeenteSaldo", "Berekening!G2", "euro", "actorSaldo", "gemeente", "verdeling"),
            _out(
                "zorgverzekeraarKosten",
                "Berekening!E3",
                "euro",
                "actorCosts",
                "zorgverzekeraar",
                "verdeling",
            ),
            _out(
                "zorgverzekeraarBaten",
                "Berekening!F3",
                "euro",
                "actorBenefits",
                "zorgverzekeraar",
                "verdeling",
            ),
            _out(
                "zorgverzekeraarSaldo",
                "Berekening!G3",
                "euro",
                "actorSaldo",
                "zorgverzekeraar",
                "verdeling",
            ),
        ],
    )
    return wb


def lookup_model_workbook() -> openpyxl.Workbook:
    """A model in the second model's feature set: lookups, NPV, ROUND, IFERROR, ja/nee."""
    wb = openpyxl.Workbook()
    c = wb.active
    c.title = "Cockpit"
    c["A1"], c["B1"] = "Inwoners", 25000
    c["A2"], c["B2"] = "Regio", "Noord"
    c["A3"], c["B3"] = "Preventie", "ja"
    c["A4"], c["B4"] = "Discontovoet", 0.03
    c["A5"], c["B5"] = "Startjaar", 2
    t = wb.create_sheet("Tabellen")
    for i, (lo, rate) in enumerate([(0, 0.01), (10000, 0.015), (20000, 0.02), (50000, 0.03)], 1):
        t[f"A{i}"], t[f"B{i}"] = lo, rate
    for i, (region, cost, share) in enumerate(
        [("Noord", 1200, 0.4), ("Oost", 1350, 0.35), ("Zuid", 1100, 0.5), ("West", 1500, 0.3)], 1
    ):
        t[f"D{i}"], t[f"E{i}"], t[f"F{i}"] = region, cost, share
    for j, col in enumerate("HIJKL"):
        t[f"{col}1"] = 2024 + j
        t[f"{col}2"] = 1.0 + j * 0.02
    b = wb.create_sheet("Berekening")
    b["B1"] = "=VLOOKUP(Cockpit!B1,Tabellen!A1:B4,2,TRUE)"
    b["B2"] = "=ROUND(Cockpit!B1*B1,0)"
    b["B3"] = "=VLOOKUP(Cockpit!B2,Tabellen!D1:F4,2,FALSE)"
    b["B4"] = "=INDEX(Tabellen!F1:F4,MATCH(Cockpit!B2,Tabellen!D1:D4,0))"
    b["B5"] = '=IF(Cockpit!B3="ja",B2*B3*B4,0)'
    b["B6"] = "=INDEX(Tabellen!H2:L2,Cockpit!B5)"
    for j, col in enumerate("CDEFG"):
        b[f"{col}7"] = f"=$B$5*INDEX(Tabellen!$H$2:$L$2,{j + 1})*IF({j + 1}>=Cockpit!$B$5,1,0)"
    b["B8"] = "=NPV(Cockpit!B4,C7:G7)"
    b["B9"] = "=IFERROR(B8/B2,0)"
    b["B10"] = "=ROUNDUP(B9,2)-ROUNDDOWN(B9,1)"
    b["B11"] = '=IFERROR(VLOOKUP("Midden",Tabellen!D1:F4,3,FALSE),-1)'
    b["B12"] = '=CHOOSE(Cockpit!B5,"laag","midden","hoog","max","max")'
    b["B13"] = '=IF(AND(Cockpit!B3="ja",B8>100000),"ja","nee")'
    b["B14"] = "=HLOOKUP(2026,Tabellen!H1:L2,2,FALSE)*B6"
    _interface(
        wb,
        "Lookup model",
        [
            _inp("inwoners", "count", 0, 100000, "Cockpit!B1"),
            _inp("preventie", "yesno", None, None, "Cockpit!B3"),
            _inp("discontovoet", "fraction", 0, 0.1, "Cockpit!B4"),
            _inp("startjaar", "count", 1, 5, "Cockpit!B5"),
            _out("deelnemers", "Berekening!B2"),
            _out("kosten", "Berekening!B5", "euro"),
            _out("contanteWaarde", "Berekening!B8", "euro"),
            _out("perDeelnemer", "Berekening!B9", "euro"),
            _out("marge", "Berekening!B10"),
            _out("ontbreekt", "Berekening!B11"),
            _out("niveau", "Berekening!B12", "text"),
            _out("groot", "Berekening!B13", "yesno"),
            _out("factor", "Berekening!B14"),
        ],
    )
    return wb


WORKBOOKS = {
    "lookup-model.xlsx": lookup_model_workbook,
    "functions.xlsx": functions_workbook,
    "errors.xlsx": errors_workbook,
    "mini-mkba.xlsx": mini_mkba_workbook,
}


def main(names: list[str] | None = None) -> None:
    """Write every test workbook (or those named)."""
    HERE.mkdir(exist_ok=True)
    for name, make in WORKBOOKS.items():
        if names and name not in names:
            continue
        make().save(HERE / name)
        print(f"wrote {HERE / name}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
