"""Change a fact's value, qualifier or period in a record's text, touching nothing else.

The record is parsed again to find where each value stands (start and end of its node), and only
those characters are replaced: comments, order, quoting, flow style and every other line keep
their bytes. A value added to a fact that had none goes just before its unit, in the fact's own
style; a value removed takes its key with it. The edited text is read back and must give the
old data with exactly the new values, or nothing is written.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..records.lookups import Dataset
from ..records.yamlload import load_yaml

# libyaml's parser when PyYAML has it (its marks count characters too, as the pure-Python one's do).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Change:
    """One field of one fact, as the record holds it and as it will."""

    record: str  # the district or event id, or "series"
    fact: str
    field: str  # value, qualifier or period
    old: Any
    new: Any


class EditFailed(Exception):
    """The edited text does not read back as intended: a bug, never the user's mistake."""


def file_of(ds: Dataset, record: str) -> str:
    """Return the data file (relative to the project) that holds a record's facts."""
    if record in ds.district_files:
        return ds.district_files[record]
    if record in ds.event_files:
        return ds.event_files[record]
    return "data/series.yaml"


def apply_changes(root: Path, ds: Dataset, changes: list[Change]) -> dict[str, str]:
    """Return the new text of every file the changes touch, each verified by reading it back."""
    by_file: dict[str, list[Change]] = {}
    for change in changes:
        by_file.setdefault(file_of(ds, change.record), []).append(change)
    return {rel: edit_text(root / rel, rel, found) for rel, found in by_file.items()}


def edit_text(path: Path, rel: str, changes: list[Change]) -> str:
    """Return the text of path with the changes made in place, verified by reading it back."""
    text = path.read_text(encoding="utf-8")
    facts = _fact_nodes(yaml.compose(text, Loader=_Loader))
    spans: list[tuple[int, int, str]] = []
    for change in changes:
        spans.append(_span(facts[change.fact], change.field, change.new, text))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    _verify(path, rel, text, changes)
    return text


def _fact_nodes(node: Any) -> dict[str, yaml.MappingNode]:
    """Return every fact mapping of a record by id: the items of any `facts:` list, at any depth."""
    found: dict[str, yaml.MappingNode] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "facts" and isinstance(value, yaml.SequenceNode):
                for fact in value.value:
                    ident = _get(fact, "id")
                    if ident is not None:
                        found[ident[1].value] = fact
            found.update(_fact_nodes(value))
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            found.update(_fact_nodes(child))
    return found


def _get(mapping: Any, name: str) -> tuple[Any, Any] | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    return next(((k, v) for k, v in mapping.value if k.value == name), None)


def _span(fact: yaml.MappingNode, name: str, new: Any, text: str) -> tuple[int, int, str]:
    """Return (start, end, replacement) that sets one field of a fact mapping."""
    pair = _get(fact, name)
    if new is None:  # the figure was not reported: the key goes
        assert pair is not None and name == "value"
        return _removal(fact, pair)
    if pair is not None:
        key, value = pair
        return (value.start_mark.index, value.end_mark.index,
                _scalar(name, new, value.value, text[value.start_mark.index]))
    anchor = _get(fact, "unit")[0]  # every fact has a unit; a new value goes just before it
    written = f"{name}: {_scalar(name, new, '', '')}"
    if fact.flow_style:
        return anchor.start_mark.index, anchor.start_mark.index, written + ", "
    return anchor.start_mark.index, anchor.start_mark.index, written + "\n" + " " * anchor.start_mark.column


def _removal(fact: yaml.MappingNode, pair: tuple[Any, Any]) -> tuple[int, int, str]:
    """Return the span that removes a key and its value (with the separator before the next key)."""
    keys = [k for k, _ in fact.value]
    at = keys.index(pair[0])
    if at + 1 < len(keys):
        return pair[0].start_mark.index, keys[at + 1].start_mark.index, ""
    return fact.value[at - 1][1].end_mark.index, pair[1].end_mark.index, ""


def _scalar(name: str, new: Any, old: str, quote: str) -> str:
    """Write a value as YAML: 12345 (not 12345.0); a period quoted where it must be, or where the file chose to."""
    if name == "value":
        if float(new).is_integer():
            return str(int(new))
        shown = repr(float(new))
        return shown if "e" not in shown else f"{new:.15f}".rstrip("0")
    if name != "period":
        return str(new)
    if quote in ("'", '"') and (_needs_quotes(new) or not _needs_quotes(old)):
        return f"{quote}{new}{quote}"  # the file quotes this period: so does the new one
    return f'"{new}"' if _needs_quotes(new) else new


def _needs_quotes(text: str) -> bool:
    """Whether YAML would read the text, written plain, as something else (2019 as a number)."""
    try:
        return any(yaml.safe_load(form)["k"] != text for form in (f"k: {text}", f"{{k: {text}}}"))
    except yaml.YAMLError:
        return True


def _verify(path: Path, rel: str, text: str, changes: list[Change]) -> None:
    """Read the edited text back: it must be the old data with exactly the new values."""
    before, _ = load_yaml(path, rel)
    with tempfile.TemporaryDirectory(prefix="aidreport-edit-") as folder:
        tmp = Path(folder) / path.name
        tmp.write_text(text, encoding="utf-8")
        after, _ = load_yaml(tmp, rel)
    if before is None or after is None:
        raise EditFailed(f"{rel}: the edited record does not read back")
    expected = before.data
    for change in changes:
        fact = _fact_data(expected)[change.fact]
        if change.new is None:
            fact.pop(change.field, None)
        else:
            fact[change.field] = change.new
    if _plain(expected) != _plain(after.data):
        raise EditFailed(f"{rel}: the edited record does not read back as intended")


def _fact_data(data: Any) -> dict[str, dict]:
    """Return every fact mapping of loaded data by id (as _fact_nodes does for nodes)."""
    found: dict[str, dict] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "facts" and isinstance(value, list):
                found.update({f["id"]: f for f in value if isinstance(f, dict) and "id" in f})
            found.update(_fact_data(value))
    elif isinstance(data, list):
        for child in data:
            found.update(_fact_data(child))
    return found


def _plain(data: Any) -> Any:
    """Return data with numbers as floats and years as text, as the models read them."""
    if isinstance(data, dict):
        return {k: (str(v) if k == "period" and isinstance(v, int) else _plain(v)) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        return float(data)
    return data


def write_files(root: Path, files: dict[str, str]) -> None:
    """Replace each file whole (written beside it, then renamed into place)."""
    for rel, text in files.items():
        path = root / rel
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(text.encode("utf-8"))
        os.replace(tmp, path)
