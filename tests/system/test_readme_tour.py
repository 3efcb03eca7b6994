"""The README's quick tour, run exactly as written against the six services as processes."""

import asyncio
import os
import re
import sys
from pathlib import Path

from tests.system.conftest import ROOT, Services


def _tour() -> str:
    readme = (ROOT / "README.md").read_text()
    found = re.search(r"<!-- tour -->\n```bash\n(.*?)```", readme, re.S)
    assert found, "README.md has no tour block"
    return found.group(1)


def _workspace(tmp_path: Path) -> Path:
    """A folder laid out like the repository root, so the tour's relative paths resolve."""
    (tmp_path / ".venv").symlink_to(sys.prefix)  # the environment running these tests
    (tmp_path / "scripts").symlink_to(ROOT / "scripts")
    return tmp_path


async def test_the_readme_tour_works_as_written(services: Services, tmp_path: Path) -> None:
    urls = {
        "USERS": services.user_service,
        "EVENTS": services.event_service,
        "BOOKINGS": services.booking_service,
        "PAYMENTS": services.payment_service,
        "NOTIFICATIONS": services.notification_service,
        "CHECKIN": services.checkin_service,
    }
    shell = await asyncio.create_subprocess_exec(
        "bash",
        "-c",
        _tour(),
        cwd=_workspace(tmp_path),
        env={**os.environ, **urls},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = (await asyncio.wait_for(shell.communicate(), timeout=90))[0].decode()

    assert shell.returncode == 0, output
    assert "confirmed 6800 [('Admission', 2000), ('VIP', 4800)]" in output, output
    for frame in (
        "booking.held:",
        "booking.confirmed:",
        "event.updated:",
        "event.cancelled:",
        "payment.refunded:",
        "booking.cancelled:",
        "tickets.sold:",
    ):
        assert frame in output, output
    lines = output.splitlines()
    assert "refunded" in lines
    assert '"sold":0,"held":0,"available":40,"waiting":0,"on_sale":false' in output
    assert lines[-3:] == ["7", "ok", "already_checked_in"]
