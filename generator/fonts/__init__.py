"""Fonts: the faces the documents embed, prepared once and kept in the cache."""
