"""The load-and-check stage, the first half of every build: `load_dataset` reads data/ into a Dataset.

Its parts, in the order a build meets them:
- loading.py reads each file safely and validates it against its model (models.py), placing every
  failure at file:line:col;
- crossref.py checks each record against the gazetteer, the glossary, the measures and itself, and
  rules.py the numbers of its facts;
- lookups.py holds the result: the Dataset object and its lookups, which every later stage reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel

from .crossref import check_catalog, check_district, check_event, check_series, index_core
from ..errors import DataError, Diagnostic, Location, relpath
from .loading import Collector, Loader, validate
from .lookups import Dataset
from .overrides import load_overrides
from .models import Catalog, District, Event, Gazetteer, Glossary, Publication, Series
from .yamlload import LoadedFile

PUBLISHED = "published"  # data/published/: the publication records (aidreport publish), corrections are made against

# The files every project has, in the order they are read; the records of each are what the others check against.
CORE: tuple[tuple[str, type[BaseModel]], ...] = (("series", Series), ("gazetteer", Gazetteer),
                                                   ("glossary", Glossary), ("measures", Catalog))


def load_dataset(root: Path) -> Dataset:
    """Load and check data/ under root; raise DataError listing every problem.

    Records are read one at a time and checked as they come; each file's raw data and marks are
    dropped once it is checked, so memory stays near the size of the typed records however many
    districts there are.
    """
    loader = Loader(root)
    core, models = _load_core(loader)
    dataset = None
    if all(models.get(name) is not None for name, _ in CORE):
        dataset = index_core(loader, models["series"], models["gazetteer"], models["glossary"], core)
        check_catalog(dataset, models["measures"], core["measures"], loader.problems)
        for name in ("gazetteer", "glossary", "measures"):
            core[name].shrink()
    districts, district_files = _load_records(loader, "districts", District, "record", check_district, dataset)
    if dataset is not None:
        dataset.districts, dataset.district_files = districts, district_files
    events, event_files = _load_records(loader, "events", Event, "event", check_event, dataset)
    if dataset is None:
        raise DataError(loader.problems)
    dataset.events, dataset.event_files = events, event_files
    check_series(dataset, core["series"], loader.problems)
    core["series"].shrink()
    dataset.publication, dataset.publication_file = _load_publication(loader)
    dataset.overrides = load_overrides(loader, dataset)
    if loader.problems:
        raise DataError(loader.problems)
    return dataset


def _load_core(loader: Loader) -> tuple[dict[str, LoadedFile], dict[str, Any]]:
    """Read and validate the four core files; return the files read and the records that validated."""
    core: dict[str, LoadedFile] = {}
    models: dict[str, Any] = {}
    for name, model in CORE:
        path = loader.data_dir / f"{name}.yaml"
        if not path.exists():
            loader.problems.append(Diagnostic(
                Location(relpath(path, loader.root)), f"missing data file {name}.yaml",
                "every project has data/series.yaml, gazetteer.yaml, glossary.yaml and measures.yaml"))
            continue
        loaded = loader.load(path)
        if loaded is not None:
            core[name] = loaded
            models[name] = validate(model, loaded, loader.problems)
    return core, models


def _load_records(loader: Loader, folder: str, model: type[BaseModel], kind: str,
                  check: Callable[[Dataset, Any, LoadedFile, list[Diagnostic]], None],
                  dataset: Dataset | None) -> tuple[dict[str, Any], dict[str, str]]:
    """Load, validate and check each record of a folder, one at a time, keeping only the typed record.

    Return the records by id and the file each came from. Without a dataset (a core file failed) the
    records are only validated.
    """
    found: dict[str, Any] = {}
    where: dict[str, str] = {}
    directory = loader.data_dir / folder
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        loaded = loader.load(path)
        if loaded is None:
            continue
        record = validate(model, loaded, loader.problems)
        if record is not None and record.id != path.stem:
            Collector(loaded, loader.problems).error(
                ("id",), f"{kind} id '{record.id}' does not match the file name '{path.name}'",
                f"rename the file to {record.id}.yaml or change the id")
        elif record is not None:
            found[record.id] = record
            where[record.id] = loaded.path
            if dataset is not None:
                check(dataset, record, loaded, loader.problems)
        loaded.shrink()
    return found, where


def _load_publication(loader: Loader) -> tuple[Publication | None, str | None]:
    """Read the latest publication record (data/published/<date>.yaml), which corrections are made against."""
    records = sorted((loader.data_dir / PUBLISHED).glob("*.yaml"))
    if not records:
        return None, None
    loaded = loader.load(records[-1])
    if loaded is None:
        return None, None
    publication = validate(Publication, loaded, loader.problems)
    if publication is not None and f"{publication.date}.yaml" != records[-1].name:
        Collector(loaded, loader.problems).error(("date",), f"date '{publication.date}' does not match the file name "
                                                 f"'{records[-1].name}'", "record it again with `aidreport publish`")
    loaded.shrink()
    return publication, loaded.path
