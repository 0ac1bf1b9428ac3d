"""``python -m toolkit serve``: the Voilà command line, and a real server driven in Chromium."""

from __future__ import annotations

import re
import urllib.request

import pytest

from tests.support.browser import open_app, screenshot
from toolkit.demo.history import HISTORY_AUDITS
from toolkit.server import serve


def test_voila_command_has_the_deployment_settings():
    command = serve.voila_command(port=12345, notebooks_dir="/srv/notebooks", python="/py")
    assert command[:5] == ["/py", "-m", "toolkit.server.quick_start", "voila", "/srv/notebooks"]
    for option in (
        "--no-browser",
        "--Voila.ip=127.0.0.1",  # loopback only
        "--port=12345",
        "--Voila.port_retries=0",
        "--VoilaConfiguration.strip_sources=True",  # code never reaches the browser
        "--VoilaConfiguration.show_tracebacks=False",  # errors stay in the server log
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
    ):
        assert option in command
    timeout = next(o for o in command if o.startswith("--MappingKernelManager.cull_idle_timeout="))
    interval = next(o for o in command if o.startswith("--MappingKernelManager.cull_interval="))
    assert int(timeout.split("=")[1]) > 0
    assert int(interval.split("=")[1]) > 0
    # ten pages opened at once on two CPUs stayed blank with Voilà's 4 s wait for output
    wait = next(o for o in command if o.startswith("--VoilaExecutor.iopub_timeout="))
    assert int(wait.split("=")[1]) >= 30
    assert not any("0.0.0.0" in o or "debug" in o or "autoreload" in o for o in command)


def test_voila_knows_every_option_we_pass():
    """Voilà silently ignores a misspelt ``--Class.trait``: check each exists in this Voilà."""
    from jupyter_server.services.kernels.kernelmanager import MappingKernelManager
    from voila.app import Voila
    from voila.configuration import VoilaConfiguration
    from voila.execute import VoilaExecutor

    classes = {
        "Voila": Voila,
        "VoilaConfiguration": VoilaConfiguration,
        "MappingKernelManager": MappingKernelManager,
        "VoilaExecutor": VoilaExecutor,
    }
    for option in serve.deployment_settings():
        name = option.removeprefix("--").split("=")[0]
        if name in Voila.flags:
            continue
        if name in Voila.aliases:
            name = Voila.aliases[name]
        cls, _, trait = name.partition(".")
        assert cls in classes, option
        assert classes[cls].class_traits(config=True).get(trait), option


@pytest.mark.e2e
def test_one_slider_page_renders_in_chromium(voila_server, page):
    slider = open_app(page, voila_server, "one_slider.ipynb", selector=".widget-slider")
    assert slider.is_visible()
    screenshot(page, "one_slider")
    html = page.content()
    assert "import ipywidgets" not in html, "sources are stripped"
    assert "In [" not in page.inner_text("body")


@pytest.mark.e2e
def test_server_log_shows_links_and_culling(voila_server):
    log = voila_server.log()
    assert f"http://127.0.0.1:{voila_server.port}/voila/render/audit.ipynb" in log
    assert "added the demo people" in log
    # the culler starts with the first kernel; make sure one has been started
    with urllib.request.urlopen(voila_server.render_url("one_slider.ipynb"), timeout=60) as r:
        r.read()
    assert re.search(r"Culling kernels with idle durations > \d+ seconds", voila_server.log())


@pytest.mark.e2e
def test_template_and_theme_cannot_be_changed_from_the_address(voila_server):
    url = voila_server.render_url("one_slider.ipynb", "template=classic&theme=dark")
    with urllib.request.urlopen(url, timeout=60) as response:
        html = response.read().decode()
    assert "templates/sos-toolkit/" in html  # the toolkit's page (lab, with its connection state)
    assert 'id="sos-connection"' in html
    assert "templates/classic/" not in html
    assert '"jupyterLabTheme": "light"' in html


@pytest.mark.e2e
def test_demo_data_is_in_the_servers_store(voila_server):
    store = voila_server.store()
    assert store.count_audits() == 6 + HISTORY_AUDITS  # the stories, and the reports' history
    assert str(voila_server.data_dir) in voila_server.log()


@pytest.mark.e2e
def test_server_survives_a_kill_and_restart_with_its_data(voila_server, page):
    store = voila_server.store()
    before = store.count_audits()
    voila_server.kill()
    assert not voila_server.running
    voila_server.restart()
    assert voila_server.running
    assert store.count_audits() == before  # not seeded twice, nothing lost
    open_app(page, voila_server, "one_slider.ipynb", selector=".widget-slider")
