"""An organizer types an event's times on the clock of the event's own time zone, whatever the
browser's, and reads them back the same way; a zone the browser does not know is refused beside it."""

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.async_api import Page, expect

from tests.accounts import Account
from tests.web.conftest import Platform, sign_in


async def _fill(page: Page, zone: str, starts: str, ends: str) -> None:
    await page.get_by_label("Title").fill("Independence Day Concert")
    await page.get_by_label("Venue").fill("Battery Park")
    await page.get_by_label("Category").fill("music")
    await page.get_by_label("Time zone").fill(zone)
    await page.get_by_label("Starts").fill(starts)
    await page.get_by_label("Ends").fill(ends)


async def test_times_are_read_and_shown_in_the_events_time_zone(
    new_page, platform: Platform, organizer: Account
) -> None:
    page: Page = await new_page(timezone_id="Asia/Tokyo")
    await sign_in(page, organizer, path="/organize/new")
    # New York in summer is UTC-4: 19:30 there is 23:30 UTC (and 08:30 the next day in Tokyo).
    await _fill(page, "America/New_York", "2030-07-04T19:30", "2030-07-04T22:00")
    await page.get_by_role("button", name="Create event").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Independence Day Concert")

    event_id = page.url.rstrip("/").rsplit("/", 1)[1]
    stored = (await platform.client.get(f"{platform.services.event_service}/events/{event_id}")).json()
    new_york = ZoneInfo("America/New_York")
    assert datetime.fromisoformat(stored["starts_at"]) == datetime(2030, 7, 4, 19, 30, tzinfo=new_york)
    assert datetime.fromisoformat(stored["ends_at"]) == datetime(2030, 7, 4, 22, 0, tzinfo=new_york)
    await expect(page.get_by_label("Starts")).to_have_value("2030-07-04T19:30")
    await expect(page.get_by_label("Ends")).to_have_value("2030-07-04T22:00")

    # In winter the same zone is UTC-5: the offset of the date typed is the one used.
    await page.get_by_label("Starts").fill("2030-12-31T23:00")
    await page.get_by_label("Ends").fill("2031-01-01T01:00")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    stored = (await platform.client.get(f"{platform.services.event_service}/events/{event_id}")).json()
    assert datetime.fromisoformat(stored["starts_at"]) == datetime(2030, 12, 31, 23, 0, tzinfo=new_york)
    await expect(page.get_by_label("Starts")).to_have_value("2030-12-31T23:00")


async def test_an_unknown_time_zone_is_refused_beside_its_field(page: Page, organizer: Account) -> None:
    await sign_in(page, organizer, path="/organize/new")
    await _fill(page, "Mars/Olympus_Mons", "2030-07-04T19:30", "2030-07-04T22:00")
    await page.get_by_role("button", name="Create event").click()

    await expect(page.get_by_label("Time zone")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator('[data-error-for="timezone"]')).to_contain_text("Unknown time zone")
    await expect(page.get_by_role("heading", level=1)).to_have_text("New event")
