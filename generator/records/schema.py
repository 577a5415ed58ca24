"""JSON Schemas of the data files, generated from the pydantic models (`aidreport schema`).

Every data file starts with `# yaml-language-server: $schema=…`, so VS Code's YAML extension
completes fields and allowed values and flags mistakes as the editor types. The check stage stays
the authority (it also checks references and rules); the schema is the editor's first help.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .models import Catalog, District, Event, Gazetteer, Glossary, Publication, Series
from .overrides import OverridesFile

# schema file name -> (model, the data files it describes, as globs under data/)
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "series": (Series, "series.yaml"),
    "gazetteer": (Gazetteer, "gazetteer.yaml"),
    "glossary": (Glossary, "glossary.yaml"),
    "measures": (Catalog, "measures.yaml"),
    "district": (District, "districts/*.yaml"),
    "event": (Event, "events/*.yaml"),
    "publication": (Publication, "published/*.yaml"),
    "overrides": (OverridesFile, "overrides/*/*.yaml"),  # data/overrides/<folder>/<name>.yaml, as the preview writes
}
FOLDER = "schemas"


def schema_of(model: type[BaseModel], name: str) -> dict:
    body = model.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"aidreport/{name}.schema.json",
            **body}


def render(name: str) -> str:
    model, _ = SCHEMAS[name]
    return json.dumps(schema_of(model, name), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_schemas(root: Path) -> list[Path]:
    """Write schemas/<name>.schema.json for every kind of data file; return the files that changed."""
    folder = root / FOLDER
    folder.mkdir(exist_ok=True)
    changed = []
    for name in SCHEMAS:
        path = folder / f"{name}.schema.json"
        text = render(name)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def modeline(root: Path, data_file: Path) -> str:
    """Return the first line a data file carries: where its schema is, relative to the file."""
    rel = data_file.relative_to(root / "data")
    for name, (_, pattern) in SCHEMAS.items():
        if rel.match(pattern):
            up = "../" * len(rel.parts)
            return f"# yaml-language-server: $schema={up}{FOLDER}/{name}.schema.json"
    raise KeyError(str(rel))
