"""The toolkit on JupyterHub: what a person's server may do, and whose account it runs under.

- :mod:`toolkit.hub.authorizer` decides each request a person's server is asked to serve
  (JupyterHub's scopes first, then: Voilà's pages and their own kernels, nothing else);
- :mod:`toolkit.hub.guard` refuses every address outside the few Voilà's pages use, before any
  handler runs, so a handler that never asks the authorizer is refused too;
- :mod:`toolkit.hub.server` is the command line of a person's server (the settings above, and the
  kernel messages a page may send);
- :mod:`toolkit.hub.spawner` starts each person's server under a system account of their own.
"""
