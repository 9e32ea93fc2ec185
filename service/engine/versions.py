"""Earlier versions of the models: formulas_spec/versions/<model-id>@<version>.xlsx, compiled
into versions/compiled/ by `make compile` (service/compiler/versions.py), loaded here."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.engine.model import REGENERATE, ArtifactError, CompiledModel, load_model

VERSIONS = "versions"
CHANGES_SUFFIX = ".changes.py"


@dataclass
class ModelVersions:
    """Every served version of one model, oldest first; the last is the current one."""

    models: dict[str, CompiledModel]
    # per version: versie, werkboekSha256, datum, huidig, vorigeVersie, wijzigingen
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def current(self) -> CompiledModel:
        return list(self.models.values())[-1]


def _load_changes(path: Path) -> list[dict[str, Any]]:
    spec = importlib.util.spec_from_file_location(f"_changes_{abs(hash(str(path))):x}", path)
    if spec is None or spec.loader is None:
        raise ArtifactError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.VERSIONS)


def load_versions(spec_dir: Path, current: dict[str, CompiledModel]) -> dict[str, ModelVersions]:
    """Per model of `current` its versions: the earlier ones in spec_dir/versions/, checked
    against their workbooks and the change notes, then the current one."""
    folder = Path(spec_dir) / VERSIONS
    found: dict[str, dict[str, CompiledModel]] = {}
    for wb in sorted(folder.glob("*.xlsx")) if folder.is_dir() else []:
        if wb.name.startswith("~$"):
            continue
        model_id, _, version = wb.stem.partition("@")
        artifact = folder / "compiled" / f"{wb.stem}.py"
        if model_id not in current or not version or not artifact.exists():
            raise ArtifactError(f"{wb} has no compiled artifact {artifact}: run `{REGENERATE}`")
        model = load_model(artifact, wb)
        if model.id != model_id or model.version != version:
            raise ArtifactError(f"{artifact} is not version {version} of {model_id}")
        found.setdefault(model_id, {})[version] = model
    out: dict[str, ModelVersions] = {}
    for model_id, model in current.items():
        olds = found.get(model_id, {})
        if not olds:
            entry: dict[str, Any] = {
                "versie": model.version,
                "werkboekSha256": model.workbook_sha256,
                "datum": model.meta.get("versionDate") or None,
                "huidig": True,
                "vorigeVersie": None,
                "wijzigingen": [],
            }
            out[model_id] = ModelVersions({model.version: model}, {model.version: entry})
            continue
        changes = folder / "compiled" / f"{model_id}{CHANGES_SUFFIX}"
        entries = _load_changes(changes) if changes.exists() else []
        served = {**olds, model.version: model}
        recorded = [(e["versie"], e["werkboekSha256"]) for e in entries]
        if sorted(recorded) != sorted((v, m.workbook_sha256) for v, m in served.items()):
            raise ArtifactError(
                f"{changes} does not list the versions of {model_id} served: run `{REGENERATE}`"
            )
        out[model_id] = ModelVersions(
            {e["versie"]: served[e["versie"]] for e in entries}, {e["versie"]: e for e in entries}
        )
    return out
