"""Build a model's C source (service/compiler/c_writer.py) into the shared library the
native engine loads (service/engine/native.py), with the flags that keep C's arithmetic
Python's, bit for bit."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from service.engine.native import library_path

# Flags every build of the C source must use, so that each operation rounds as Python's
# does: no contraction of a*b+c into one fused multiply-add, no fast-math reordering, and
# no built-in libm (gcc would turn pow(x, 2.0) into x*x, which Python does not do).
CFLAGS = ("-O2", "-fPIC", "-shared", "-ffp-contract=off", "-fno-fast-math", "-fno-builtin")


class NativeBuildError(RuntimeError):
    """A C source could not be built (no compiler, or the compiler failed)."""


def compiler() -> str | None:
    """The C compiler to build with: $CC, else cc or gcc on the PATH."""
    return os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")


def build(c_source: Path) -> Path:
    """C source -> its shared library beside it (nothing to do when that is current)."""
    target = library_path(c_source, hashlib.sha256(c_source.read_bytes()).hexdigest())
    if target.exists():
        return target
    cc = compiler()
    if cc is None:
        raise NativeBuildError("no C compiler found (set CC, or install gcc)")
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        done = subprocess.run(
            [cc, *CFLAGS, "-o", str(partial), str(c_source), "-lm"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        raise NativeBuildError(f"cannot run the C compiler {cc!r}: {exc}") from None
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise NativeBuildError(f"{cc} failed on {c_source}:\n{done.stderr.strip()}")
    os.replace(partial, target)  # atomic: a loader sees all of the library or none
    for old in c_source.parent.glob(f"{c_source.stem}-*.so"):
        if old != target:
            old.unlink(missing_ok=True)  # built from an earlier C source
    return target


def build_dir(spec_dir: Path) -> list[Path]:
    """Build every compiled/<id>.c under spec_dir, and those of the earlier versions
    (versions/compiled/<id>@<version>.c); return the libraries."""
    folders = [Path(spec_dir) / "compiled", Path(spec_dir) / "versions" / "compiled"]
    return [build(c) for folder in folders for c in sorted(folder.glob("*.c"))]
