"""Render a kustomization offline: the subset of kustomize that deploy/k8s uses.

Supported fields: `resources` (files and directories), `namespace`, `images` (newName,
newTag) and `patches` with a `target` (kind, name) and an inline JSON 6902 `patch`.
Anything else is refused rather than silently ignored, so a manifest that needs the real
kustomize says so. `kubectl kustomize DIR` renders the same documents (tests/ops/test_k8s.py
compares the two where kubectl is installed).

    python -m tools.kustomize deploy/k8s/overlays/production
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import jsonpatch
import yaml

FIELDS = {"apiVersion", "kind", "resources", "namespace", "images", "patches"}
TARGET_FIELDS = {"kind", "name"}
# Kinds without a namespace among those a service's manifests use.
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "PriorityClass"}

Doc = dict[str, Any]


def _image_name(image: str) -> str:
    """An image reference without its tag or digest."""
    name = image.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    return name[:colon] if colon > slash else name


def _pod_containers(doc: Doc) -> list[dict[str, Any]]:
    spec = doc.get("spec", {}).get("template", {}).get("spec", {})
    return [*spec.get("initContainers", []), *spec.get("containers", [])]


def _set_images(docs: list[Doc], images: list[dict[str, str]]) -> None:
    for rule in images:
        unknown = set(rule) - {"name", "newName", "newTag"}
        if unknown:
            raise ValueError(f"images: unsupported fields {sorted(unknown)}")
        for doc in docs:
            for container in _pod_containers(doc):
                if _image_name(container["image"]) != rule["name"]:
                    continue
                old = container["image"]
                tag = rule.get("newTag") or old[len(rule["name"]) + 1 :]
                name = rule.get("newName", rule["name"])
                container["image"] = f"{name}:{tag}" if tag else name


def _patch(docs: list[Doc], patch: dict[str, Any]) -> list[Doc]:
    unknown = set(patch) - {"target", "patch"}
    target = patch.get("target", {})
    if unknown or set(target) - TARGET_FIELDS or "patch" not in patch:
        raise ValueError(f"patches: only target (kind, name) and an inline patch: {patch}")
    ops = yaml.safe_load(patch["patch"])
    if not isinstance(ops, list):
        raise ValueError("patches: only JSON 6902 patches (a list of operations)")
    out, hits = [], 0
    for doc in docs:
        if all(
            (doc["metadata"]["name"] if key == "name" else doc[key]) == value
            for key, value in target.items()
        ):
            doc = jsonpatch.apply_patch(doc, ops)
            hits += 1
        out.append(doc)
    if not hits:
        raise ValueError(f"patches: no resource matches {target}")
    return out


def render(directory: Path) -> list[Doc]:
    """The documents `kubectl kustomize directory` would print, in resource order."""
    spec = yaml.safe_load((directory / "kustomization.yaml").read_text(encoding="utf-8"))
    unknown = set(spec) - FIELDS
    if unknown:
        raise ValueError(f"{directory}: unsupported kustomization fields {sorted(unknown)}")
    docs: list[Doc] = []
    for entry in spec.get("resources", []):
        path = directory / entry
        if path.is_dir():
            docs += render(path)
        else:
            text = path.read_text(encoding="utf-8")
            docs += [copy.deepcopy(d) for d in yaml.safe_load_all(text) if d]
    for patch in spec.get("patches", []):
        docs = _patch(docs, patch)
    _set_images(docs, spec.get("images", []))
    if "namespace" in spec:
        for doc in docs:
            if doc["kind"] not in CLUSTER_SCOPED:
                doc["metadata"]["namespace"] = spec["namespace"]
    return docs


def main(argv: list[str]) -> int:
    """Print the rendered documents of each directory given."""
    for directory in argv:
        yaml.safe_dump_all(render(Path(directory)), sys.stdout, sort_keys=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
