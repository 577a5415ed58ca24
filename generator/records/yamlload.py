"""Read one YAML file safely into plain data plus the line and column of every value."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Diagnostic, Location

# Limits that keep a hostile file from exhausting the machine.
MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64

Path_ = tuple[Any, ...]


@dataclass
class LoadedFile:
    """The data of one file and where each value stood in it."""

    path: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    source: Path | None = None  # the file itself, read again only to place a reported character
    # After shrink(): every character the file could print, each once, in code point order.
    chars: str = ""

    def shrink(self) -> None:
        """Keep only the characters the file could print; drop data and marks.

        A set of characters is all the glyph check needs; where a character stands is looked up again
        (place_of) only when one is reported, so a large corpus does not hold a place per character.
        """
        if self.data is None:
            return
        self.chars = "".join(sorted({ch for _, text in _printed(self.data) for ch in text}))
        self.data = None
        self.marks = {}

    def place_of(self, ch: str) -> Location:
        """Return where the first printed value holding ch stands, reading the file again."""
        if self.source is not None:
            again, _ = load_yaml(self.source, self.path)
            if again is not None:
                for path, text in _printed(again.data):
                    if ch in text:
                        return again.locate(path)
        return Location(self.path)

    def locate(self, path: Path_) -> Location:
        """Return the location of the value at path, or of its nearest ancestor."""
        path = tuple(path)
        while path:
            if path in self.marks:
                line, col = self.marks[path]
                return Location(self.path, line, col)
            path = path[:-1]
        line, col = self.marks.get((), (1, 1))
        return Location(self.path, line, col)


# libyaml's parser when PyYAML has it (ten times faster), the pure-Python one otherwise; same nodes, same marks.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """Safe loader that keeps plain strings for dates (ISO dates stay text until validated)."""


# Dates and times stay strings: validation decides their meaning, not the YAML resolver.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

class _PyLoader(yaml.SafeLoader):
    """The pure-Python parser, for its clearer messages on a syntax error."""


_PyLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _compose(loader_class, text: str):
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


_SCALARS = yaml.SafeLoader("")  # only its scalar constructors are used

_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


NOT_PRINTED = {"note", "src", "printed", "why", "used", "replaced", "by"}  # kept for provenance, never printed


def _printed(data: Any):
    """Yield (path, text) for every string a document could print."""
    for path, text in _strings(data, ()):
        if not (path and path[-1] in NOT_PRINTED):
            yield path, text


def _strings(data: Any, path: Path_):
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, path + (i,))


def _loc(rel: str, mark: Any) -> Location:
    return Location(rel, mark.line + 1, mark.column + 1)


def load_yaml(path: Path, rel: str) -> tuple[LoadedFile | None, list[Diagnostic]]:
    """Load path; return the file and no diagnostics, or None and every problem found."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(Location(rel), f"cannot read file: {exc.strerror}")]
    if len(raw) > MAX_BYTES:
        return None, [
            Diagnostic(
                Location(rel),
                f"file is {len(raw):,} bytes, more than the {MAX_BYTES:,} a record may have",
                "split it or remove what does not belong",
            )
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [
            Diagnostic(Location(rel), "file starts with a byte-order mark", "save it as UTF-8 without BOM")
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [
            Diagnostic(Location(rel, line, col), f"invalid UTF-8 byte 0x{raw[exc.start]:02x}", "save the file as UTF-8")
        ]
    for lineno, line_text in enumerate(text.split("\n"), 1):
        stripped = line_text.lstrip(" ")
        if stripped.startswith("\t"):
            col = len(line_text) - len(stripped) + 1
            return None, [
                Diagnostic(Location(rel, lineno, col), "tab used for indentation", "indent with spaces")
            ]
    try:
        node = _compose(_Loader, text)
    except yaml.YAMLError:
        return None, [_syntax_error(text, rel)]
    if node is None:
        return None, [Diagnostic(Location(rel), "file is empty", "remove it or add its record")]
    loaded = LoadedFile(rel, None, source=path)
    problems: list[Diagnostic] = []
    data = _convert(node, (), loaded, problems, depth=0, budget=[MAX_NODES])
    if problems:
        return None, problems
    loaded.data = data
    return loaded, []


def _syntax_error(text: str, rel: str) -> Diagnostic:
    """Say where and why libyaml refused a file: parse it again with the pure-Python parser, whose
    messages say what it found; a character YAML refuses and nesting too deep to parse are found first."""
    try:
        _compose(_PyLoader, _depth_checked(text, rel))
    except _TooDeep as exc:
        return exc.diagnostic
    except yaml.reader.ReaderError as exc:
        where = Location(rel, text.count("\n", 0, exc.position) + 1, exc.position - text.rfind("\n", 0, exc.position))
        return Diagnostic(where, f"character U+{exc.character:04X} is not allowed in YAML",
                          "remove control, formatting or private-use characters")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _loc(rel, mark) if mark else Location(rel)
        problem = (exc.problem or exc.context or "YAML syntax error").strip()
        return Diagnostic(where, f"YAML syntax error: {problem}", "check indentation, colons and quotes")
    except yaml.YAMLError as exc:
        return Diagnostic(Location(rel), f"YAML error: {exc}")
    return Diagnostic(Location(rel), "YAML error", "check the file's syntax")


class _TooDeep(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic


def _too_deep(rel: str, line: int, col: int) -> Diagnostic:
    return Diagnostic(Location(rel, line, col), f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")


def _depth_checked(text: str, rel: str) -> str:
    """Return text, or raise _TooDeep where it nests deeper than MAX_DEPTH (which the pure-Python parser
    would meet by recursing until Python's limit): indented blocks and `- ` items, then [ and {.
    Quoted strings and comments are skipped."""
    flow, quote, blocks = 0, "", []  # blocks: the indents of the open block collections
    for lineno, line in enumerate(text.split("\n"), 1):
        body = line.lstrip(" ")
        if not flow and not quote and body and not body.startswith("#"):
            indent = len(line) - len(body)
            while blocks and blocks[-1] >= indent:
                blocks.pop()
            blocks.append(indent)
            while body.startswith("- "):  # items of items on one line: a level each
                indent, body = indent + 2, body[2:].lstrip(" ")
                blocks.append(indent)
            if len(blocks) - 1 > MAX_DEPTH:  # the top level is depth 0
                raise _TooDeep(_too_deep(rel, lineno, indent + 1))
        prev = " "
        for col, ch in enumerate(line, 1):
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "'\"" and prev in " \t[{,:-":
                quote = ch
            elif ch == "#" and prev in " \t":
                break
            elif ch in "]}":
                flow = max(flow - 1, 0)
            elif ch in "[{":
                flow += 1
            if flow + len(blocks) - 1 > MAX_DEPTH:
                raise _TooDeep(_too_deep(rel, lineno, col))
            prev = ch
    return text


def _convert(node, path: Path_, out: LoadedFile, problems: list[Diagnostic], depth: int, budget: list[int]) -> Any:
    """Turn a composed node into plain data, refusing what a record must never hold."""
    out.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    budget[0] -= 1
    if budget[0] < 0:
        if budget[0] == -1:
            problems.append(
                Diagnostic(_loc(out.path, node.start_mark), "file expands to too many values (alias bomb?)",
                           "remove repeated aliases")
            )
        return None
    if depth > MAX_DEPTH:
        problems.append(_too_deep(out.path, node.start_mark.line + 1, node.start_mark.column + 1))
        return None
    if node.tag not in _ALLOWED_TAGS:
        problems.append(
            Diagnostic(_loc(out.path, node.start_mark), f"tag {node.tag!r} is not allowed",
                       "records hold plain text, numbers, lists and mappings only")
        )
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Diagnostic(_loc(out.path, key_node.start_mark), "a mapping key must be plain text"))
                continue
            key = key_node.value
            if key == "<<":
                problems.append(Diagnostic(_loc(out.path, key_node.start_mark), "merge keys ('<<') are not allowed",
                                           "write the keys out"))
                continue
            if key in result:
                first = out.marks[path + (key,)]
                problems.append(
                    Diagnostic(_loc(out.path, key_node.start_mark),
                               f"duplicate key {key!r} (first at line {first[0]})", "keep only one of them")
                )
                continue
            result[key] = _convert(value_node, path + (key,), out, problems, depth + 1, budget)
            out.marks[path + (key,)] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
            out.marks[path + (key, "<key>")] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(child, path + (i,), out, problems, depth + 1, budget) for i, child in enumerate(node.value)
        ]
    constructor = yaml.SafeLoader.yaml_constructors[node.tag]
    try:
        return constructor(_SCALARS, node)
    except (ValueError, yaml.YAMLError) as exc:
        problems.append(Diagnostic(_loc(out.path, node.start_mark), f"bad value: {exc}"))
        return None
