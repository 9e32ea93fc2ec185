"""Build time: compile a workbook (via `formulas`' parser) into a Python module."""

from service.compiler.ast import CompileError
from service.compiler.build import COMMAND, COMPILER_VERSION, Compiled, compile_workbook

__all__ = ["COMMAND", "COMPILER_VERSION", "CompileError", "Compiled", "compile_workbook"]
