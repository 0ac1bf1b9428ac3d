"""The run command and standalone Voila.

Serving the notebooks on loopback, and the per-browser person."""
