"""The command line: one module per command group, each calling one library function."""
