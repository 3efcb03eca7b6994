"""Anyone browses the upcoming events: filtered by category and dates, a page of twelve at a time."""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from playwright.async_api import Page, expect

from tests.accounts import Account
from tests.web.conftest import Platform

FIRST_DAY = 10
EVENTS = 13  # one more than a page


async def test_filtering_by_category_and_dates_and_paging(
    new_page: Callable[..., Awaitable[Page]], platform: Platform, organizer: Account
) -> None:
    # A category of this test's own, one event a day: thirteen in it, whatever else is on sale.
    category = f"c{uuid.uuid4().hex[:8]}"
    titles = [f"{category} day {day}" for day in range(FIRST_DAY, FIRST_DAY + EVENTS)]
    events = await asyncio.gather(
        *(
            platform.publish_event(organizer, days_ahead=FIRST_DAY + index, title=title, category=category)
            for index, title in enumerate(titles)
        )
    )
    page = await new_page(timezone_id="UTC")  # the days typed below are UTC's, as the events' are
    cards = page.get_by_role("article").get_by_role("heading")
    pager = page.get_by_role("navigation", name="Pages")

    await page.goto("/")
    await page.get_by_label("Category").fill(category)
    await page.get_by_role("button", name="Search").click()
    await expect(pager).to_contain_text(f"Page 1 of 2 ({EVENTS} events)")
    await expect(cards).to_have_text(titles[:12])
    await expect(pager.get_by_role("link", name="Previous page")).to_have_count(0)

    await pager.get_by_role("link", name="Next page").click()
    await expect(pager).to_contain_text(f"Page 2 of 2 ({EVENTS} events)")
    await expect(cards).to_have_text(titles[12:])
    await expect(pager.get_by_role("link", name="Next page")).to_have_count(0)

    await pager.get_by_role("link", name="Previous page").click()
    await expect(pager).to_contain_text(f"Page 1 of 2 ({EVENTS} events)")
    await expect(cards).to_have_text(titles[:12])

    # The days of the third to the fifth, both included, within the category.
    await page.get_by_label("From").fill(_utc_day(events[2]))
    await page.get_by_label("Until").fill(_utc_day(events[4]))
    await page.get_by_role("button", name="Search").click()
    await expect(pager).to_contain_text("Page 1 of 1 (3 events)")
    await expect(cards).to_have_text(titles[2:5])
    await expect(page.get_by_label("Category")).to_have_value(category)


def _utc_day(event: dict[str, Any]) -> str:
    """The day `event` starts on, as a date field takes it, in UTC."""
    return datetime.fromisoformat(event["starts_at"]).astimezone(UTC).date().isoformat()
