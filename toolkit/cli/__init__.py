"""The command line: ``python -m toolkit``."""
