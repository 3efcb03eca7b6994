"""An attendee finds an event, signs in, holds seats against a countdown and pays, in a real browser."""

import re

from playwright.async_api import Page, expect

from tests.accounts import Account
from tests.web.conftest import Platform, accept_next_dialog, screenshot, sign_in, unlabelled_controls


async def test_browse_sign_in_hold_and_pay(page: Page, platform: Platform, organizer: Account) -> None:
    event = await platform.publish_event(organizer)
    vip = await platform.add_catalogue(organizer, event)
    attendee = await platform.register()

    # Anyone: the list, searched by title, leads to the event with its live availability.
    await page.goto("/")
    await page.get_by_label("Search titles").fill(event["title"])
    await page.get_by_role("button", name="Search").click()
    await expect(page).to_have_url(re.compile(r"\?q="))
    await screenshot(page, "events")
    await page.get_by_role("link", name=event["title"]).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(event["title"])
    await expect(page.locator(f'[data-availability="{event["id"]}"]')).to_have_text("40 left")

    # Booking asks to sign in, and comes back to the event.
    await page.get_by_role("link", name="Sign in to book").click()
    await page.get_by_label("Username or email").fill(attendee.username)
    await page.get_by_label("Password").fill("a-long-password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(event["title"])

    await expect(page.locator(f'[data-availability="{vip["id"]}"]')).to_have_text("40 left")
    assert await unlabelled_controls(page) == []

    # Two of one type and one of the other, with the voucher: 20% off each, as the API prices them.
    await page.get_by_label("Quantity of Admission").fill("2")
    await page.get_by_label("Quantity of VIP").fill("1")
    await page.get_by_label("Voucher code (optional)").fill("jazz20")
    await page.get_by_role("button", name="Hold tickets").click()
    await expect(page.get_by_role("heading", name="Your hold")).to_be_visible()
    await expect(page.get_by_role("timer")).to_have_text(re.compile(r"^\d+:\d\d$"))
    hold = page.get_by_role("region", name="Your hold")
    await expect(hold).to_contain_text("2 × Admission at €20.00")
    await expect(hold).to_contain_text("1 × VIP at €48.00")
    # The seats are taken while held: the availability says so.
    await expect(page.locator(f'[data-availability="{event["id"]}"]')).to_have_text("37 left")
    await screenshot(page, "hold")

    await page.get_by_label("Card").select_option("pm_card_visa")
    await page.get_by_role("button", name="Pay €88.00").click()
    await expect(page.get_by_role("heading", name="Booking confirmed")).to_be_visible()

    await page.get_by_role("link", name="See my bookings").click()
    row = page.locator("tr", has_text=event["title"])
    await expect(row.locator("[data-status]")).to_have_text("confirmed")
    await screenshot(page, "bookings")


async def test_cancelling_a_booking_puts_its_seats_back_on_sale(
    page: Page, platform: Platform, organizer: Account
) -> None:
    event = await platform.publish_event(organizer)
    attendee = await platform.register()
    await platform.book(attendee, event, tickets=2)  # paid at once: confirmed
    await sign_in(page, attendee, path=f"/event/{event['id']}")
    seats = page.locator(f'[data-availability="{event["id"]}"]')
    await expect(seats).to_have_text("38 left")

    await page.get_by_role("link", name="My bookings").click()
    row = page.locator("tr", has_text=event["title"])
    await expect(row.locator("[data-status]")).to_have_text("confirmed")
    accept_next_dialog(page)
    await row.get_by_role("button", name=f"Cancel booking for {event['title']}").click()
    await expect(row.locator("[data-status]")).to_have_text("cancelled")
    await expect(row).to_contain_text("refunded €50.00")
    await expect(row.get_by_role("button")).to_have_count(0)

    await row.get_by_role("link", name=event["title"]).click()
    await expect(seats).to_have_text("40 left")


async def test_a_declined_card_says_so(page: Page, platform: Platform, organizer: Account) -> None:
    event = await platform.publish_event(organizer)
    attendee = await platform.register()
    await sign_in(page, attendee, path=f"/event/{event['id']}")

    await page.get_by_label("Quantity of Admission").fill("1")
    await page.get_by_role("button", name="Hold tickets").click()
    await page.get_by_label("Card").select_option("pm_card_chargeDeclined")
    await page.get_by_role("button", name=re.compile(r"^Pay ")).click()

    alert = page.get_by_role("form", name="Pay for the hold").get_by_role("alert")
    await expect(alert).to_contain_text("Card declined")
    await expect(page.locator(f'[data-availability="{event["id"]}"]')).to_have_text("40 left")


async def test_a_422_shows_next_to_its_field(page: Page) -> None:
    await page.goto("/sign-up")
    await page.get_by_label("Username").fill("shortpass")
    await page.get_by_label("Email").fill("shortpass@example.com")
    await page.get_by_label("Full name").fill("Short Pass")
    await page.get_by_label("Password").fill("short")
    await page.get_by_role("button", name="Create account").click()

    password = page.get_by_label("Password")
    await expect(password).to_have_attribute("aria-invalid", "true")
    error = page.locator('[data-error-for="password"]')
    await expect(error).to_contain_text("at least 8 characters")
    # Next to it: the input names the message as its description.
    assert await password.get_attribute("aria-describedby") == await error.get_attribute("id")
    await expect(page.locator('[data-error-for="username"]')).to_be_hidden()


async def test_a_refused_voucher_shows_next_to_the_voucher(
    page: Page, platform: Platform, organizer: Account
) -> None:
    event = await platform.publish_event(organizer)
    attendee = await platform.register()
    await sign_in(page, attendee, path=f"/event/{event['id']}")

    await page.get_by_label("Quantity of Admission").fill("1")
    await page.get_by_label("Voucher code (optional)").fill("NO-SUCH-CODE")
    await page.get_by_role("button", name="Hold tickets").click()

    await expect(page.get_by_label("Voucher code (optional)")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator('[data-error-for="voucher"]')).to_be_visible()
    await expect(page.get_by_role("heading", name="Your hold")).to_be_hidden()


async def test_a_sold_out_type_says_sold_out_next_to_it(
    page: Page, platform: Platform, organizer: Account
) -> None:
    event = await platform.publish_event(organizer, capacity=2, max_tickets_per_booking=2)
    await platform.book(await platform.register(), event, tickets=2)
    attendee = await platform.register()
    await sign_in(page, attendee, path=f"/event/{event['id']}")
    await expect(page.locator(f'[data-availability="{event["id"]}"]')).to_have_text("Sold out")

    await page.get_by_label("Quantity of Admission").fill("1")
    await page.get_by_role("button", name="Hold tickets").click()

    alert = page.get_by_role("form", name="Book tickets").get_by_role("alert")
    await expect(alert).to_contain_text("Sold out")
    await expect(page.locator(f'[data-error-for="quantity-{event["id"]}"]')).to_contain_text("Sold out")
