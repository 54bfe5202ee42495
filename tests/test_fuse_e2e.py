"""A fused briefing on the web page, in a real browser (the system's
headless Chromium, as tests/test_server_e2e.py): the app on 127.0.0.1 over
a real SQLite store whose cached briefing of the Kislyak story was fused by
a model of our own over real HTTP (tests/test_fuse.py's rewriter: the
test model's Kislyak rewrites are all refused now). The server has no language-model setting of its own: the
page shows fused briefings it is given, each generated sentence marked, the
model named, and its cited sentences one click away."""

from __future__ import annotations

import json
import sqlite3

import pytest

pytest.importorskip("fastapi")
from test_server_e2e import CHROMIUM, FLAGS, sync_api  # noqa: E402  (skips without Chromium or Playwright)
from test_server_hostile import serve  # noqa: E402,F401  (the fixture: a real uvicorn server on 127.0.0.1)
from test_fuse import rewriter  # noqa: E402,F401  (the fixture: a scripted OpenAI-compatible server on 127.0.0.1)

from newsbrief.briefing.fuse import fuse  # noqa: E402
from newsbrief.llm import OpenAIChat  # noqa: E402
from newsbrief.model import Article, Briefing  # noqa: E402
from newsbrief.store import Store  # noqa: E402


def test_generated_sentences_marked_with_their_sources_one_click_away(tmp_path, serve, kislyak, rewriter) -> None:
    with Store(tmp_path / "news.db") as st:  # the file serve() opens
        ids = [st.add_article(Article(id=p.stem, raw=p.read_text(encoding="utf-8"), outlet=f"Outlet {k}"))[0]
               for k, p in enumerate(kislyak)]
        sid = st.new_story("Kislyak", articles=ids)
    s = serve()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(s.base + f"/#/story/{sid}")  # briefs the story and caches it under the page's options
        page.wait_for_selector(".summary-sentence", timeout=120_000)
        assert page.locator(".summary-sentence.generated").count() == 0
        with sqlite3.connect(tmp_path / "news.db") as db:
            [(cached,)] = db.execute("SELECT json FROM briefings WHERE story_id = ?", (sid,)).fetchall()
            fused = fuse(Briefing.from_dict(json.loads(cached)), OpenAIChat(rewriter.url, model="changer", retries=0))
            db.execute("UPDATE briefings SET json = ? WHERE story_id = ?", (json.dumps(fused.to_dict()), sid))
        assert fused.fusion.generated >= 1
        page.reload()
        page.wait_for_selector(".summary-sentence.generated", timeout=60_000)
        generated = page.locator(".summary-sentence.generated")
        assert generated.count() == fused.fusion.generated
        assert "written by changer from the sentences they cite" in page.locator(".summary .legend").last.text_content()
        first = next(x for x in fused.summary if x.generated)
        assert generated.first.locator(".sentence-text").text_content() == first.text
        assert generated.first.locator(".generated-mark").count() == 1
        generated.first.locator("button.cite").first.click()  # the cited sentence, highlighted in its source
        hl = page.locator("#view-briefing .sent.hl")
        assert hl.count() == 1 and hl.text_content().strip() == first.citations[0].text.strip()
        browser.close()
