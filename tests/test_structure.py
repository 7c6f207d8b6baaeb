"""Units a person can hold in mind: no module over 400 lines, no function over 60 unless a comment
on its first line says why (`# long: <reason>`)."""

from __future__ import annotations

import ast
import re

from conftest import ROOT

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _python_files():
    return sorted((ROOT / "assistant").rglob("*.py")) + [ROOT / "ui.py"]


def test_modules_and_functions_stay_small():
    too_long = []
    for path in _python_files():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        if len(lines) > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(ROOT)}: {len(lines)} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES and not re.search(r"# long: \S", lines[node.lineno - 1]):
                    too_long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}(): {length} lines")
    assert not too_long, "split these (or say why on the def line with '# long: …'):\n" + "\n".join(too_long)
