"""Build time: compile a workbook (via `formulas`' parser) into a Python module, and
where the model allows, a C source for the native engine."""

from service.compiler.build import COMMAND, COMPILER_VERSION, Compiled, compile_workbook
from service.compiler.formula_tree import CompileError

__all__ = ["COMMAND", "COMPILER_VERSION", "CompileError", "Compiled", "compile_workbook"]
