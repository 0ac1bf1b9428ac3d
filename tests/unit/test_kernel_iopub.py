"""The page's kernel never drops a widget message: a burst larger than ZeroMQ's default queue
of 1,000, sent while nobody reads, arrives whole (toolkit/server/kernel.py)."""

from __future__ import annotations

import os
import queue
import time

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from toolkit.server.serve import REPO_DIR, with_template

#: Far more than the 1,000 messages ZeroMQ queues by default, each the size of a small widget
#: message, so that what the loopback connection's buffers hold cannot hide a drop.
BURST = 30_000

SEND = f"""
kernel = get_ipython().kernel
parent = kernel.get_parent()
for i in range({BURST}):
    kernel.session.send(kernel.iopub_socket, "stream",
                        {{"name": "stdout", "text": f"{{i:06d}} " + "x" * 600}}, parent=parent)
import zmq
print("hwm", kernel.iopub_thread.socket.getsockopt(zmq.SNDHWM))
"""


@pytest.fixture
def toolkit_kernel(monkeypatch):
    """The kernel Voilà starts for a page (the kernel specification the run command finds)."""
    monkeypatch.setenv("JUPYTER_PATH", with_template(None))
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert spec.argv[:3] == ["python", "-m", "toolkit.server.kernel"], spec.argv
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=KernelSpecManager())
    manager.start_kernel(cwd=str(REPO_DIR), env={**os.environ, "PYTHONPATH": str(REPO_DIR)})
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_a_burst_sent_while_nobody_reads_arrives_whole(toolkit_kernel):
    client = toolkit_kernel
    msg_id = client.execute(SEND)
    time.sleep(5)  # the reader is busy elsewhere while the kernel sends the burst
    numbers: list[int] = []
    said = ""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            msg = client.get_iopub_msg(timeout=30)
        except queue.Empty:  # the rest of the burst (and the kernel's idle) never came
            break
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream" and content["text"].startswith("hwm"):
            said = content["text"]
        elif kind == "stream":
            numbers.append(int(content["text"][:6]))
        elif kind == "status" and content["execution_state"] == "idle":
            break
    assert len(numbers) == BURST, f"{BURST - len(numbers)} of {BURST} messages lost"
    assert said.strip() == "hwm 0"  # the kernel's iopub queue has no limit
    assert numbers == list(range(BURST))  # in order, none twice
