"""The run command and standalone Voila: serving the notebooks on loopback, the per-browser person."""
