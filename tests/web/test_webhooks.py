"""Webhooks in the browser: an organizer adds an endpoint of a real receiver, copies its secret the one
time it is shown, sends a test and follows it to delivered; a 410 shows in the log, and once the endpoint
is on again the delivery is sent again and arrives."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import Page, expect

from tests.notification_service.webhook_support import Receiver, fails_first, receiver, verify
from tests.web.conftest import Platform, screenshot, sign_in, unlabelled_controls


@pytest.fixture
async def hooks() -> AsyncIterator[Receiver]:
    async with receiver() as served:
        yield served


def _delivery(page: Page, state: str) -> Any:
    return page.locator(f'[data-delivery][data-state="{state}"]')


async def test_an_organizer_adds_an_endpoint_sees_its_secret_once_and_a_test_arrives(
    new_page: Any, platform: Platform, hooks: Receiver
) -> None:
    organizer = await platform.register("organizer")
    page: Page = await new_page()
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    await sign_in(page, organizer, path="/organize")
    await page.get_by_role("link", name="Webhooks").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")

    await page.get_by_label("Endpoint URL").fill(hooks.endpoint("crm"))
    await page.get_by_label("booking.cancelled", exact=True).uncheck()
    await page.get_by_label("checkin.scanned", exact=True).check()
    await page.get_by_label("Description").fill("CRM: new customers")
    assert await unlabelled_controls(page) == []
    await page.get_by_role("button", name="Add endpoint").click()

    panel = page.get_by_role("region", name="The new endpoint's signing secret")
    await expect(panel).to_contain_text("Shown only once.")
    secret = await panel.get_by_label("Signing secret").input_value()
    assert secret.startswith("whsec_")
    # By keyboard: the panel has the focus; Tab reaches the field, then the button.
    await expect(panel).to_be_focused()
    await page.keyboard.press("Tab")
    await page.keyboard.press("Tab")
    await expect(panel.get_by_role("button", name="Copy secret")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(panel.get_by_role("status")).to_have_text("Copied.")
    assert await page.evaluate("navigator.clipboard.readText()") == secret
    row = page.locator("[data-webhook]", has_text=hooks.endpoint("crm"))
    await expect(row).to_contain_text("booking.confirmed, checkin.scanned")
    await expect(row).to_contain_text("All my events")
    await expect(row.locator("[data-state]")).to_have_text("Enabled")
    await screenshot(page, "webhooks")

    await page.reload()
    await expect(row).to_be_visible()
    await expect(page.get_by_text("Shown only once.")).to_have_count(0)

    await row.get_by_role("link", name=hooks.endpoint("crm"), exact=True).click()
    await page.get_by_role("button", name="Send a test").click()
    await page.get_by_role("link", name="follow it in the deliveries").click()
    delivered = _delivery(page, "delivered")
    await expect(delivered).to_contain_text("webhook.test")
    await expect(delivered.locator('[data-status-code="200"]')).to_contain_text("answer 1")

    (request,) = hooks.to("crm")
    assert verify(secret, request.headers, request.body)["type"] == "webhook.test"
    assert request.headers["webhook-id"] in await delivered.text_content()


async def test_a_failing_receivers_delivery_shows_its_status_and_is_sent_again(
    page: Page, platform: Platform, hooks: Receiver
) -> None:
    organizer = await platform.register("organizer")
    url = hooks.endpoint("gone-once", fails_first(1, status=410))
    created = await platform.client.post(
        f"{platform.services.notification_service}/webhooks",
        json={"url": url, "event_types": ["booking.*"]},
        headers=organizer.headers,
    )
    assert created.status_code == 201, created.text
    webhook_page = f"/organize/webhooks/{created.json()['id']}"
    await sign_in(page, organizer, path=webhook_page)

    await page.get_by_role("button", name="Send a test").click()
    await page.get_by_role("link", name="follow it in the deliveries").click()
    failed = _delivery(page, "failed")
    await expect(failed.locator('[data-status-code="410"]')).to_contain_text("410")

    # A 410 turned the endpoint off: sending again waits until it is on.
    await failed.get_by_role("button", name="Resend").click()
    await expect(failed.get_by_role("alert")).to_contain_text("disabled")
    await page.get_by_role("link", name="The webhook").click()
    await expect(page.locator("dd[data-state]")).to_have_text("Disabled: the endpoint answered 410 Gone")
    await page.get_by_role("button", name="Enable").click()
    await expect(page.locator("dd[data-state]")).to_have_text("Enabled")

    await page.get_by_role("link", name="Deliveries").click()
    await page.get_by_label("State").select_option("failed")
    await page.get_by_role("button", name="Show").click()
    await expect(page).to_have_url(f"{webhook_page}/deliveries?status=failed")
    await page.get_by_role("button", name="Resend").click()
    await page.get_by_label("State").select_option("")
    await page.get_by_role("button", name="Show").click()
    delivered = _delivery(page, "delivered")
    await expect(delivered.locator('[data-status-code="200"]')).to_contain_text("answer 2")
    await expect(delivered.locator('[data-status-code="410"]')).to_be_visible()
    await screenshot(page, "webhook-deliveries")
    first, second = hooks.to("gone-once")
    assert first.headers["webhook-id"] == second.headers["webhook-id"]


async def test_changes_errors_beside_their_field_and_deleting_asks_first(
    page: Page, platform: Platform, hooks: Receiver
) -> None:
    organizer = await platform.register("organizer")
    await sign_in(page, organizer, path="/organize/webhooks")
    form = page.get_by_role("form", name="Add an endpoint")
    await form.get_by_label("Endpoint URL").fill(hooks.endpoint("books"))
    await form.get_by_label("booking.confirmed", exact=True).uncheck()
    await form.get_by_label("booking.cancelled", exact=True).uncheck()
    await form.get_by_role("button", name="Add endpoint").click()
    await expect(form.locator('[data-error-for="event_types"]')).to_be_visible()
    await expect(form.get_by_role("alert")).to_have_text("Some fields need a change.")

    await form.get_by_label("ticket.* (every ticket fact, new ones too)").check()
    await form.get_by_label("Endpoint URL").fill("ftp://books.example.com/hooks")
    await form.get_by_role("button", name="Add endpoint").click()
    await expect(form.locator('[data-error-for="url"]')).to_contain_text("http")
    await expect(form.get_by_label("Endpoint URL")).to_be_focused()
    await expect(form.locator('[data-error-for="event_types"]')).to_be_hidden()

    await form.get_by_label("Endpoint URL").fill(hooks.endpoint("books"))
    await form.get_by_role("button", name="Add endpoint").click()
    await page.get_by_role("link", name=hooks.endpoint("books"), exact=True).click()

    edit = page.get_by_role("form", name="Change it")
    await edit.get_by_label("Description").fill("Accounting")
    await edit.get_by_role("button", name="Save changes").click()
    await expect(page.locator(".facts")).to_contain_text("Accounting")
    await page.get_by_role("button", name="Disable").click()
    await expect(page.locator("dd[data-state]")).to_have_text("Disabled: turned off")
    await expect(page.get_by_role("button", name="Send a test")).to_be_disabled()

    await page.get_by_role("button", name="Rotate secret").click()
    await expect(page.get_by_role("region", name="The new signing secret")).to_contain_text(
        "Shown only once."
    )

    await page.get_by_role("button", name="Delete", exact=True).click()
    await expect(page.get_by_role("button", name="Keep it")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("button", name="Delete for good")).to_be_hidden()
    await page.get_by_role("button", name="Delete", exact=True).click()
    await page.get_by_role("button", name="Delete for good").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
    await expect(page.get_by_text("No endpoints yet.")).to_be_visible()
