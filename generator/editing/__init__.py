"""The editor's tools: figures workbook, diff, publish, scaffolds and the preview server."""
