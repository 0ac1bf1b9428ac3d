"""Signs of Safety practice toolkit: collaborative case audit and reflective supervision."""

__version__ = "0.1.0"
