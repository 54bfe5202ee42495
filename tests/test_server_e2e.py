"""End to end, in a real browser: `newsbrief serve` started by the test on
127.0.0.1 (a subprocess, stopped after), driven by Playwright with the
system's headless Chromium (/usr/bin/chromium; nothing is downloaded).

Paste the three Kislyak articles, get the briefing, follow citations by
mouse and keyboard, at laptop and phone widths; an article carrying script
must stay text; the store pages list and search what was added. Screenshots
go to test-artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("NEWSBRIEF_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} not found: the browser tests need Debian's chromium package "
                "(apt-get install chromium; .ci/run installs it)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra (scripts/setup.sh dev)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> list[str]:
    """Local addresses (hex, as the kernel shows them) listening on ``port``."""
    out = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            addr, p = f[1].rsplit(":", 1)
            if int(p, 16) == port and f[3] == "0A":  # 0A: LISTEN
                out.append(addr)
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    db = tmp_path_factory.mktemp("e2e") / "news.db"
    env = dict(os.environ, HF_HUB_OFFLINE="1", NEWSBRIEF_DB=str(db))
    env.pop("NEWSBRIEF_FETCH_ALLOW", None)
    log = open(tmp_path_factory.mktemp("e2e-log") / "serve.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "newsbrief", "serve", "--port", str(port)], env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/api/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"newsbrief serve did not start: {log.read()[-2000:]}")
            time.sleep(0.3)
        yield base, port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def texts(kislyak: list[Path]) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in kislyak]


def brief(page, base: str, texts: list[str], store: bool = False) -> dict:
    page.goto(base + "/")
    page.wait_for_selector("#text-3")
    for i, t in enumerate(texts):
        if i >= 3:
            page.click("#add-article")
        page.fill(f"#text-{i + 1}", t)
    if store:
        page.check("#store")
    page.click("#brief-button")
    page.wait_for_selector("#view-briefing .cite", timeout=60_000)
    return page.evaluate("JSON.parse(sessionStorage.getItem('newsbrief.briefing'))")


def highlighted(page) -> dict:
    """The highlighted sentence: its text and source, and whether it is on screen (window and its scroll box)."""
    return page.evaluate("""() => {
        const hl = [...document.querySelectorAll('#view-briefing .sent.hl')];
        if (hl.length !== 1) return {count: hl.length};
        const n = hl[0], r = n.getBoundingClientRect(), box = n.closest('.source-text').getBoundingClientRect();
        const inWindow = r.top >= 0 && r.bottom <= window.innerHeight + 1 && r.left >= 0 && r.right <= window.innerWidth + 1;
        const inBox = r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
        return {count: 1, text: n.textContent, source: n.dataset.source, sentence: Number(n.dataset.sentence),
                visible: inWindow && inBox, focused: document.activeElement === n,
                background: getComputedStyle(n).backgroundColor};
    }""")


def test_listens_on_loopback_only(server) -> None:
    _, port = server
    addrs = listening(port)
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp to read listening sockets from")
    assert addrs == ["0100007F"], f"expected only 127.0.0.1 to listen on {port}, got {addrs}"


def test_paste_brief_and_follow_a_citation(server, browser, texts, artifacts) -> None:
    base, _ = server
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    b = brief(page, base, texts, store=True)

    assert page.locator("#view-briefing .source").count() == 3
    assert page.locator("#view-briefing .summary-sentence").count() == len(b["summary"])
    for title in ("Summary", "Sources", "What the sources agree on", "Where the sources differ", "Quotes",
                  "People and organisations", "Timeline"):
        assert page.get_by_role("heading", name=title, exact=True).is_visible(), title
    page.screenshot(path=str(artifacts / "briefing.png"))

    c = b["summary"][0]["citations"][0]
    page.click("#cite-1")
    got = highlighted(page)
    assert got["count"] == 1 and got["text"] == c["text"]
    assert (got["source"], got["sentence"]) == (c["source"], c["sentence"])
    assert got["visible"] and got["focused"]
    assert got["background"] not in ("rgba(0, 0, 0, 0)", "transparent")

    # A later citation, probably in another source: the highlight moves there.
    last = sum(len(s["citations"]) for s in b["summary"])
    cl = [x for s in b["summary"] for x in s["citations"]][-1]
    page.click(f"#cite-{last}")
    got = highlighted(page)
    assert got["text"] == cl["text"] and got["visible"]
    page.screenshot(path=str(artifacts / "citation.png"))
    assert not errors, errors


def test_keyboard_tab_to_a_citation_and_enter(server, browser, texts) -> None:
    base, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    b = brief(page, base, texts)
    c = b["summary"][1]["citations"][0]
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "cite-2":
            break
    else:
        pytest.fail("Tab never reached citation [2]")
    page.keyboard.press("Enter")
    got = highlighted(page)
    assert got["text"] == c["text"] and got["visible"] and got["focused"]
    # And back: the "Back to the citation" button in the source card returns focus to the marker.
    page.locator(".source .back:visible").click()
    assert page.evaluate("document.activeElement.id") == "cite-2"


def test_phone_width(server, browser, texts, artifacts) -> None:
    base, _ = server
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                              has_touch=True)
    page = ctx.new_page()
    b = brief(page, base, texts)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 391, f"the page scrolls sideways on a phone ({width}px wide)"
    page.screenshot(path=str(artifacts / "phone-briefing.png"))
    page.tap("#cite-1")
    got = highlighted(page)
    assert got["text"] == b["summary"][0]["citations"][0]["text"] and got["visible"]
    page.screenshot(path=str(artifacts / "phone-citation.png"))
    ctx.close()


XSS = ("City officials met on Tuesday to discuss the harbour budget for next year. "
       "One resident typed <script>window.__xss=1</script> into the comment form, the clerk said. "
       "Another posted <img src=x onerror=\"window.__xss=1\"> as a test of the city website. "
       "The mayor said the budget would pass next week after a second reading.")


def test_article_markup_stays_text(server, browser, artifacts) -> None:
    base, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    other = ("The harbour budget will be voted on next week, the mayor said on Tuesday. "
             "Residents tested the city website's comment form with code, the clerk said.")
    page.goto(base + "/")
    page.fill("#text-1", XSS)
    page.fill("#text-2", other)
    page.fill("#outlet-1", "<img src=x onerror=\"window.__xss=2\">")
    page.click("#brief-button")
    page.wait_for_selector("#view-briefing .source", timeout=60_000)
    page.wait_for_timeout(300)  # an injected handler would have run by now
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("#view-briefing img").count() == 0
    assert page.locator("script").count() == 1  # app.js, nothing injected
    text = page.locator("#view-briefing .source-text").first.text_content()
    assert "<script>window.__xss=1</script>" in text and '<img src=x onerror="window.__xss=1">' in text
    assert page.get_by_text("<script>window.__xss=1</script>", exact=False).first.is_visible()
    assert page.get_by_role("heading", name='<img src=x onerror="window.__xss=2">').count() == 1
    page.screenshot(path=str(artifacts / "xss.png"))


def test_stories_and_search_pages(server, browser) -> None:
    """The first test stored the Kislyak articles: the Stories page lists their story and opens its briefing."""
    base, _ = server
    with urllib.request.urlopen(base + "/api/stories") as r:
        stories = json.load(r)
    if not stories:
        pytest.skip("no story stored (the paste test did not run first)")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "/#/stories")
    page.wait_for_selector(".story-list a")
    assert page.locator(".story-list li").count() == len(stories)
    with urllib.request.urlopen(base + "/api/stories?order=rank") as r:
        ranked = json.load(r)
    first = page.locator(".story-list li").first  # the ranked list by default, with its outlet count
    assert first.locator("a").get_attribute("href") == f"#/story/{ranked[0]['id']}"
    assert "independent outlet" in first.text_content()
    assert page.locator('head link[type="application/atom+xml"]').get_attribute("href") == "/feeds/stories.atom"
    page.locator(".story-list a").first.click()
    page.wait_for_selector("#view-briefing .cite", timeout=60_000)
    assert page.locator("#follow-story").get_attribute("href") == f"/feeds/story/{ranked[0]['id']}.atom"
    page.click("#cite-1")
    assert highlighted(page)["count"] == 1

    page.fill("#search-q", "Kislyak")
    page.press("#search-q", "Enter")
    page.wait_for_selector(".hits li")
    assert page.locator(".hits mark").count() >= 1
    assert "kislyak" in page.locator(".hits mark").first.text_content().lower()


def test_docs_page_renders_offline(server, browser) -> None:
    base, _ = server
    page = browser.new_page()
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    page.goto(base + "/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() >= 8
    assert hosts == {base.split("/")[2]}, hosts


def test_added_words_are_marked(server, browser, artifacts) -> None:
    """A briefing whose summary sentences carry edits (built by hand: the
    summarizer need not make any) is loaded the way the page reloads its last
    briefing, from session storage; each bracketed insertion is a span.added,
    made of text nodes, and the rest of the sentence is the cited text."""
    from edited import edited_briefing

    base, _ = server
    b = edited_briefing().to_dict()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + "/")
    page.wait_for_selector("#text-1")
    page.evaluate("b => sessionStorage.setItem('newsbrief.briefing', JSON.stringify(b))", b)
    page.goto(base + "/#/briefing")
    page.wait_for_selector("#view-briefing .cite")

    sentences = page.locator("#view-briefing .summary-sentence .sentence-text")
    assert sentences.count() == 3
    assert [sentences.nth(i).text_content() for i in range(3)] == [s["text"] for s in b["summary"]]
    added = page.locator("#view-briefing .summary-sentence span.added")
    assert added.count() == 2
    assert [added.nth(i).text_content() for i in range(2)] == ["[Kislyak]", "[Vox]"]
    assert [added.nth(i).get_attribute("title") for i in range(2)] == ["added for context"] * 2
    assert sentences.nth(0).locator("span.added").count() == 0  # a sentence without edits has none
    first = page.evaluate("""() => {
        const a = document.querySelectorAll('#view-briefing .summary-sentence')[1].querySelector('span.added');
        const kids = [...a.childNodes].map((n) => n.nodeType);
        const st = getComputedStyle(a);
        return {kids, italic: st.fontStyle, line: st.textDecorationLine, next: a.nextSibling.nodeValue};
    }""")
    assert first["kids"] == [3]  # one text node
    assert first["italic"] == "italic" and "underline" in first["line"]
    assert first["next"].startswith(" also served")
    legend = page.locator("#view-briefing .summary .legend")
    assert legend.is_visible() and "added for context" in legend.text_content()
    page.click("#cite-2")  # the marker still shows the cited sentence as the article has it: "He also ..."
    got = highlighted(page)
    assert got["text"] == b["summary"][1]["citations"][0]["text"] and got["text"].startswith("He also")
    page.screenshot(path=str(artifacts / "added-words.png"))
    assert not errors, errors


def test_edit_offsets_count_code_points(server, browser) -> None:
    """Edit offsets count code points (Python's str), not UTF-16 units: an
    emoji before the edit must not shift it."""
    from edited import VOX, edited_briefing

    base, _ = server
    vox = VOX[:2] + ["But the meetings were routine \U0001F4F0\U0001F4F0, a spokesman told me."]
    b = edited_briefing(vox).to_dict()
    assert b["summary"][2]["text"] == "The meetings were routine \U0001F4F0\U0001F4F0, a spokesman told [Vox]."
    page = browser.new_page()
    page.goto(base + "/")
    page.wait_for_selector("#text-1")
    page.evaluate("b => sessionStorage.setItem('newsbrief.briefing', JSON.stringify(b))", b)
    page.goto(base + "/#/briefing")
    page.wait_for_selector("#view-briefing .cite")
    third = page.locator("#view-briefing .summary-sentence .sentence-text").nth(2)
    assert third.text_content() == b["summary"][2]["text"]
    assert third.locator("span.added").text_content() == "[Vox]"


def test_fact_table_shows_disputed_values(server, browser, artifacts) -> None:
    """Three articles written to disagree: the fact table marks the disputed
    facts, shows each outlet's value, and its citations open the sentence."""
    base, _ = server
    texts = [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).parent / "fixtures" / "disagree").glob("*.txt"))]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    b = brief(page, base, texts)
    assert page.get_by_role("heading", name="Fact table", exact=True).is_visible()
    table = page.locator("table.facts")
    disputed = table.locator("tr.disputed")
    assert disputed.count() == len([f for f in b["facts"] if f["disputed"]]) >= 3
    assert table.locator("td.contradicts").count() >= 3
    body = table.inner_text()
    for value in ("$3 million", "Seven people died", "June"):
        assert value in body, value
    assert page.locator("#view-briefing .disputed-by").count() == sum(bool(s["disputed"]) for s in b["summary"]) >= 2
    cell = table.locator("td.contradicts").first
    cell.locator("button.jump").click()
    got = highlighted(page)
    assert got["count"] == 1 and got["visible"]
    page.screenshot(path=str(artifacts / "facts.png"))
    assert not errors, errors
