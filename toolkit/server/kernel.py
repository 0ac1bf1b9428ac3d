"""The kernel Voilà starts for each page: ipykernel, with an iopub queue that never drops.

ZeroMQ's publish socket drops messages once 1,000 are queued for a subscriber that is slow to
read (its default high-water mark). One screen drawn at once is a burst of many small widget
messages (the calibration learner's case file and 20 scales is about 1,500), and on a busy
machine jupyter-server can fall behind by that much: the page then misses a widget's
``comm_open``, the box that holds it can never show ("widget model not found"), and what the
person clicked seems to do nothing. Voilà #534 found the same. The kernel's queue is therefore
unbounded (``SNDHWM`` 0): a burst waits in the kernel's memory until the server has read it.

The queue only holds messages the server has not read yet: Voilà closes its own client's
channels once the notebook has run, and jupyter-server reads every connected page's channel.

Started by the kernel specification beside this module's template folder
(``share/jupyter/kernels/python3/kernel.json``, found through ``JUPYTER_PATH``) and by the
Hub's (``deploy/jupyterhub/install.sh``).
"""

from __future__ import annotations

from typing import Any

import zmq
from ipykernel.kernelapp import IPKernelApp

#: ZeroMQ's high-water mark for the kernel's iopub socket: 0 is no limit.
IOPUB_HIGH_WATER_MARK = 0


class ToolkitKernelApp(IPKernelApp):
    """ipykernel's application, its iopub socket made with no high-water mark."""

    def init_iopub(self, context: zmq.Context[Any]) -> None:
        # a context's socket options apply to the sockets it makes from then on: the iopub
        # socket is made, and bound, inside IPKernelApp.init_iopub
        context.setsockopt(zmq.SNDHWM, IOPUB_HIGH_WATER_MARK)
        try:
            super().init_iopub(context)
        finally:
            context.sockopts.pop(zmq.SNDHWM, None)


def main() -> None:
    ToolkitKernelApp.launch_instance()


if __name__ == "__main__":
    main()
