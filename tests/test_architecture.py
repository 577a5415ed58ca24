"""The code's shape: stages without import cycles, modules a newcomer can read, no language switches,
no sentences in Python. These parse the source; they do not run it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "generator"
MODULES = sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Every module's imports of the package's own modules: at the top, in functions, under TYPE_CHECKING."""
    names = {_name(p) for p in MODULES}
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        me = _name(path)
        package = me if path.name == "__init__.py" else me.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package
                for _ in range(max(node.level - 1, 0)):
                    base = base.rpartition(".")[0]
                module = f"{base}.{node.module}" if node.level and node.module else (node.module or base)
                targets = [module] + [f"{module}.{a.name}" for a in node.names]
            for target in targets:
                if target in names and target != me:
                    found.add(target)
        graph[me] = found
    return graph


def test_no_import_cycle():
    graph = imports()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(path[path.index(nxt):] + [nxt]) if nxt in path else f"{node} -> {nxt}")
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_graph_sees_function_level_imports():
    # A check that could not fail would be worse than none: the build imports the writers in functions.
    assert "generator.writers" in imports()["generator.build"]


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


LANGUAGE_BRANCH = re.compile(r"""lang(?:\.code|uage)?\s*[!=]=\s*["'](?:zh|en)["']|\bif zh\b|\bzh else\b|== ["']zh["']""")


def test_at_most_twelve_lines_branch_on_the_language():
    lines = [f"{p.relative_to(ROOT)}:{i}: {line.strip()}" for p in MODULES
             for i, line in enumerate(p.read_text("utf-8").splitlines(), 1) if LANGUAGE_BRANCH.search(line)]
    assert len(lines) <= 12, "\n".join(lines)


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
    allowed = {"errors.py", "cli.py", "dataset.py", "yamlload.py", "rules.py", "fonts.py", "cache.py", "parity.py",
               "check.py", "validate.py", "loading.py", "reference.py"}  # messages to the editor, not documents
    found = []
    for path in MODULES:
        if path.name in allowed:
            continue
        for line, text in _strings(path):
            if english.match(text.strip()) or (HAN.search(text) and "。" in text):
                found.append(f"{path.relative_to(ROOT)}:{line}: {text[:60]}")
    assert not found, "\n".join(found)
