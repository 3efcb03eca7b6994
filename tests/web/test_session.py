"""The token lives in the tab's sessionStorage, never in a cookie; one the API refuses asks to sign in."""

from playwright.async_api import Page, expect

from tests.web.conftest import Platform, sign_in

STORAGE_KEY = "event-platform.token"


async def test_the_token_is_kept_in_session_storage_and_no_cookie(page: Page, platform: Platform) -> None:
    attendee = await platform.register()
    await sign_in(page, attendee)

    stored = await page.evaluate(f"sessionStorage.getItem('{STORAGE_KEY}')")
    assert stored is not None and stored.count(".") == 2
    assert await page.context.cookies() == []
    # A reload in the same tab keeps the session.
    await page.reload()
    await expect(page.get_by_role("button", name=f"Sign out {attendee.username}")).to_be_visible()


async def test_a_token_the_api_refuses_asks_to_sign_in_again(page: Page, platform: Platform) -> None:
    attendee = await platform.register()
    await sign_in(page, attendee)
    # The same claims under a signature no key made: the API answers 401.
    await page.evaluate(
        f"""() => {{
            const [header, claims] = sessionStorage.getItem('{STORAGE_KEY}').split('.');
            sessionStorage.setItem('{STORAGE_KEY}', `${{header}}.${{claims}}.bm90LWEtc2lnbmF0dXJl`);
        }}"""
    )

    await page.goto("/my/bookings")

    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await expect(page.get_by_role("alert")).to_contain_text("sign in again")
    assert await page.evaluate(f"sessionStorage.getItem('{STORAGE_KEY}')") is None
    await page.get_by_label("Username or email").fill(attendee.username)
    await page.get_by_label("Password").fill("a-long-password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="My bookings")).to_be_visible()
