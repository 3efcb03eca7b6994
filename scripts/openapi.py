"""`make web-types`: writes each service's OpenAPI document and the web app's TypeScript types from it.

The documents come from the apps themselves (`create_app().openapi()`), so no server needs to run;
openapi-typescript (web/node_modules, `npm ci`) turns them into `web/src/api/<service>.ts`.
`--out DIR` writes both into DIR instead (a test compares them with the committed ones).
"""

import argparse
import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
# The services the web app calls.
SERVICES = (
    "user_service",
    "event_service",
    "booking_service",
    "payment_service",
    "notification_service",
    "checkin_service",
)


def document(service: str) -> dict[str, Any]:
    """Returns the OpenAPI document of `service`, as its app serves it at `/openapi.json`."""
    return importlib.import_module(f"{service}.main").create_app().openapi()


def write(out: Path) -> None:
    """Writes `openapi/<service>.json` and `src/api/<service>.ts` under `out`."""
    openapi_dir, api_dir = out / "openapi", out / "src" / "api"
    openapi_dir.mkdir(parents=True, exist_ok=True)
    api_dir.mkdir(parents=True, exist_ok=True)
    for service in SERVICES:
        text = json.dumps(document(service), indent=2, sort_keys=True) + "\n"
        (openapi_dir / f"{service}.json").write_text(text)
    node = shutil.which("node")
    if node is None:
        raise SystemExit("error: Node.js is needed to write the types: install Node.js 20+, then `make web`.")
    subprocess.run(
        [node, str(WEB / "scripts" / "types.mjs"), str(openapi_dir), str(api_dir)], check=True, cwd=WEB
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=WEB, help="where to write openapi/ and src/api/")
    write(parser.parse_args().out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
