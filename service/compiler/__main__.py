"""`python -m service.compiler formulas_spec`: regenerate formulas_spec/compiled/<id>.py."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.compiler import CompileError, compile_workbook


def compile_dir(spec_dir: Path, *, check: bool = False) -> list[Path]:
    """Compile every <id>.xlsx in spec_dir into spec_dir/compiled/<id>.py; return written paths."""
    out_dir = spec_dir / "compiled"
    out_dir.mkdir(exist_ok=True)
    written = []
    for wb in sorted(spec_dir.glob("*.xlsx")):
        if wb.name.startswith("~$"):
            continue
        target = out_dir / f"{wb.stem}.py"
        source = compile_workbook(wb).source
        if target.exists() and target.read_text() == source:
            continue
        if check:
            written.append(target)
            continue
        target.write_text(source)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(prog="python -m service.compiler", description=__doc__)
    ap.add_argument("spec_dir", type=Path, nargs="?", default=Path("formulas_spec"))
    ap.add_argument("--check", action="store_true", help="only report artifacts that would change")
    args = ap.parse_args(argv)
    try:
        changed = compile_dir(args.spec_dir, check=args.check)
    except CompileError as e:
        print(f"compile error: {e}", file=sys.stderr)
        return 2
    for p in changed:
        print(("stale: " if args.check else "wrote ") + str(p))
    if args.check and changed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
