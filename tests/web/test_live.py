"""Live alerts reach the page without a reload, and none is lost or shown twice across a dropped socket."""

import pytest
from playwright.async_api import Page, expect

from tests.accounts import Account
from tests.apps import wait_for
from tests.web.conftest import OneOrigin, Platform, screenshot, sign_in


async def test_a_live_alert_arrives_as_a_toast_and_in_the_inbox(
    page: Page, platform: Platform, organizer: Account
) -> None:
    event = await platform.publish_event(organizer)
    attendee = await platform.register()
    await sign_in(page, attendee, path="/my/inbox")
    await expect(page.locator("html")).to_have_attribute("data-live", "open")

    booking = await platform.book(attendee, event)

    toast = page.locator(".toast", has_text="Booking confirmed")
    await expect(toast).to_have_count(1)
    await expect(toast).to_contain_text(event["title"])
    entry = page.locator('[data-type="booking.confirmed"]')
    await expect(entry).to_have_count(1)
    await wait_for(lambda: _badge_shows_unread(page, platform, attendee))
    await screenshot(page, "inbox")

    await entry.get_by_role("button", name="Mark read: Booking confirmed").click()
    await expect(entry).to_have_class("read")
    read = {item["id"]: item["read"] for item in await platform.notifications(attendee)}
    assert read[await entry.get_attribute("data-notification")] is True
    await wait_for(lambda: _badge_shows_unread(page, platform, attendee))
    assert booking["status"] == "confirmed"


async def test_mark_all_read_clears_the_unread_count(
    page: Page, platform: Platform, organizer: Account
) -> None:
    event = await platform.publish_event(organizer)
    attendee = await platform.register()
    await platform.book(attendee, event)
    await platform.book(attendee, event)
    await wait_for(lambda: _count(platform, attendee, "booking.confirmed", 2), timeout=30)

    await sign_in(page, attendee, path="/my/inbox")
    await expect(page.locator("li.unread")).not_to_have_count(0)
    await wait_for(lambda: _badge_shows_unread(page, platform, attendee))
    await page.get_by_role("button", name="Mark all read").click()

    await expect(page.locator(".badge")).to_be_hidden()
    await expect(page.locator("li.unread")).to_have_count(0)
    assert all(item["read"] for item in await platform.notifications(attendee))


@pytest.mark.parametrize("earlier", [0, 1], ids=["first-alert", "after-an-earlier-one"])
async def test_after_the_socket_drops_it_resumes_and_shows_what_was_missed_once(
    page: Page, platform: Platform, organizer: Account, origin: OneOrigin, earlier: int
) -> None:
    """Resumed with `since` the last id seen, or, with none seen yet, from the history first."""
    event = await platform.publish_event(organizer)
    attendee = await platform.register()
    for _ in range(earlier):
        await platform.book(attendee, event)
    await wait_for(lambda: _count(platform, attendee, "booking.confirmed", earlier), timeout=30)
    await sign_in(page, attendee, path="/my/inbox")
    live = page.locator("html")
    await expect(live).to_have_attribute("data-live", "open")
    # The inbox has read its history: the page holds the list the missed alert must join.
    await expect(page.get_by_role("list", name="Notifications")).to_be_attached()

    # The origin goes away: the socket drops, and an alert is stored while the page cannot hear it.
    await origin.stop()
    await expect(live).to_have_attribute("data-live", "closed")
    missed = await platform.book(attendee, event, tickets=2)
    await wait_for(lambda: _count(platform, attendee, "booking.confirmed", earlier + 1), timeout=30)
    await origin.start()

    # The page reconnects by itself and shows the missed alert, once.
    await expect(live).to_have_attribute("data-live", "open", timeout=30_000)
    toasts = page.locator(".toast", has_text="Booking confirmed")
    await expect(toasts.filter(has_text="2 tickets")).to_have_count(1)
    # A later alert comes after it on the same socket; the missed one is still there once.
    await platform.book(attendee, event, tickets=3)
    await expect(toasts.filter(has_text="3 tickets")).to_have_count(1)
    await expect(toasts.filter(has_text="2 tickets")).to_have_count(1)
    await expect(page.locator('[data-type="booking.confirmed"]')).to_have_count(earlier + 2)
    assert missed["status"] == "confirmed"


async def _count(platform: Platform, account: Account, notification_type: str, count: int) -> bool:
    stored = await platform.notifications(account)
    return sum(item["type"] == notification_type for item in stored) >= count


async def _badge_shows_unread(page: Page, platform: Platform, account: Account) -> bool:
    """Whether the unread badge shows the count the notification service has (hidden at zero)."""
    unread = sum(not item["read"] for item in await platform.notifications(account))
    badge = page.locator(".badge")
    shown = 0 if await badge.is_hidden() else int(await badge.inner_text())
    return shown == unread
