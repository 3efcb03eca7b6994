"""Check-in in the browser: the organizer makes a list and lets a steward scan; the steward's door page
shows each verdict in large type; the attendee list shows who came in and exports as CSV."""

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from playwright.async_api import Page, expect

from tests.accounts import Account
from tests.apps import wait_for
from tests.web.conftest import Platform, screenshot, sign_in, unlabelled_controls


async def _scan(door: Page, secret: str) -> None:
    """Types the code as a scanner gun does: the characters, then Enter."""
    await door.get_by_label("Ticket code").fill(secret)
    await door.get_by_label("Ticket code").press("Enter")


async def test_a_steward_scans_and_the_organizer_exports_the_attendees(
    new_page: Any, platform: Platform, organizer: Account
) -> None:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=3)
    event = await platform.publish_event(
        organizer, starts_at=starts.isoformat(), ends_at=(starts + timedelta(hours=2)).isoformat()
    )
    attendee, steward = await platform.register(), await platform.register()
    booking = await platform.book(attendee, event, tickets=2)
    secrets = await wait_for(lambda: platform.ticket_secrets(attendee, booking), timeout=30)
    await wait_for(lambda: platform.knows_event(organizer, event), timeout=30)

    boss: Page = await new_page(timezone_id="America/New_York")  # the event is in Paris
    await sign_in(boss, organizer, path=f"/organize/{event['id']}/checkin")
    await boss.get_by_role("button", name="Add list").click()
    list_item = boss.locator("[data-checkin-list]", has_text="Main entrance")
    list_id = await list_item.get_attribute("data-checkin-list")
    await boss.get_by_label("User id").fill(steward.id)
    await boss.get_by_role("button", name="Add door staff").click()
    await expect(boss.get_by_role("region", name="Door staff")).to_contain_text(steward.id)
    assert await unlabelled_controls(boss) == []

    door: Page = await new_page()
    await sign_in(door, steward, path=f"/door/{list_id}")
    await expect(door.get_by_role("heading", level=1)).to_have_text("Check-in: Main entrance")
    # Headless Chromium on Linux has no BarcodeDetector: no camera button, the code is typed.
    await expect(door.get_by_role("button", name="Scan with the camera")).to_be_hidden()
    verdict = door.get_by_role("status", name="Verdict")

    await _scan(door, "NOT-A-TICKET")
    await expect(verdict).to_have_attribute("data-result", "invalid_signature")
    await expect(verdict).to_have_class("verdict verdict-refused")
    await expect(verdict).to_contain_text("Unknown ticket")

    await _scan(door, secrets[0].lower())  # scanners may send lower case
    await expect(verdict).to_have_attribute("data-result", "ok")
    await expect(verdict).to_have_class("verdict verdict-ok")
    await expect(verdict).to_contain_text(attendee.username)
    await screenshot(door, "door")

    # The organizer's attendee list: who is in, and every row as a CSV file.
    await boss.get_by_role("link", name="Attendees of Main entrance").click()
    await expect(boss.locator('[data-checked-in="yes"]')).to_have_count(1)
    paris = datetime.now(ZoneInfo("Europe/Paris")).strftime("%z")  # the time of entry, on the event's clock
    await expect(boss.locator('[data-checked-in="yes"]')).to_contain_text(f"GMT+{int(paris[1:3])}")
    await expect(boss.locator('[data-checked-in="no"]')).to_have_count(1)
    await screenshot(boss, "attendees")
    async with boss.expect_download() as started:
        await boss.get_by_role("button", name="Export CSV").click()
    download = await started.value
    assert download.suggested_filename == f"attendees-{list_id}.csv"
    rows = list(csv.DictReader(io.StringIO((await download.path()).read_text())))
    assert len(rows) == 2
    assert {row["attendee_name"] for row in rows} == {attendee.username}
    assert sorted(row["inside"] for row in rows) == ["false", "true"]

    # A cancelled booking's tickets are revoked: the door says so.
    cancelled = await platform.client.post(
        f"{platform.services.booking_service}/bookings/{booking['id']}/cancel", headers=attendee.headers
    )
    assert cancelled.status_code == 200, cancelled.text
    await wait_for(lambda: _none_valid(platform, attendee, booking), timeout=30)
    await _scan(door, secrets[1])
    await expect(verdict).to_have_attribute("data-result", "revoked")
    await expect(verdict).to_contain_text("Revoked")


async def test_the_camera_is_offered_where_the_browser_reads_qr_codes(
    page: Page, platform: Platform, organizer: Account
) -> None:
    event = await platform.publish_event(organizer)
    checkin_list = await platform.checkin_list(organizer, event, "Side door")
    # A browser with a BarcodeDetector (Chromium on Android, for one): the page offers the camera.
    await page.add_init_script("window.BarcodeDetector = class { async detect() { return []; } };")
    await sign_in(page, organizer, path=f"/door/{checkin_list['id']}")
    await expect(page.get_by_role("button", name="Scan with the camera")).to_be_visible()


async def test_someone_not_on_the_door_staff_is_told_so(
    page: Page, platform: Platform, organizer: Account
) -> None:
    event = await platform.publish_event(organizer)
    checkin_list = await platform.checkin_list(organizer, event, "Back door")
    await sign_in(page, await platform.register(), path=f"/door/{checkin_list['id']}")
    await expect(page.get_by_role("alert")).to_contain_text("You are not door staff of this event.")


async def _none_valid(platform: Platform, attendee: Account, booking: dict[str, Any]) -> bool:
    return await platform.ticket_secrets(attendee, booking) == []
