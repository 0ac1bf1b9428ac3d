"""The command line of a person's server on the Hub: Voilà only, the apps only.

Used by ``deploy/jupyterhub/jupyterhub_config.py`` as ``c.Spawner.args``.
"""

from __future__ import annotations

from toolkit.server import serve

#: What a page may send on its kernel's websocket: standalone Voilà's own list (``voila/app.py``,
#: ``allowed_message_types``), widget messages and kernel information. Nothing else reaches the
#: kernel: an ``execute_request``, ``debug_request`` or ``interrupt_request`` is dropped (and
#: logged) by jupyter-server's kernel manager.
ALLOWED_MESSAGE_TYPES = (
    "comm_open",
    "comm_close",
    "comm_msg",
    "comm_info_request",
    "kernel_info_request",
    "shutdown_request",
)

#: The server extensions a person's server loads: Voilà, and the guard in front of it.
EXTENSIONS = {
    "jupyterlab": False,
    "notebook_shim": False,
    "jupyter_lsp": False,
    "jupyter_server_terminals": False,
    "toolkit.hub.guard": True,
    "voila.server_extension": True,
}


def person_server_args() -> list[str]:
    """Options of ``jupyterhub-singleuser`` (full ``Class.trait`` names) for a person's server."""
    return [
        *serve.voila_settings(),  # no code, no tracebacks, no overrides, idle kernels culled
        # Voilà only: no JupyterLab, no terminals, no file browser; the guard refuses the rest
        f"--ServerApp.jpserver_extensions={EXTENSIONS!r}",
        "--ServerApp.reraise_server_extension_failures=True",  # no guard, no server
        "--ServerApp.terminals_enabled=False",
        # the Hub's scope check, then only Voilà's pages and their own kernels
        "--ServerApp.authorizer_class=toolkit.hub.authorizer.AppsOnlyAuthorizer",
        # a page's kernel takes widget messages only, as under standalone Voilà
        *(f"--MappingKernelManager.allowed_message_types={kind}" for kind in ALLOWED_MESSAGE_TYPES),
        # a person's server with no kernel left for an hour stops itself (kernels are culled)
        "--ServerApp.shutdown_no_activity_timeout=3600",
    ]
