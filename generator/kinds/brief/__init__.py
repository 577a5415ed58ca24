"""The comparison brief: its kind (kind.py), the indicator table and rankings (comparison.py), its findings, its charts, and the child process that draws them (offload.py)."""
