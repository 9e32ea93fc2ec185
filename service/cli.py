"""Command line for auditors without a running server: calculate, export, audit, report.

    python -m service calculate scenario.json [-o result.json]
    python -m service export scenario.json -o scenario.xlsx
    python -m service audit gemeente.xlsx [--json report.json] [--html report.html]
    python -m service report request.json -o rapport.pdf [--html] [--lang en]

`--versie <version>` calculates (exports, audits, reports) with an earlier version the
service still serves (formulas_spec/versions/, docs/versions.md).
A scenario file is a JSON object of input name -> value (or {"inputs": {...}}); `report`
also takes the body of `POST .../rapporten` (`invoer` and `norm`, or `varianten`, with
`taal` and `onderdelen`).
Exit status: 0 done (audit: consistent), 1 audit found departures, 2 usage or file errors
(unknown model, missing file, stale artifact), 3 refused input, 4 an internal error.
Every failure is one message on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from service.audit import (
    AuditError,
    InvalidScenario,
    audit_workbook,
    export_workbook,
    load_reference,
    render_html,
    validate_scenario,
)
from service.audit.audit import jsonable
from service.engine import ArtifactError, CompiledModel, load_models
from service.errors import Problem


class UsageError(Exception):
    """A command that cannot run as given (exit status 2)."""


def _model(spec_dir: Path, model_id: str | None, version: str | None = None) -> CompiledModel:
    """The model asked for, in `version` (default its current one: docs/versions.md)."""
    model = _current_model(spec_dir, model_id)
    if version is None or version == model.version:
        return model
    from service.engine.versions import load_versions

    served = load_versions(spec_dir, {model.id: model})[model.id].models
    if version not in served:
        raise UsageError(
            f"model {model.id!r} has no version {version!r}; served: {', '.join(served)}"
        )
    return served[version]


def _workbook(spec_dir: Path, model: CompiledModel) -> Path:
    """The workbook of the model's version: an earlier one is kept in versions/."""
    earlier = spec_dir / "versions" / f"{model.id}@{model.version}.xlsx"
    return earlier if earlier.exists() else spec_dir / f"{model.id}.xlsx"


def _current_model(spec_dir: Path, model_id: str | None) -> CompiledModel:
    if not spec_dir.is_dir():
        raise UsageError(f"no model directory {spec_dir} (see --spec-dir)")
    models = load_models(spec_dir)
    if not models:
        raise UsageError(f"no models in {spec_dir}: a model is a <model-id>.xlsx there")
    if model_id is None:
        # the only model, else the one whose Interface declares cockpitDefault
        defaults = [m for m in models.values() if m.roles.cockpit_default]
        if len(models) == 1:
            return next(iter(models.values()))
        if len(defaults) == 1:
            return defaults[0]
        raise UsageError(f"choose a model with --model: {', '.join(sorted(models))}")
    if model_id not in models:
        raise UsageError(f"unknown model {model_id!r}; known: {', '.join(sorted(models))}")
    return models[model_id]


def _scenario(path: str) -> dict[str, Any]:
    text = sys.stdin.read() if path == "-" else Path(path).read_text("utf-8")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidScenario(f"{path}: not JSON ({exc})") from None
    if isinstance(doc, dict) and isinstance(doc.get("inputs"), dict):
        doc = doc["inputs"]
    if not isinstance(doc, dict):
        raise InvalidScenario(f"{path}: a scenario is a JSON object of input name -> value")
    return doc


def _write(text: str | bytes, target: str | None) -> None:
    if target is None or target == "-":
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
        return
    Path(target).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


def _calculate(args: argparse.Namespace) -> int:
    model = _model(args.spec_dir, args.model, args.versie)
    values = validate_scenario(model, _scenario(args.scenario))
    doc = {
        "model": model.id,
        "version": model.version,
        "inputs": model.resolve(values),
        "outputs": {k: jsonable(v) for k, v in model.calculate(values).items()},
    }
    _write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", args.output)
    return 0


def _export(args: argparse.Namespace) -> int:
    model = _model(args.spec_dir, args.model, args.versie)
    reference = load_reference(model, _workbook(args.spec_dir, model))
    _write(export_workbook(reference, _scenario(args.scenario)), args.output)
    return 0


def _audit(args: argparse.Namespace) -> int:
    model = _model(args.spec_dir, args.model, args.versie)
    reference = load_reference(model, _workbook(args.spec_dir, model))
    path = Path(args.workbook)
    report = audit_workbook(reference, path.read_bytes(), path.name)
    if args.html:
        _write(render_html(report), args.html)
    if args.json or not args.html:
        _write(json.dumps(report, indent=2, ensure_ascii=False) + "\n", args.json)
    s = report["summary"]
    print(
        f"{path.name}: {report['verdict']}; outputs {s['outputsMatching']} match, "
        f"{s['outputsEdited']} edited, {s['outputsStale']} stale; "
        f"{s['changedInputs']} changed inputs, {s['editedFormulas']} edited formulas, "
        f"{s['changedConstants']} changed constants, {s['staleCells']} stale cells",
        file=sys.stderr,
    )
    return 0 if report["verdict"] == "consistent" else 1


REPORT_FIELDS = frozenset({"invoer", "norm", "varianten", "taal", "onderdelen"})


def _report(args: argparse.Namespace) -> int:
    from service import report
    from service.api.model_api import ModelAPI
    from service.api.report_request import load_report

    model = _model(args.spec_dir, args.model, args.versie)
    text = sys.stdin.read() if args.request == "-" else Path(args.request).read_text("utf-8")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidScenario(f"{args.request}: not JSON ({exc})") from None
    if isinstance(doc, dict) and not doc.keys() <= REPORT_FIELDS:  # a plain scenario file
        doc = {"invoer": doc["inputs"] if isinstance(doc.get("inputs"), dict) else doc}
    if isinstance(doc, dict) and args.lang:
        doc["taal"] = args.lang
    _, data = load_report(ModelAPI(model), doc)
    _write(report.render_html(data) if args.html else report.render_pdf(data), args.output)
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m service`."""
    p = argparse.ArgumentParser(prog="python -m service", description=__doc__.split("\n")[0])
    p.add_argument(
        "--spec-dir",
        type=Path,
        default=Path(os.environ.get("MKBA_MODELS_DIR", "formulas_spec")),
        help="directory of model workbooks and compiled/ (default: formulas_spec)",
    )
    p.add_argument(
        "--model",
        help="model id (default: the only model, else the one that declares cockpitDefault)",
    )
    p.add_argument(
        "--versie",
        help="a served version of the model (default: its current one; docs/versions.md)",
    )
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("calculate", help="outputs of a scenario as JSON")
    c.add_argument("scenario", help="scenario JSON file ('-' for stdin)")
    c.add_argument("-o", "--output", help="write JSON here (default: stdout)")
    c.set_defaults(run=_calculate)
    e = sub.add_parser("export", help="a scenario as the reference workbook (.xlsx)")
    e.add_argument("scenario", help="scenario JSON file ('-' for stdin)")
    e.add_argument("-o", "--output", required=True, help="the .xlsx to write ('-' for stdout)")
    e.set_defaults(run=_export)
    a = sub.add_parser("audit", help="audit a copy of the workbook against the reference")
    a.add_argument("workbook", help="the .xlsx to audit")
    a.add_argument("--json", help="write the JSON report here (default: stdout)")
    a.add_argument("--html", help="write the HTML report here")
    a.set_defaults(run=_audit)
    r = sub.add_parser("report", help="the council report of a scenario or comparison (PDF)")
    r.add_argument("request", help="scenario or report request JSON file ('-' for stdin)")
    r.add_argument("-o", "--output", required=True, help="the file to write ('-' for stdout)")
    r.add_argument("--html", action="store_true", help="write HTML instead of PDF")
    r.add_argument("--lang", choices=("nl", "en"), help="the report's language (default nl)")
    r.set_defaults(run=_report)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    try:
        status: int = args.run(args)
    except AuditError as exc:
        print(f"refused ({exc.status} {exc.code}): {exc.detail}", file=sys.stderr)
        for p in exc.invalid_params or []:
            print(f"  {p['name']}: {p['reason']}", file=sys.stderr)
        return 3
    except Problem as exc:  # a refused report request: as the API words it
        print(f"refused ({exc.status} {exc.code}): {exc.detail}", file=sys.stderr)
        for p in exc.invalid_params or []:
            print(f"  {p['name']}: {p['reason']}", file=sys.stderr)
        return 3
    except (UsageError, ArtifactError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2
    except UnicodeDecodeError as exc:
        print(f"error: not UTF-8 text ({exc.reason})", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a defect of ours: said in one line, never a traceback
        print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 4
    return status
