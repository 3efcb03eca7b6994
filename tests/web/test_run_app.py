"""`make run` serves the app with every API on one origin, builds the app only when its sources
changed, and without Node.js still says how to get it.

The first test starts `python -m scripts.run` itself, on its fixed ports: run it with no `make run` going.
"""

import os
import time
from pathlib import Path

import httpx
import pytest

from scripts import run, webapp
from tests.apps import wait_for
from tests.system.make_run import make_run

ORIGIN = f"http://127.0.0.1:{webapp.ORIGIN_PORT}"


async def test_make_run_serves_the_app_and_every_api_on_one_origin() -> None:
    async with make_run() as output, httpx.AsyncClient(base_url=ORIGIN, timeout=10) as client:

        async def serving() -> bool:
            try:
                return (await client.get("/")).status_code == 200
            except httpx.TransportError:
                return False

        await wait_for(serving, timeout=30)
        # Any app path is the app (its router reads it); the API paths go to their services.
        page = await client.get("/event/some-id")
        assert page.status_code == 200 and 'id="toasts"' in page.text
        listed = await client.get("/events", params={"limit": 1})
        assert listed.status_code == 200 and "total" in listed.json()
        keys = await client.get("/.well-known/jwks.json")
        assert keys.status_code == 200 and "keys" in keys.json()
        assert f"The web app, with every API on the same origin: {ORIGIN}" in output()


def test_the_app_is_built_the_first_time_and_again_only_after_a_change(tmp_path: Path) -> None:
    out = tmp_path / "dist"

    assert webapp.build(out) is True
    assert (out / "index.html").exists()
    assert webapp.build(out) is False

    source = webapp.WEB / "src" / "main.ts"
    later = time.time() + 5
    os.utime(source, (later, later))
    assert webapp.build(out) is True


def test_without_node_the_services_still_run_and_the_note_says_how_to_get_the_app(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(webapp, "node", lambda: None)

    assert run._start_app() is None
    run._print_table(None)

    printed = capsys.readouterr().out
    assert "Node.js is not installed" in printed
    assert "Install Node.js 20 or later" in printed
    assert "http://127.0.0.1:8080" in printed
    assert "user_service" in printed
