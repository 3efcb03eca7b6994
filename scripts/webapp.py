"""The web app's build and its one-origin server (Vite's preview server with the API proxy of web/proxy.json).

Used by `make run` (scripts/run.py) and the browser tests (tests/web). Node.js and `npm ci` are the
app's only tools; without Node.js the services still run and `missing_node_message` says what to do.
"""

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
DIST = WEB / "dist"
VITE = WEB / "node_modules" / "vite" / "bin" / "vite.js"
ORIGIN_PORT = 8080
# What the build is made from: a change to any of these rebuilds the app.
SOURCES = ("src", "index.html", "vite.config.ts", "tsconfig.json", "package-lock.json", "proxy.json")


def node() -> str | None:
    """The `node` program, or None when Node.js is not installed."""
    return shutil.which("node")


def missing_node_message() -> str:
    return (
        "note: Node.js is not installed, so the web app is not served; the APIs still are, at the ports "
        "below.\n      Install Node.js 20 or later (https://nodejs.org, or `apt-get install nodejs npm`), "
        f"then run `make run` again to get the app at http://127.0.0.1:{ORIGIN_PORT}."
    )


def _newest_change(paths: list[Path]) -> float:
    newest = 0.0
    for path in paths:
        files = path.rglob("*") if path.is_dir() else [path]
        newest = max([newest, *(item.stat().st_mtime for item in files if item.is_file())])
    return newest


def install() -> None:
    """Runs `npm ci` when node_modules is missing or older than package-lock.json."""
    marker = WEB / "node_modules" / ".package-lock.json"
    lock = WEB / "package-lock.json"
    if marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
        return
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=WEB, check=True)


def build(out: Path = DIST) -> bool:
    """Builds the app into `out` unless it is newer than every source; returns whether it built."""
    index = out / "index.html"
    if index.exists() and index.stat().st_mtime >= _newest_change([WEB / name for name in SOURCES]):
        return False
    install()
    subprocess.run(
        [node() or "node", str(VITE), "build", "--outDir", str(out), "--emptyOutDir"], cwd=WEB, check=True
    )
    return True


def proxy_environment(urls: Mapping[str, str]) -> dict[str, str]:
    """The environment pointing the preview server's proxy at the services' `urls` (by service)."""
    return {f"WEB_PROXY_{service.upper()}": url for service, url in urls.items()}


def preview_command(*, port: int = ORIGIN_PORT, out: Path = DIST) -> list[str]:
    """The command serving the app built in `out` and proxying the APIs, on 127.0.0.1:`port`."""
    return [
        node() or "node",
        str(VITE),
        "preview",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--strictPort",
        "--outDir",
        str(out),
    ]


def preview_environment(urls: Mapping[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, **proxy_environment(urls or {})}
