"""The whole story in real browsers, several people at once: an admin makes an organizer, who sets up
an event in its own time zone; an attendee books with a hold and a voucher; the organizer's dashboard
shows the sale without a reload; the event moves and the attendee is told; the ticket is checked in at
the door; a declined card says so; and an attendee cut off while the event is cancelled finds the
cancellation and the refund in the inbox once."""

import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.async_api import Page, expect

from tests.accounts import DEV_ADMIN, Account
from tests.apps import wait_for
from tests.web.conftest import Platform, accept_next_dialog, screenshot, sign_in, unlabelled_controls

PARIS = ZoneInfo("Europe/Paris")
LOCAL_INPUT = "%Y-%m-%dT%H:%M"


async def _promote(page: Page, user: Account) -> None:
    await page.goto("/sign-in?next=/admin")
    await page.get_by_label("Username or email").fill(DEV_ADMIN["username"])
    await page.get_by_label("Password").fill(DEV_ADMIN["password"])
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_label("User id").fill(user.id)
    await page.get_by_role("button", name="Set roles").click()
    await expect(page.locator("main").get_by_role("status")).to_contain_text(
        f"{user.username} now has the roles"
    )


async def _create_event(page: Page, title: str, starts: datetime) -> str:
    """Creates the event on the form, its times typed on Paris's clock; returns its id."""
    await page.get_by_label("Title").fill(title)
    await page.get_by_label("Venue").fill("Skyline Terrace")
    await page.get_by_label("Category").fill("music")
    await page.get_by_label("Time zone").fill("Europe/Paris")
    await page.get_by_label("Starts").fill(starts.strftime(LOCAL_INPUT))
    await page.get_by_label("Ends").fill((starts + timedelta(hours=3)).strftime(LOCAL_INPUT))
    await page.get_by_label("Capacity").fill("40")
    await page.get_by_label("Price of the default ticket (minor units, e.g. cents)").fill("2500")
    await page.get_by_role("button", name="Create event").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(title)
    add_type = page.get_by_role("form", name="Add a ticket type")
    await add_type.get_by_label("Name").fill("VIP")
    await add_type.get_by_label("Price (minor units)").fill("6000")
    await page.get_by_role("button", name="Add ticket type").click()
    await expect(page.get_by_role("row", name=re.compile("^VIP"))).to_be_visible()
    voucher = page.get_by_role("form", name="Add a voucher")
    await voucher.get_by_label("Code").fill("JAZZ20")
    await voucher.get_by_label("Uses").fill("10")
    await voucher.get_by_label("Value").fill("20")
    await page.get_by_role("button", name="Add voucher").click()
    await expect(page.get_by_role("button", name="Disable JAZZ20")).to_be_visible()
    return page.url.rstrip("/").rsplit("/", 1)[1]


async def _scan(door: Page, secret: str, result: str, text: str) -> None:
    await door.get_by_label("Ticket code").fill(secret)
    await door.get_by_role("button", name="Check in").click()
    verdict = door.get_by_role("status", name="Verdict")
    await expect(verdict).to_have_attribute("data-result", result)
    await expect(verdict).to_contain_text(text)
    # Ready for the next ticket: the field is empty and has the focus.
    await expect(door.get_by_label("Ticket code")).to_be_focused()


async def test_the_whole_story(new_page: Callable[..., Awaitable[Page]], platform: Platform) -> None:
    future, attendee = await platform.register(), await platform.register()
    await _promote(await new_page(), future)

    # The organizer's browser is in New York; the event's times are typed and shown on Paris's clock.
    organizer: Page = await new_page(timezone_id="America/New_York")
    await sign_in(organizer, future, path="/organize/new")
    title = f"Jazz on the Roof {future.username}"
    starts = (datetime.now(PARIS) + timedelta(hours=2)).replace(second=0, microsecond=0)
    event_id = await _create_event(organizer, title, starts)
    stored = (await platform.client.get(f"{platform.services.event_service}/events/{event_id}")).json()
    assert datetime.fromisoformat(stored["starts_at"]) == starts
    assert stored["timezone"] == "Europe/Paris"
    await expect(organizer.get_by_label("Starts")).to_have_value(starts.strftime(LOCAL_INPUT))

    await organizer.get_by_role("link", name="Sales dashboard").click()
    total = organizer.locator('[data-ticket-type="total"]')
    await expect(total.locator('[data-figure="sold"]')).to_have_text("0")
    await organizer.evaluate("window.notReloaded = true")

    # The attendee holds one seat of each type with the voucher, and pays.
    buyer: Page = await new_page()
    await sign_in(buyer, attendee, path=f"/event/{event_id}")
    await expect(buyer.get_by_label("Quantity of VIP")).to_be_visible()
    await buyer.get_by_label("Quantity of Admission").fill("1")
    await buyer.get_by_label("Quantity of VIP").fill("1")
    await buyer.get_by_label("Voucher code (optional)").fill("jazz20")
    await buyer.get_by_role("button", name="Hold tickets").click()
    await expect(buyer.get_by_role("timer")).to_have_text(re.compile(r"^\d+:\d\d$"))
    await buyer.get_by_label("Card").select_option("pm_card_visa")
    await buyer.get_by_role("button", name="Pay €68.00").click()
    await expect(buyer.get_by_role("heading", name="Booking confirmed")).to_be_visible()

    # The organizer's dashboard shows the sale, without a reload.
    await expect(total.locator('[data-figure="sold"]')).to_have_text("2")
    await expect(total.locator('[data-figure="revenue"]')).to_have_text("€68.00")
    vip_row = organizer.get_by_role("row", name=re.compile("^VIP"))
    await expect(vip_row.locator('[data-figure="revenue"]')).to_have_text("€48.00")
    assert await organizer.evaluate("window.notReloaded === true")
    await screenshot(organizer, "dashboard")

    # The organizer moves the event an hour later (on Paris's clock); the attendee's toast says so.
    await organizer.get_by_role("link", name=f"← {title}").click()
    moved = starts + timedelta(hours=1)
    await organizer.get_by_label("Starts").fill(moved.strftime(LOCAL_INPUT))
    await organizer.get_by_label("Ends").fill((moved + timedelta(hours=3)).strftime(LOCAL_INPUT))
    await organizer.get_by_role("button", name="Save changes").click()
    await expect(organizer.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    await expect(organizer.get_by_label("Starts")).to_have_value(moved.strftime(LOCAL_INPUT))
    moved_toast = buyer.locator(".toast", has_text=f"Event updated: {title}")
    await expect(moved_toast).to_be_visible()
    # On the event's clock, e.g. "Sat 21 Jun 2030, 20:30 CEST".
    await expect(moved_toast).to_contain_text(f"{moved.day} {moved:%b} {moved.year}, {moved:%H:%M}")

    # At the door: a list, its door page, and the attendee's ticket scanned twice.
    await organizer.get_by_role("link", name="Check-in and attendees").click()
    await organizer.get_by_role("button", name="Add list").click()
    await organizer.get_by_role("link", name="Door page of Main entrance").click()
    await buyer.get_by_role("link", name="See my bookings").click()
    await buyer.get_by_role("link", name="Tickets").click()
    await expect(buyer.get_by_role("list", name="Tickets").get_by_role("listitem")).to_have_count(2)
    secret = (await buyer.locator("[data-secret]").all_text_contents())[0]
    await _scan(organizer, secret, "ok", "OK")
    await _scan(organizer, secret, "already_checked_in", "Already checked in")
    assert await unlabelled_controls(organizer) == []

    # A declined card says so.
    await buyer.goto(f"/event/{event_id}")
    await buyer.get_by_label("Quantity of Admission").fill("1")
    await buyer.get_by_role("button", name="Hold tickets").click()
    await buyer.get_by_label("Card").select_option("pm_card_chargeDeclined")
    await buyer.get_by_role("button", name=re.compile(r"^Pay ")).click()
    await expect(buyer.get_by_role("form", name="Pay for the hold").get_by_role("alert")).to_contain_text(
        "Card declined"
    )

    # The attendee's network is cut while the organizer cancels the event; back online, the inbox
    # has the cancellation and the refund, once each.
    await buyer.get_by_role("link", name=re.compile("^Inbox")).click()
    await expect(buyer.get_by_role("list", name="Notifications")).to_be_attached()
    await expect(buyer.locator("html")).to_have_attribute("data-live", "open")
    # The title of every toast shown from here on, kept after the toast fades.
    await buyer.evaluate(
        """() => {
            window.toasted = [];
            new MutationObserver((changes) => changes.forEach((change) => change.addedNodes.forEach(
                (toast) => window.toasted.push(toast.querySelector("strong").textContent)
            ))).observe(document.getElementById("toasts"), { childList: true });
        }"""
    )
    await buyer.context.set_offline(True)
    await expect(buyer.locator("html")).to_have_attribute("data-live", "closed")
    await organizer.goto(f"/organize/{event_id}")
    accept_next_dialog(organizer)
    await organizer.get_by_role("button", name="Cancel this event").click()
    await expect(organizer.get_by_text("Status: cancelled")).to_be_visible()
    await wait_for(lambda: _told(platform, attendee, "event.cancelled", "payment.refunded"), timeout=30)
    await buyer.context.set_offline(False)
    await expect(buyer.locator("html")).to_have_attribute("data-live", "open", timeout=30_000)

    for kind in ("event.cancelled", "booking.cancelled", "payment.refunded"):
        await expect(buyer.locator(f'[data-type="{kind}"]')).to_have_count(1, timeout=30_000)
    toasted = await buyer.evaluate("window.toasted")
    assert toasted.count(f"Event cancelled: {title}") == 1, toasted
    assert toasted.count("Refund issued") == 1, toasted


async def _told(platform: Platform, account: Account, *kinds: str) -> bool:
    stored = {item["type"] for item in await platform.notifications(account)}
    return set(kinds) <= stored
