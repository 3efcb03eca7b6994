"""An admin makes an organizer, who sets up an event with a second ticket type, a quota and a voucher."""

import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from playwright.async_api import Page, expect

from tests.accounts import DEV_ADMIN
from tests.web.conftest import Platform, screenshot, sign_in, unlabelled_controls


async def test_an_admin_promotes_and_the_organizer_sets_up_an_event(
    new_page: Callable[[], Awaitable[Page]], platform: Platform
) -> None:
    future = await platform.register()
    admin_page: Page = await new_page()
    await admin_page.goto("/sign-in?next=/admin")
    await admin_page.get_by_label("Username or email").fill(DEV_ADMIN["username"])
    await admin_page.get_by_label("Password").fill(DEV_ADMIN["password"])
    await admin_page.get_by_role("button", name="Sign in").click()
    await admin_page.get_by_label("User id").fill(future.id)
    await admin_page.get_by_role("button", name="Set roles").click()
    promoted = f"{future.username} now has the roles: organizer"
    await expect(admin_page.locator("main").get_by_role("status")).to_contain_text(promoted)

    # The new organizer signs in afresh (the roles are in the token) and creates an event.
    page: Page = await new_page()
    await sign_in(page, future, path="/organize/new")
    title = f"Harbour Lights {future.username}"
    starts = (datetime.now() + timedelta(days=12)).replace(second=0, microsecond=0)
    await page.get_by_label("Title").fill(title)
    await page.get_by_label("Venue").fill("Pier 4")
    await page.get_by_label("Category").fill("festival")
    await page.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    await page.get_by_label("Ends").fill((starts + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"))
    await page.get_by_label("Capacity").fill("30")
    await page.get_by_label("Price of the default ticket (minor units, e.g. cents)").fill("1500")
    await page.get_by_role("button", name="Create event").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(title)

    await page.get_by_role("form", name="Add a ticket type").get_by_label("Name").fill("VIP")
    await page.get_by_role("form", name="Add a ticket type").get_by_label("Price (minor units)").fill("4000")
    await page.get_by_role("button", name="Add ticket type").click()
    await expect(page.get_by_role("row", name=re.compile("^VIP"))).to_be_visible()

    await page.get_by_text("Edit VIP").click()
    edit = page.get_by_role("form", name="Edit ticket type VIP")
    await edit.get_by_label("Price (minor units)").fill("4500")
    await edit.get_by_role("button", name="Save").click()
    await expect(page.get_by_role("row", name=re.compile("^VIP"))).to_contain_text("€45.00")

    quota = page.get_by_role("form", name="Add a quota")
    await quota.get_by_label("Name").fill("Front rows")
    await quota.get_by_label("Size").fill("10")
    await quota.get_by_label("VIP").check()
    await page.get_by_role("button", name="Add quota").click()
    await expect(page.get_by_text("Front rows: 10 seats for VIP")).to_be_visible()
    await page.get_by_label("Size of Front rows").fill("12")
    await page.get_by_role("button", name="Resize").click()
    await expect(page.get_by_text("Front rows: 12 seats for VIP")).to_be_visible()

    voucher = page.get_by_role("form", name="Add a voucher")
    await voucher.get_by_label("Code").fill("HARBOUR10")
    await voucher.get_by_label("Uses").fill("5")
    await page.get_by_role("button", name="Add voucher").click()
    await expect(page.get_by_role("button", name="Disable HARBOUR10")).to_be_visible()
    await screenshot(page, "organize")
    assert await unlabelled_controls(page) == []

    # A 422 from the API stands next to the field that caused it.
    await page.get_by_role("form", name="Details").get_by_label("Capacity").fill("0")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.locator('[data-error-for="capacity"]').first).to_be_visible()

    # Anyone sees both types on the event's page.
    event_id = page.url.rstrip("/").rsplit("/", 1)[1]
    visitor: Page = await new_page()
    await visitor.goto(f"/event/{event_id}")
    await expect(visitor.get_by_label("Quantity of VIP")).to_be_visible()
    await expect(visitor.get_by_label("Quantity of Admission")).to_be_visible()
