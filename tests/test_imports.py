"""The toolkit's modules import each other without a cycle, counting every import in a file.

Imports inside functions and under TYPE_CHECKING count too: a cycle there still ties two modules
together. Read with ast, so nothing is imported to check it.
"""

from __future__ import annotations

import ast

from conftest import ROOT

PACKAGE = ROOT / "generator"


def _modules() -> dict[str, tuple[ast.Module, str]]:
    """Return every module of the package by dotted name, with its syntax tree and its package."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        package = ".".join(parts[:-1])
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = (ast.parse(path.read_text(encoding="utf-8")), package)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for name, (tree, package) in modules.items():
        targets = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([node.module] if node.module else []))
                targets.add(base)
                targets.update(f"{base}.{alias.name}" for alias in node.names)  # from . import module
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one cycle of the graph as a path of modules, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_in_the_toolkit():
    graph = _graph()
    assert "generator.writers.pdf" in graph and graph["generator.writers.pdf"]  # the imports were read
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_a_cycle_is_found():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


# The stages, lowest first: a module imports only from its own stage or a lower one. The shared modules at the
# top of the package sit where what they import puts them (context holds the fonts and the dataset). The
# renderer sits below the kinds: a kind's view is rendered through it (Kind.render calls it).
STAGES = ("generator", "errors", "hashing", "figures", "processes", "memory", "cache", "records", "words", "fonts", "context", "view",
          "render", "kinds", "editions", "writers", "build", "editing", "cli", "__main__")


def _stage(module: str) -> int:
    parts = module.split(".")
    return STAGES.index(parts[1] if len(parts) > 1 else parts[0])


def test_every_module_is_in_a_declared_stage():
    unknown = sorted(m for m in _graph() if m != "generator" and m.split(".")[1] not in STAGES)
    assert not unknown, f"modules outside the stages of STAGES: {unknown}"


def _upward(graph: dict[str, set[str]]) -> list[str]:
    return [f"{a} ({STAGES[_stage(a)]}) imports {b} ({STAGES[_stage(b)]})"
            for a, targets in sorted(graph.items()) for b in sorted(targets) if _stage(b) > _stage(a)]


def test_no_import_goes_up_a_stage():
    upward = _upward(_graph())
    assert not upward, "\n".join(upward)


def test_an_upward_import_is_found():
    graph = {"generator.records.crossref": {"generator.words.numbers", "generator.records.rules"},
             "generator.words.numbers": {"generator.records.models"}}
    assert _upward(graph) == ["generator.records.crossref (records) imports generator.words.numbers (words)"]


def _defined(tree: ast.Module) -> set[str]:
    """The names a module defines at its top level (functions, classes, assignments), under any if or try."""
    names: set[str] = set()
    for node in tree.body:
        for sub in ast.walk(node) if isinstance(node, (ast.If, ast.Try)) else [node]:
            if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(sub.name)
            elif isinstance(sub, ast.Assign):
                for target in sub.targets:
                    names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
            elif isinstance(sub, ast.AnnAssign) and isinstance(sub.target, ast.Name):
                names.add(sub.target.id)
    return names


def _re_exports(modules: dict[str, tuple[ast.Module, str]]) -> list[str]:
    """Every `from M import name` of the package where M does not define name itself (nor is name a module)."""
    defined = {name: _defined(tree) for name, (tree, _) in modules.items()}
    found = []
    for name, (tree, package) in modules.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            if base not in modules:
                continue
            for alias in node.names:
                if alias.name not in defined[base] and f"{base}.{alias.name}" not in modules:
                    found.append(f"{name}:{node.lineno}: {alias.name} from {base}, which does not define it")
    return found


def test_no_module_re_exports_a_name_defined_elsewhere():
    found = _re_exports(_modules())
    assert not found, "import each name from the module that defines it:\n" + "\n".join(found)


def test_a_re_export_is_found():
    lower = ast.parse("class Dataset: pass\n")
    middle = ast.parse("from .lower import Dataset\n")
    user = ast.parse("from .middle import Dataset\nfrom .lower import Dataset\n")
    modules = {"p.lower": (lower, "p"), "p.middle": (middle, "p"), "p.user": (user, "p")}
    assert _re_exports(modules) == ["p.user:1: Dataset from p.middle, which does not define it"]


def test_at_most_twelve_modules_at_the_top_of_the_package():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top
    assert all((p / "__init__.py").is_file() for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__")
