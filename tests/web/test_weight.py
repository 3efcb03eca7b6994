"""How heavy and how quick the first page is: printed for the notes, with the size held under its goal."""

import gzip
import re
from pathlib import Path

from playwright.async_api import Page, expect

from tests.web.conftest import OneOrigin

FIRST_PAGE_GZIP_BUDGET = 150 * 1024


def first_page_sizes(dist: Path) -> dict[str, int]:
    """The gzipped size of each script and stylesheet index.html loads."""
    index = (dist / "index.html").read_text()
    names = re.findall(r'<(?:script|link)[^>]+(?:src|href)="/([^"]+)"', index)
    return {name: len(gzip.compress((dist / name).read_bytes())) for name in names}


async def test_the_first_page_is_small_and_the_event_list_soon_interactive(
    page: Page, origin: OneOrigin
) -> None:
    sizes = first_page_sizes(origin.dist)

    await page.goto("/")
    await expect(page.locator(".cards:not([aria-busy])")).to_be_visible()
    interactive_ms = await page.evaluate(
        "performance.now() - performance.getEntriesByType('navigation')[0].startTime"
    )
    await expect(page.get_by_role("button", name="Search")).to_be_enabled()

    total = sum(sizes.values())
    print(f"\nfirst page: {total / 1024:.1f} KB gzipped {sizes}")
    print(f"event list interactive after {interactive_ms:.0f} ms")
    assert any(name.endswith(".js") for name in sizes)
    assert total < FIRST_PAGE_GZIP_BUDGET
