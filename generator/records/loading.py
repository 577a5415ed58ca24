"""The load stage's first step: read each data file safely and turn it into a typed record.

A file is refused if it is a link or lies outside data/; YAML problems come from yamlload.py; a
record that does not fit its model (models.py) gets one diagnostic per failure, placed at the
file:line:col the failing value was read from. The cross-reference checks come after (crossref.py).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Diagnostic, Location, relpath
from .models import ID_PATTERN
from .yamlload import LoadedFile, load_yaml

# What a scaffold (`aidreport new`) puts where the editor must supply a value.
FILL_IN = "<fill in>"


class Loader:
    """Reads the data files of one project, keeping every problem and every file it read."""

    def __init__(self, root: Path):
        self.root = root
        self.data_dir = root / "data"
        self.problems: list[Diagnostic] = []
        self.files: dict[str, LoadedFile] = {}

    def load(self, path: Path) -> LoadedFile | None:
        """Read one YAML file with the place of every value, or report why it cannot be read."""
        rel = relpath(path, self.root)
        if path.is_symlink() or not path.resolve().is_relative_to(self.data_dir.resolve()):
            self.problems.append(Diagnostic(Location(rel), "data files may not be symbolic links or lie outside data/",
                                            "copy the file into data/"))
            return None
        loaded, errs = load_yaml(path, rel)
        self.problems.extend(errs)
        if loaded is not None:
            self.files[rel] = loaded
        return loaded


class Collector:
    """Collects diagnostics for one file, mapping data paths to line:col."""

    def __init__(self, loaded: LoadedFile, out: list[Diagnostic]):
        self.loaded = loaded
        self.out = out

    def at(self, path: tuple[Any, ...]) -> Location:
        return self.loaded.locate(path)

    def error(self, path: tuple[Any, ...], message: str, hint: str = "") -> None:
        self.out.append(Diagnostic(self.at(path), message, hint))


def validate(model: type[BaseModel], loaded: LoadedFile, out: list[Diagnostic]) -> Any:
    """Validate loaded data against model; report each failure at its place.

    A record still holding a scaffold's markers is reported as what is left to fill, one line per
    marker, and not validated further: its other problems are those of a record not yet written.
    """
    left = list(_left_to_fill(loaded.data, ()))
    if left:
        for path in left:
            out.append(Diagnostic(loaded.locate(path), f"{named_path(loaded.data, path)} is still to fill in",
                                  _fill_hint(model, path)))
        return None
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        split: set[tuple[Any, ...]] = set()  # figures a comma split into fields, each reported once
        for err in exc.errors():
            loc = tuple(err["loc"])
            path = tuple(p for p in loc if not (isinstance(p, str) and p in {"float", "int", "function-after"}))
            slip = _figure_slip(loaded.data, path, err)
            if slip:
                if path[:-1] not in split:
                    split.add(path[:-1])
                    out.append(Diagnostic(loaded.locate(slip[0]), slip[1], slip[2]))
                continue
            if err["type"] == "missing":
                where = loaded.locate(path[:-1])
                message = f"missing field '{path[-1]}'"
                hint = "add it (every text needs both zh and en)" if path[-1] in {"zh", "en"} else "add it"
                values = allowed_values(model, path)
                if values:
                    hint = "add it, one of: " + ", ".join(values)
            elif err["type"] == "extra_forbidden":
                where = loaded.locate(path + ("<key>",))
                message = f"unknown field '{path[-1]}'"
                hint = "check the spelling; see docs/data.md"
            else:
                where = loaded.locate(path)
                field_name = named_path(loaded.data, path) or "document"
                message = f"{field_name}: {_explain(err)}"
                hint = HINTS.get(err["type"], "")
            out.append(Diagnostic(where, message, hint))
        return None


def _left_to_fill(node: Any, path: tuple[Any, ...]):
    """Yield the path of every value that is still the scaffold's marker."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _left_to_fill(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _left_to_fill(value, path + (i,))
    elif node == FILL_IN:
        yield path


def _fill_hint(model: type[BaseModel], path: tuple[Any, ...]) -> str:
    field_name = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
    values = allowed_values(model, path)
    what = FILL_HINTS.get(field_name) or ("one of: " + ", ".join(values) if values else "")
    return f"replace {FILL_IN!r} with {what or 'its value'}; the comment above it explains the field"


FILL_HINTS = {
    "zh": "the text in Chinese",
    "en": "the text in English",
    "value": "the figure as a plain number (5.9亿 is 590000000)",
    "period": 'a period such as "2019", "2018H2" or "2016/"',
    "src": "the paragraph of the source it comes from",
    "printed": "the figure as the source printed it",
    "id": "an id: lowercase letters, digits and '-'",
    "places": "a place id of data/gazetteer.yaml",
    "doc": "a source id of data/series.yaml",
    "section": "the part of the source the facts come from (e.g. 金山区)",
    "relation": "east-west-cooperation or counterpart-support",
    "measure": "a measure id of data/measures.yaml, or delete the line",
    "date": 'a date: "2019", "2019-10" or "2019-10-13"',
    "release_date": 'the release date, "YYYY-MM-DD"',
}


def named_path(data: Any, path: tuple[Any, ...]) -> str:
    """Name a value by the nearest record or fact that has an id: luoping-firms.value, not blocks.1.items.2…"""
    name: list[str] = []
    node = data
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            node = None
        ident = node.get("id") if isinstance(node, dict) else None
        if isinstance(step, int) and isinstance(ident, str) and re.fullmatch(ID_PATTERN, ident):
            name = [node["id"]]
        else:
            name.append(str(step))
    return ".".join(name)


@cache
def _schema(model: type[BaseModel]) -> dict:
    return model.model_json_schema()


def allowed_values(model: type[BaseModel], path: tuple[Any, ...]) -> list[str]:
    """Return the values a field accepts, when they are a fixed list (from the model's JSON Schema)."""
    schema = _schema(model)
    defs = schema.get("$defs", {})

    def resolve(node: dict) -> dict:
        while True:
            if "$ref" in node:
                node = defs.get(node["$ref"].rsplit("/", 1)[-1], {})
            elif "anyOf" in node:
                node = next((n for n in node["anyOf"] if n.get("type") != "null"), {})
            else:
                return node

    node = resolve(schema)
    for step in path:
        node = resolve(node.get("items", {}) if isinstance(step, int) else node.get("properties", {}).get(step, {}))
    return [str(v) for v in node.get("enum", [])]


# A qualifier word written into a figure, and the qualifier it means.
QUALIFIER_WORDS = (("不超过", "up-to"), ("最多", "up-to"), ("以上", "at-least"), ("超过", "more-than"),
                   ("大约", "about"), ("约", "about"), ("近", "about"), ("余", "more-than"), ("多", "more-than"),
                   ("about", "about"), ("more than", "more-than"), ("over", "more-than"), ("at least", "at-least"),
                   ("up to", "up-to"))
SCALES = {"万": 10_000, "亿": 100_000_000}
NUMBER = re.compile(r"^[0-9][0-9,]*(?:\.[0-9]+)?$")
EXPONENT = re.compile(r"^[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+$")


def _figure_slip(data: Any, path: tuple[Any, ...], err: dict[str, Any]) -> tuple[tuple[Any, ...], str, str] | None:
    """Name a slip in writing a figure as what it is: (where, message, hint), or None.

    `value: 1,2345` inside a one-line {…} fact ends the value at the comma and makes '2345' a field; a
    qualifier word (约5000, 8000余) or a unit (5000万) in a value belongs in its own field or in the number.
    """
    if err["type"] == "extra_forbidden" and isinstance(path[-1], str) and path[-1].isdigit():
        owner = _node(data, path[:-1])
        if isinstance(owner, dict) and isinstance(owner.get("value"), (int, float)):
            digits = [str(k) for k in owner if isinstance(k, str) and k.isdigit()]
            shown = ",".join([str(owner["value"]), *digits])
            became = "a field name" if len(digits) == 1 else "field names"
            return (path[:-1] + ("value",), f"{named_path(data, path[:-1] + ('value',))}: a comma inside the figure "
                    f"{shown}: in a one-line {{…}} fact the comma ends the value, so "
                    f"{', '.join(repr(d) for d in digits)} became {became}",
                    f"write the figure without separators: value: {shown.replace(',', '')}")
    if path[-1:] not in (("value",), ("value_to",)) or not isinstance(err.get("input"), str):
        return None
    text = err["input"].strip()
    field, name = path[-1], named_path(data, path)
    if NUMBER.match(text) and "," in text:
        return (path, f"{name}: {text!r} has a comma", f"write the figure without separators: "
                f"{field}: {text.replace(',', '')}")
    if EXPONENT.match(text):  # YAML 1.1 reads 1e-06 as text: a float needs its dot (1.0e-06)
        return (path, f"{name}: {text!r} is written with an exponent, which YAML reads as text",
                f"write the plain number: {field}: {format(Decimal(text).normalize(), 'f')}")
    for word, qualifier in QUALIFIER_WORDS:
        if word in text:
            rest = text.replace(word, "").strip()
            number = _scaled(rest)
            plain = f"{field}: {number}" if number else f"{field} as a plain number"
            return (path, f"{name}: {text!r} holds the qualifier '{word}', which is a field of its own",
                    f"write {plain} and qualifier: {qualifier}")
    number = _scaled(text)
    if number:
        return (path, f"{name}: {text!r} holds the unit word '{text[-1]}'",
                f"write the whole number: {field}: {number}")
    return None


def _scaled(text: str) -> str:
    """The plain number a figure with 万 or 亿 stands for ('5000万' -> '50000000'), or '' when it is no number."""
    scale = SCALES.get(text[-1:], 1)
    digits = text[:-1] if scale != 1 else text
    if not NUMBER.match(digits):
        return ""
    number = Decimal(digits.replace(",", "")) * scale
    return format(number.normalize(), "f")


def _node(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _explain(err: dict[str, Any]) -> str:
    msg = err["msg"]
    if err["type"] == "string_pattern_mismatch":
        return f"{err['input']!r} is not a valid id or value here"
    if err["type"].endswith("_type"):
        return f"{msg} (got {type(err['input']).__name__} {_short(err['input'])})"
    return msg.removeprefix("Value error, ")


# What to do about a failure, by pydantic's error type.
HINTS = {
    "model_type": "a record is a mapping of fields (id:, place:, …), not a list or a single value",
    "string_pattern_mismatch": "ids are lowercase ASCII letters, digits and '-'",
    "literal_error": "use one of the listed values",
    "float_type": "write the number without units or Chinese numerals, e.g. 590000000",
    "int_type": "write the number without units or Chinese numerals, e.g. 590000000",
    "string_type": "quote the value to make it text",
    "string_too_short": "write the text or remove the field",
    "string_too_long": "shorten it",
}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
