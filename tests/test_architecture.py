"""The code's shape: modules a newcomer can read, no language switches, no sentences in Python.
These parse the source; they do not run it (the import cycles are test_imports.py's)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "generator"
MODULES = sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_too_long():
    long = {p.relative_to(ROOT).as_posix(): n for p in MODULES if (n := len(p.read_text("utf-8").splitlines())) > 450}
    assert not long, long


def test_no_function_is_too_long_without_a_reason():
    found = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > 60:
                doc = ast.get_docstring(node) or ""
                if "long because" not in doc.lower():
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not found, found


# A test of the language: its code compared, or a flag for it (`if chinese`, `x if zh else y`); not a variable
# that holds a Chinese name or document (`if zh[value]`, `if zh.extra`, `if zh and hant`).
LANGUAGE_BRANCH = re.compile(r"""lang(?:\.code|uage)?\s*[!=]=\s*["'](?:zh|en|zh-Hant)["']|== ["'](?:zh|en)["']"""
                             r"""|\bif (?:not )?(?:zh|en|chinese|english|is_zh|is_en)\b(?![.\[]| and)"""
                             r"""|\b(?:zh|en|chinese|english) else\b""")


def test_the_language_branch_check_finds_each_form():
    for line in ('if lang == "zh":', "if lang.code != 'en':", "x = a if chinese else b", "if not english:",
                 "if zh:", 'if language == "zh-Hant":'):
        assert LANGUAGE_BRANCH.search(line), line
    for line in ("if zh[value] != en[value]:", "if zh.extra.get('charts')", "if zh and hant", "chinese_name = 1"):
        assert not LANGUAGE_BRANCH.search(line), line


def test_at_most_two_lines_branch_on_the_language():
    """The two: the build checks a document's zh figures against its en ones (worker.py), and the records'
    English text is checked for Chinese punctuation (crossref.py). Every other difference is the Language's."""
    lines = [f"{p.relative_to(ROOT)}:{i}: {line.strip()}" for p in MODULES
             for i, line in enumerate(p.read_text("utf-8").splitlines(), 1) if LANGUAGE_BRANCH.search(line)]
    assert len(lines) <= 2, "\n".join(lines)


HAN = re.compile(r"[\u4e00-\u9fff]")


def _strings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_no_sentence_in_python_outside_error_messages():
    """A sentence: a capital, three or more words and a full stop, or Chinese with a full stop (。)."""
    english = re.compile(r"^[A-Z][a-z]+(?: [A-Za-z’'-]+){2,}[.!?]$")
    allowed = {"errors.py", "records/dataset.py", "records/yamlload.py", "records/rules.py", "records/loading.py",
               "fonts/faces.py", "cache.py", "render/parity.py", "writers/reference.py",
               "editing/workbook.py", "editing/figures_import.py"}  # messages to the editor, not documents
    assert all((PACKAGE / name).is_file() for name in allowed), [n for n in allowed if not (PACKAGE / n).is_file()]
    found = []
    for path in MODULES:
        name = path.relative_to(PACKAGE).as_posix()
        if name in allowed or name.startswith("cli/"):  # cli/: the commands' help and messages
            continue
        for line, text in _strings(path):
            if english.match(text.strip()) or (HAN.search(text) and "。" in text):
                found.append(f"{path.relative_to(ROOT)}:{line}: {text[:60]}")
    assert not found, "\n".join(found)
