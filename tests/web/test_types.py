"""The committed OpenAPI documents and TypeScript types of the web app are the services' current ones."""

import subprocess
from pathlib import Path

from scripts import openapi, webapp

WEB = Path(__file__).resolve().parents[2] / "web"


def test_the_committed_types_match_the_services_documents(tmp_path: Path) -> None:
    openapi.write(tmp_path)

    for folder, suffix in (("openapi", ".json"), ("src/api", ".ts")):
        written = {path.name: path.read_text() for path in (tmp_path / folder).glob(f"*{suffix}")}
        committed = {path.name: path.read_text() for path in (WEB / folder).glob(f"*{suffix}")}
        assert sorted(written) == sorted(f"{service}{suffix}" for service in openapi.SERVICES)
        stale = sorted(name for name in written if committed.get(name) != written[name])
        assert not stale, f"web/{folder}: {stale} differ from the services; run `make web-types`"
        assert sorted(committed) == sorted(written), f"web/{folder} holds files of no service"


def test_the_app_type_checks_against_them() -> None:
    """Every call the app makes fits the services' current routes and schemas."""
    checked = subprocess.run(
        [webapp.node() or "node", str(WEB / "node_modules" / "typescript" / "bin" / "tsc"), "--noEmit"],
        cwd=WEB,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
