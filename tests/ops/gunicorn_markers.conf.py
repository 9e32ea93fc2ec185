"""gunicorn.conf.py for the server tests, plus one hook: each request leaves a marker file
`<worker pid>.<n>` in MKBA_TEST_MARKER_DIR once gunicorn has read its headers and hands it
to the app (`pre_request`), so a test knows for sure that a request is in flight in a
worker, and in which one, without waiting a guessed time."""

import os
import runpy
import time
from pathlib import Path

_base = runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
globals().update({k: v for k, v in _base.items() if not k.startswith("__")})


def pre_request(worker, req):  # noqa: ANN001, ANN201 - gunicorn's hook signature
    marker = Path(os.environ["MKBA_TEST_MARKER_DIR"], f"{worker.pid}.{time.monotonic_ns()}")
    marker.touch()
