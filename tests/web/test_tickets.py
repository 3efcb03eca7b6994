"""An attendee opens a confirmed booking's tickets: one card a seat, with its QR code and its code."""

from typing import Any

from playwright.async_api import Page, expect

from tests.accounts import Account
from tests.apps import wait_for
from tests.web.conftest import Platform, sign_in, unlabelled_controls


async def _tickets(platform: Platform, attendee: Account, booking: dict[str, Any]) -> list[dict[str, Any]]:
    answer = await platform.client.get(
        f"{platform.services.checkin_service}/bookings/{booking['id']}/tickets", headers=attendee.headers
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


async def test_a_confirmed_booking_shows_each_seats_ticket_with_its_qr_code(
    page: Page, platform: Platform, organizer: Account
) -> None:
    event = await platform.publish_event(organizer)
    attendee = await platform.register()
    booking = await platform.book(attendee, event, tickets=2)

    await sign_in(page, attendee, path="/my/bookings")
    await page.locator(f'[data-booking="{booking["id"]}"]').get_by_role("link", name="Tickets").click()

    # The page waits for the tickets to be issued, then shows the ones the check-in service signed.
    cards = page.get_by_role("list", name="Tickets").get_by_role("listitem")
    await expect(cards).to_have_count(2)
    issued = await wait_for(lambda: _tickets(platform, attendee, booking))
    shown = await page.locator("[data-secret]").all_text_contents()
    assert sorted(shown) == sorted(ticket["secret"] for ticket in issued)
    images = page.get_by_role("img", name=f"QR code of the ticket for {attendee.username}")
    await expect(images).to_have_count(2)
    for image in await images.all():
        # decode() waits for the image and fails for one the browser cannot draw.
        assert await image.evaluate("(img) => img.decode().then(() => img.naturalWidth)") > 0
    assert await unlabelled_controls(page) == []
