"""The Kubernetes manifests (deploy/k8s): valid for the releases Haven allows, and true to
the service they deploy.

Each of base and overlays is rendered offline (tools/kustomize.py; compared with
`kubectl kustomize` where kubectl is installed) and every document is validated, strictly
(no unknown fields), against the OpenAPI schemas of each Kubernetes release in
HAVEN_RELEASES with kubernetes-validate. Then the promises of docs/deploy.md are checked
on the rendered documents: probes on paths the app answers, the hardened securityContext,
selectors that select the pods, an autoscaler on CPU, /metrics never routed outside.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient

from tools.kustomize import render

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
TREES = ["base", *sorted(f"overlays/{p.name}" for p in (K8S / "overlays").iterdir())]
# Haven's compliancy checker requires a Kubernetes release that upstream still supports:
# the three newest minor releases. kubernetes-validate 1.37.0 (the lock) knows up to 1.37.
HAVEN_RELEASES = ["1.35.0", "1.36.0", "1.37.0"]
GRACEFUL_TIMEOUT = 30  # gunicorn.conf.py's default GUNICORN_GRACEFUL_TIMEOUT

Doc = dict[str, Any]


def docs(tree: str) -> dict[str, Doc]:
    """The rendered documents of one tree, by kind (each kind appears once)."""
    rendered = render(K8S / tree)
    by_kind = {d["kind"]: d for d in rendered}
    assert len(by_kind) == len(rendered), f"{tree}: one document per kind"
    return by_kind


@pytest.fixture(params=TREES)
def tree(request: pytest.FixtureRequest) -> dict[str, Doc]:
    return docs(request.param)


def container(tree: dict[str, Doc]) -> Doc:
    (only,) = tree["Deployment"]["spec"]["template"]["spec"]["containers"]
    return only


@pytest.mark.parametrize("release", HAVEN_RELEASES)
@pytest.mark.parametrize("name", TREES)
def test_every_document_validates_strictly(name: str, release: str) -> None:
    for doc in render(K8S / name):
        kubernetes_validate.validate(doc, release, strict=True)


def test_a_broken_document_is_refused() -> None:
    """The validator can fail: a misspelt field and a wrong type are both caught."""
    deployment = docs("base")["Deployment"]
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolcy"] = "Always"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, HAVEN_RELEASES[-1], strict=True)
    hpa = docs("base")["HorizontalPodAutoscaler"]
    hpa["spec"]["minReplicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(hpa, HAVEN_RELEASES[-1], strict=True)


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
@pytest.mark.parametrize("name", TREES)
def test_render_matches_kubectl_kustomize(name: str) -> None:
    out = subprocess.run(
        ["kubectl", "kustomize", str(K8S / name)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    theirs = {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(out) if d}
    ours = {(d["kind"], d["metadata"]["name"]): d for d in render(K8S / name)}
    assert ours == theirs


def test_probes_use_the_health_paths(tree: dict[str, Doc], client: FlaskClient) -> None:
    c = container(tree)
    assert c["livenessProbe"]["httpGet"]["path"] == "/v1/health/live"
    assert c["readinessProbe"]["httpGet"]["path"] == "/v1/health/ready"
    assert c["startupProbe"]["httpGet"]["path"] == "/v1/health/ready"
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        assert c[probe]["httpGet"]["port"] in {p["name"] for p in c["ports"]}
        assert client.get(c[probe]["httpGet"]["path"]).status_code == 200


def test_container_port_is_the_images(tree: dict[str, Doc]) -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    exposed = int(re.search(r"^EXPOSE (\d+)", dockerfile, re.M).group(1))  # type: ignore[union-attr]
    assert [p["containerPort"] for p in container(tree)["ports"]] == [exposed]


def test_hardened_security_context(tree: dict[str, Doc]) -> None:
    pod = tree["Deployment"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    sc = container(tree)["securityContext"]
    assert sc["allowPrivilegeEscalation"] is False
    assert sc["readOnlyRootFilesystem"] is True
    assert sc["runAsNonRoot"] is True
    assert sc["capabilities"] == {"drop": ["ALL"]}
    assert sc["seccompProfile"] == {"type": "RuntimeDefault"}
    # What the service writes goes to /tmp, which must then be a writable volume.
    mounts = {m["mountPath"]: m["name"] for m in container(tree)["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert "emptyDir" in volumes[mounts["/tmp"]]
    env = {e["name"]: e["value"] for e in container(tree)["env"]}
    assert env["PROMETHEUS_MULTIPROC_DIR"].startswith("/tmp/")


def test_resources_and_worker_count(tree: dict[str, Doc]) -> None:
    c = container(tree)
    assert {"cpu", "memory"} <= set(c["resources"]["requests"])
    assert "memory" in c["resources"]["limits"]
    # gunicorn would count the node's cores; the pod says how many workers it gets.
    env = {e["name"]: e["value"] for e in c["env"]}
    assert int(env["WEB_CONCURRENCY"]) >= 1


def test_shutdown_outlasts_the_drain(tree: dict[str, Doc]) -> None:
    pod = tree["Deployment"]["spec"]["template"]["spec"]
    pause = int(container(tree)["lifecycle"]["preStop"]["exec"]["command"][-1])
    assert pod["terminationGracePeriodSeconds"] > pause + GRACEFUL_TIMEOUT
    strategy = tree["Deployment"]["spec"]["strategy"]["rollingUpdate"]
    assert strategy["maxUnavailable"] == 0, "a rollout never lowers capacity"


def test_selectors_select_the_pods(tree: dict[str, Doc]) -> None:
    labels = tree["Deployment"]["spec"]["template"]["metadata"]["labels"]

    def selects(selector: dict[str, str]) -> bool:
        return bool(selector) and selector.items() <= labels.items()

    assert selects(tree["Deployment"]["spec"]["selector"]["matchLabels"])
    assert selects(tree["Service"]["spec"]["selector"])
    assert selects(tree["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"])
    assert selects(tree["NetworkPolicy"]["spec"]["podSelector"]["matchLabels"])
    ports = {p["name"] for p in container(tree)["ports"]}
    assert tree["Service"]["spec"]["ports"][0]["targetPort"] in ports


def test_autoscaler_on_cpu(tree: dict[str, Doc]) -> None:
    hpa = tree["HorizontalPodAutoscaler"]["spec"]
    assert hpa["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": tree["Deployment"]["metadata"]["name"],
    }
    (metric,) = hpa["metrics"]
    assert metric["resource"]["name"] == "cpu"
    assert 1 <= hpa["minReplicas"] <= hpa["maxReplicas"]
    assert "replicas" not in tree["Deployment"]["spec"], "the autoscaler owns the count"


def _routes(path: str, rule: Doc) -> bool:
    """Whether an Ingress path rule sends `path` to the backend (Prefix: by path element)."""
    if rule["pathType"] == "Exact":
        return path == rule["path"]
    prefix = rule["path"].rstrip("/")
    return path == prefix or path.startswith(prefix + "/")


def test_metrics_stay_inside_the_cluster(tree: dict[str, Doc], app: Flask) -> None:
    rules = [p for r in tree["Ingress"]["spec"]["rules"] for p in r["http"]["paths"]]
    assert not any(_routes("/metrics", rule) for rule in rules)
    assert any(_routes("/v1/modellen", rule) for rule in rules)
    assert any(_routes("/cockpit/assets/cockpit.js", rule) for rule in rules)
    # Prometheus scrapes the pods directly, where the app does serve /metrics (outside
    # the API contract, so asked with a plain client rather than the spec-checking one).
    annotations = tree["Deployment"]["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert int(annotations["prometheus.io/port"]) == container(tree)["ports"][0]["containerPort"]
    assert FlaskClient(app).get(annotations["prometheus.io/path"]).status_code == 200


def test_network_policy_admits_only_ingress_and_monitoring(tree: dict[str, Doc]) -> None:
    policy = tree["NetworkPolicy"]["spec"]
    assert set(policy["policyTypes"]) == {"Ingress", "Egress"}
    assert policy["egress"] == [], "the service calls nothing"
    (rule,) = policy["ingress"]
    sources = {
        s["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] for s in rule["from"]
    }
    assert sources == {"ingress-nginx", "monitoring"}
    assert [p["port"] for p in rule["ports"]] == ["http"]


def test_overlays_pin_a_registry_image() -> None:
    for name in TREES[1:]:
        image = container(docs(name))["image"]
        assert re.fullmatch(r"[a-z0-9.-]+\.[a-z]+/[a-z0-9/_-]+:[\w.-]+", image), image
        assert docs(name)["Deployment"]["metadata"]["namespace"]


def test_the_renderer_refuses_what_it_does_not_know(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text("resources: []\ncommonLabels: {a: b}\n")
    with pytest.raises(ValueError, match="commonLabels"):
        render(tmp_path)
