"""schemathesis from outside, as an integrator runs it: gunicorn serves formulas_spec/ on
loopback and the schemathesis CLI fuzzes every contract the service publishes (each
model's and each served version's), all checks on, over HTTP.

    python -m tools.fuzz_outside [--max-examples N] [--port P]

Rules across fields that OpenAPI 3.0 cannot state are kept by tests/fuzz/hooks.py, as a
client keeping the contract's documented rules would. Prints per document the cases sent
and the failures (from the CLI's JUnit report) and exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _serve(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            "gunicorn.conf.py",
            "service:create_app()",
        ],
        cwd=ROOT,
        env={**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(240):
        try:
            if requests.get(f"http://127.0.0.1:{port}/v1/health/ready", timeout=2).ok:
                return server
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not get ready")


def _documents(base: str) -> list[str]:
    out = []
    for model in requests.get(f"{base}/modellen", timeout=30).json()["modellen"]:
        out.append(f"{base}/modellen/{model['id']}/openapi.json")
        versions = requests.get(f"{base}/modellen/{model['id']}/versies", timeout=30).json()
        out += [
            f"{base}/modellen/{model['id']}/versies/{v['versie']}/openapi.json"
            for v in versions["versies"]
        ]
    return out


def _fuzz(
    document: str, base: str, examples: int, phases: str, report: Path
) -> tuple[int, int, str]:
    """Cases and failures of one document (from the JUnit report), and the CLI's output."""
    run = subprocess.run(
        [
            str(BIN / "schemathesis"),
            "--config-file",
            str(ROOT / "tools" / "fuzz_outside.toml"),
            "run",
            document,
            "--url",
            base,
            "--mode",
            "all",
            "--max-examples",
            str(examples),
            "--generation-database",
            "none",
            "--phases",
            phases,
            "--suppress-health-check",
            "all",
            "--continue-on-failure",
            "--report",
            "junit",
            "--report-junit-path",
            str(report),
            "--request-timeout",
            "60",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "SCHEMATHESIS_HOOKS": "tests.fuzz.hooks",
            "MKBA_FUZZ_URL": base,
            "PYTHONPATH": str(ROOT),
        },
        capture_output=True,
        text=True,
    )
    suite = ET.parse(report).getroot()
    failures = sum(
        int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suite.iter("testsuite")
    )
    cases = _cases(run.stdout)
    return cases, failures, run.stdout


def _cases(output: str) -> int:
    """The number of test cases the CLI reports ("N generated" in its summary)."""
    import re

    found = re.findall(r"(\d[\d,]*) generated", output)
    return sum(int(n.replace(",", "")) for n in found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=20)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--phases", default="examples,coverage,fuzzing")
    parser.add_argument("--only", default="", help="fuzz the documents whose URL has this")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # the server stops too
    server = _serve(args.port)
    base = f"http://127.0.0.1:{args.port}/v1"
    failed = False
    try:
        with tempfile.TemporaryDirectory() as tmp:
            documents = [d for d in _documents(base) if args.only in d]
            for i, document in enumerate(documents):
                report = Path(tmp, f"{i}.xml")
                cases, failures, output = _fuzz(
                    document, base, args.max_examples, args.phases, report
                )
                print(f"{document}: {cases} cases, {failures} failures", flush=True)
                if failures:
                    failed = True
                    print(output[output.find("FAILURES") :])
    finally:
        server.terminate()
        server.wait(30)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
