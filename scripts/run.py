"""`make run`: checks the local stores, starts every service under honcho, and says where each listens.

It also serves the web app and every API on one origin, http://127.0.0.1:8080 (Vite's preview server
and its proxy, scripts/webapp.py), building the app first when its sources changed; without Node.js
the services still start, and a note says how to get the app.

Unless MONGO_URL names a MongoDB server, the embedded one starts first, keeping its data under
`.data/mongo` so that a restart keeps every event, payment and notification. Logs stream with the
process name on each line; Ctrl-C stops the services, then the database: a service closing its
MongoDB client waits for the server to answer, so the server must outlive them.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from scripts import webapp
from scripts.embedded_mongo import (
    DEVELOPMENT_PORT,
    DEVELOPMENT_STORAGE,
    Listener,
    command,
    listener_at,
    wait_until_answering,
)

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {
    "user_service": 8003,
    "event_service": 8000,
    "booking_service": 8002,
    "payment_service": 8004,
    "notification_service": 8001,
    "checkin_service": 8005,
}
READY_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 10
# Honcho kills a service still running 5 s (its KILL_WAIT) after Ctrl-C: each finishes its requests first.
SHUTDOWN_DRAIN_SECONDS = 3
DEPENDENCIES = {
    "PostgreSQL": os.environ.get("DATABASE_URL", "postgresql://127.0.0.1:5432"),
    "RabbitMQ": os.environ.get("RABBITMQ_URL", "amqp://127.0.0.1:5672"),
}
if "MONGO_URL" in os.environ:
    DEPENDENCIES["MongoDB"] = os.environ["MONGO_URL"]


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port), timeout=2):
            return True
    except OSError:
        return False


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _print_table(app: subprocess.Popen[bytes] | None) -> None:
    print("\n  service               URL                      API docs", flush=True)
    for name, port in SERVICES.items():
        url = f"http://127.0.0.1:{port}"
        print(f"  {name:<21} {url:<24} {url}/docs", flush=True)
    if app is not None:
        print(
            f"\n  The web app, with every API on the same origin: http://127.0.0.1:{webapp.ORIGIN_PORT}",
            flush=True,
        )
    else:
        print(f"\n{webapp.missing_node_message()}", flush=True)
    print("\n  Development admin: admin / admin-dev-password.  Ctrl-C stops everything.\n", flush=True)


def _start_embedded_mongo() -> subprocess.Popen[bytes] | None:
    """Starts the embedded MongoDB unless a server is given or already listens there."""
    if "MongoDB" in DEPENDENCIES:
        return None
    address = f"127.0.0.1:{DEVELOPMENT_PORT}"
    listener = listener_at("127.0.0.1", DEVELOPMENT_PORT)
    if listener is Listener.MONGODB:
        print(f"note: using the MongoDB server already listening at {address}", flush=True)
        return None
    if listener is not Listener.NOTHING:
        print(
            f"error: {address} is taken by {listener.value}; stop it, or set MONGO_URL to a MongoDB server.",
            file=sys.stderr,
        )
        raise SystemExit(1)
    # A session of its own: Ctrl-C reaches the services, and this stops the database after them.
    server = subprocess.Popen(command(DEVELOPMENT_PORT, DEVELOPMENT_STORAGE), start_new_session=True)
    wait_until_answering("127.0.0.1", DEVELOPMENT_PORT)
    print(f"MongoDB (embedded) listening at {address}, data in {DEVELOPMENT_STORAGE}", flush=True)
    return server


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _start_app() -> subprocess.Popen[bytes] | None:
    """Builds the web app if its sources changed and serves it with the APIs; None without Node.js."""
    if webapp.node() is None:
        return None
    try:
        if webapp.build():
            print("web app built into web/dist", flush=True)
    except (subprocess.CalledProcessError, OSError) as error:
        print(f"error: the web app could not be built ({error}); the APIs still run.", file=sys.stderr)
        return None
    return subprocess.Popen(webapp.preview_command(), cwd=webapp.WEB)


def _run_services() -> int:
    env = {
        "SHUTDOWN_DRAIN_SECONDS": str(SHUTDOWN_DRAIN_SECONDS),
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "honcho", "start", "-f", str(ROOT / "Procfile"), *SERVICES], env=env, cwd=ROOT
    )
    app = _start_app()
    try:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        waiting = dict(SERVICES)
        while waiting and supervisor.poll() is None and time.monotonic() < deadline:
            waiting = {name: port for name, port in waiting.items() if not _ready(port)}
            time.sleep(0.5)
        if waiting:
            print(f"error: not ready after {READY_TIMEOUT_SECONDS}s: {', '.join(waiting)}", file=sys.stderr)
            supervisor.send_signal(signal.SIGINT)
        else:
            _print_table(app)
        return supervisor.wait()
    except KeyboardInterrupt:
        # Honcho stops the services; more Ctrl-C's are its to handle, so the database still goes last.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        supervisor.send_signal(signal.SIGINT)
        return supervisor.wait()
    finally:
        if app is not None:
            _stop(app)


def main() -> int:
    missing = [name for name, url in DEPENDENCIES.items() if not _reachable(url)]
    if missing:
        for name in missing:
            print(f"error: {name} is not reachable at {DEPENDENCIES[name]}; start it first.", file=sys.stderr)
        return 1
    mongo = _start_embedded_mongo()
    try:
        return _run_services()
    finally:
        if mongo is not None:
            _stop(mongo)


if __name__ == "__main__":
    sys.exit(main())
