"""Output writers, one small class per format, picked from a plain registry."""

from __future__ import annotations

from .base import Writer, registry

__all__ = ["Writer", "registry"]
