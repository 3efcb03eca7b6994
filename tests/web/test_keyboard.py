"""Every step of signing in works from the keyboard alone."""

from playwright.async_api import Page, expect

from tests.web.conftest import PASSWORD, Platform, unlabelled_controls

MAX_TABS = 30


async def _tab_to(page: Page, text: str, key: str = "Tab") -> None:
    """Presses `key` (Tab, or Shift+Tab to go back) until the focused element reads `text`."""
    for _ in range(MAX_TABS):
        await page.keyboard.press(key)
        focused = await page.evaluate("document.activeElement?.textContent?.trim() ?? ''")
        if focused == text:
            return
    raise AssertionError(f"{text!r} never took the focus in {MAX_TABS} tabs")


async def test_signing_in_with_the_keyboard_only(page: Page, platform: Platform) -> None:
    attendee = await platform.register()
    await page.goto("/")
    await expect(page.get_by_role("heading", name="Upcoming events")).to_be_visible()

    await _tab_to(page, "Sign in")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    # The first field has the focus: type, Tab to the password, Enter submits.
    await page.keyboard.type(attendee.username)
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")

    await expect(page.get_by_role("button", name=f"Sign out {attendee.username}")).to_be_visible()
    # The focus moved to the page signed in to; the navigation is just before it.
    await expect(page.locator("#main")).to_be_focused()
    await _tab_to(page, "My bookings", key="Shift+Tab")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="My bookings")).to_be_visible()


async def test_every_form_control_has_a_label(page: Page) -> None:
    for path in ("/", "/sign-in", "/sign-up"):
        await page.goto(path)
        await expect(page.locator("main form").first).to_be_visible()
        assert await unlabelled_controls(page) == [], path
