"""Render: a kind's view through its templates into one document's HTML."""
