"""A real PgBouncer in transaction mode in front of the run's PostgreSQL (Debian's package, which
`make test` installs): each transaction, and each statement outside one, may run on another server
connection, as behind the pooler of a PostgreSQL cluster."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.backends import unreachable_servers
from tests.tcp_proxy import free_port

PGBOUNCER = "/usr/sbin/pgbouncer"
SERVER_CONNECTIONS = 2  # few, so consecutive statements of one client do land on different ones


@contextmanager
def pgbouncer(directory: Path) -> Iterator[int]:
    """Runs PgBouncer until the block ends; yields the port it listens on."""
    if not shutil.which(PGBOUNCER):
        raise RuntimeError(f"{PGBOUNCER} is missing: `make test` installs Debian's pgbouncer")
    port = free_port()
    (directory / "users.txt").write_text('"postgres" ""\n')
    config = directory / "pgbouncer.ini"
    config.write_text(
        "[databases]\n* = host=127.0.0.1 port=5432\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {directory / 'users.txt'}\n"
        f"pool_mode = transaction\ndefault_pool_size = {SERVER_CONNECTIONS}\n"
        "ignore_startup_parameters = extra_float_digits\n"
    )
    directory.chmod(0o755)  # PgBouncer refuses to run as root: it reads these as postgres
    user = ["-u", "postgres"] if os.geteuid() == 0 else []
    process = subprocess.Popen(
        [PGBOUNCER, *user, str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        if unreachable_servers(10, {"PgBouncer": ("127.0.0.1", port)}):
            process.kill()
            raise RuntimeError(f"PgBouncer did not start: {process.communicate()[1].decode()[-500:]}")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
