"""What every stage after the check shares: where the project is, where output goes, the prepared fonts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .cache import Cache
from .fonts.faces import Face, font_face_css, prepare_fonts

if TYPE_CHECKING:
    from .records.lookups import Dataset


@dataclass
class BuildContext:
    """One object passed through the build: where things are and what the fonts are."""

    root: Path
    output: Path
    faces: list[Face]
    font_css: str
    fetch_roots: list[Path]
    dataset: Dataset | None = None
    chart_fonts: list[Path] = field(default_factory=list)


def make_context(root: Path, output: Path, dataset: Dataset | None = None,
                 on_prepare: Callable[[], None] | None = None) -> BuildContext:
    """Prepare the fonts (lean static faces for the project's characters, from the user's cache)."""
    cache = Cache()
    faces = prepare_fonts(root, cache, on_prepare)
    # Charts use the lean faces too: matplotlib keeps a font file it measures with in memory.
    return BuildContext(root, output, faces, font_face_css(faces), [root / "templates", root / "data", cache.folder],
                        dataset, [face.path for face in faces])


def fonts_key(ctx: BuildContext) -> str:
    return ",".join(face.path.stem for face in ctx.faces)
