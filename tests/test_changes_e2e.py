""""What's new" on the story page, in a real browser (the system's headless
Chromium, as tests/test_server_e2e.py): the app on 127.0.0.1 over a store
holding the flood story of tests/test_changes.py; picking the version before
the update shows the changed toll and the new facts, and each citation is
one click away (in its source card, or quoted in place when an update
replaced its article)."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
from test_changes import NEW_FACTS, build_flood  # noqa: E402
from test_server_e2e import CHROMIUM, FLAGS, sync_api  # noqa: E402  (skips without Chromium or Playwright)
from test_server_hostile import serve  # noqa: E402,F401  (the fixture: a real uvicorn server on 127.0.0.1)


def test_whats_new_on_the_story_page(tmp_path, serve) -> None:
    _, sid, seen = build_flood(tmp_path / "news.db")  # the file serve() opens
    s = serve()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(s.base + f"/#/story/{sid}")
        page.wait_for_selector(".whats-new .new-facts li", timeout=60_000)
        assert page.locator("#since-version option").count() >= 2
        page.select_option("#since-version", str(seen))
        page.wait_for_selector(".whats-new .changed-values li", timeout=30_000)
        change = page.locator(".whats-new .changed-values li").first
        assert "killed 12" in change.text_content() and "death toll rose to 15" in change.text_content()
        facts = page.locator(".whats-new .new-facts > li")
        assert {f.split(" Valley News")[0].split(" County Courier")[0] for f in facts.all_text_contents()} == NEW_FACTS
        change.locator("button", has_text="now").click()  # the updated article is in the briefing: highlighted there
        hl = page.locator("#view-briefing .sent.hl")
        assert hl.count() == 1 and "death toll rose to 15" in hl.text_content()
        change.locator("button", has_text="before").click()  # the replaced text is not: quoted in place
        quote = change.locator(".cited-inline:visible")
        assert quote.count() == 1 and "killed 12 people" in quote.text_content()
        browser.close()
