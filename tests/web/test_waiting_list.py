"""An attendee joins the waiting list of a sold-out type, is offered freed seats and pays before the
offer's countdown runs out; or leaves the list."""

import re
from typing import Any

from playwright.async_api import Page, expect

from tests.accounts import Account
from tests.web.conftest import Platform, screenshot, sign_in, unlabelled_controls


async def _sold_out_event(platform: Platform, organizer: Account) -> tuple[dict[str, Any], Account, str]:
    """An event of two seats, both booked by someone else; returns it, them and their booking's id."""
    event = await platform.publish_event(organizer, capacity=2, max_tickets_per_booking=2)
    booker = await platform.register()
    booking = await platform.book(booker, event, tickets=2)
    return event, booker, booking["id"]


async def _join(page: Page, event: dict, seats: int) -> None:
    await page.goto(f"/event/{event['id']}")
    waiting = page.get_by_role("region", name="Waiting list")
    await expect(waiting).to_be_visible()
    await waiting.get_by_label("Ticket type").select_option(label="Admission")
    await waiting.get_by_label("How many seats").fill(str(seats))
    await waiting.get_by_role("button", name="Join the waiting list").click()
    await expect(waiting.get_by_role("status")).to_contain_text("You are number 1 in line")


async def test_joining_then_paying_an_offer_before_it_expires(
    page: Page, platform: Platform, organizer: Account
) -> None:
    event, booker, booking_id = await _sold_out_event(platform, organizer)
    attendee = await platform.register()
    await sign_in(page, attendee, path="/")
    await _join(page, event, seats=1)
    assert await unlabelled_controls(page) == []

    await page.get_by_role("link", name="My waiting list").click()
    entry = page.get_by_role("row", name=re.compile(event["title"]))
    await expect(entry.locator("[data-state]")).to_have_attribute("data-state", "waiting")
    await expect(entry).to_contain_text("number 1 in line")

    # A seat frees up: it is held for the attendee, whose page shows the offer live, to pay for it.
    cancelled = await platform.client.post(
        f"{platform.services.booking_service}/bookings/{booking_id}/cancel", headers=booker.headers
    )
    assert cancelled.status_code == 200, cancelled.text
    await expect(page.locator(".toast", has_text="Seats offered from the waiting list")).to_be_visible()
    offer = page.get_by_role("form", name=f"Pay for the offer for {event['title']}")
    await expect(offer.get_by_role("timer")).to_have_text(re.compile(r"^23:59:\d\d$"))  # a day, by default
    await screenshot(page, "waiting-list")
    await offer.get_by_label("Card").select_option("pm_card_visa")
    await offer.get_by_role("button", name="Pay €25.00").click()
    await expect(page.locator('[data-booking-status="confirmed"]')).to_contain_text("Booked: €25.00 paid")


async def test_leaving_the_waiting_list(page: Page, platform: Platform, organizer: Account) -> None:
    event, _, _ = await _sold_out_event(platform, organizer)
    attendee = await platform.register()
    await sign_in(page, attendee, path="/")
    await _join(page, event, seats=2)

    await page.goto("/my/waiting-list")
    await page.get_by_role("button", name=f"Leave the waiting list for {event['title']}").click()
    entry = page.get_by_role("row", name=re.compile(event["title"]))
    await expect(entry.locator("[data-state]")).to_have_attribute("data-state", "withdrawn")
    await expect(entry.get_by_role("button")).to_have_count(0)


async def test_a_second_entry_for_the_same_type_is_refused_beside_the_form(
    page: Page, platform: Platform, organizer: Account
) -> None:
    event, _, _ = await _sold_out_event(platform, organizer)
    await sign_in(page, await platform.register(), path="/")
    await _join(page, event, seats=1)

    waiting = page.get_by_role("region", name="Waiting list")
    await waiting.get_by_role("button", name="Join the waiting list").click()
    await expect(waiting.get_by_role("alert")).to_contain_text("already")
