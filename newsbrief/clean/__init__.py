"""Clean scraped article text: drop navigation, credits, captions, prompts and
bios, keep the story, and record every drop with its reason.

Hand-written rules, because trafilatura's boilerplate removal needs the HTML
tree, and plain-text dumps (Multi-News, copy-paste, feeds) have none. The
rules work on paragraphs (lines), plus a few inline patterns (a credit glued
to the end of a caption line). Each rule is a named regular expression or a
small predicate, so a new kind of boilerplate is one entry in
:mod:`newsbrief.clean.rules`.
"""

from __future__ import annotations

import re

from ..model import Article, Dropped
from . import rules

__all__ = ["clean", "clean_text"]

_SPACES = re.compile(r"[ \t\u00a0]+")


def clean(article: Article) -> Article:
    """Return the article with ``text`` (cleaned) and ``dropped`` filled in.

    A leading headline line becomes the title when the article has none.
    """
    text, dropped, title = clean_text(article.raw)
    # The constructor, not dataclasses.replace (5x its cost); tests check that every field is carried.
    a = article
    return Article(id=a.id, raw=a.raw, title=a.title or title, outlet=a.outlet, path=a.path, url=a.url,
                   published=a.published, text=text, dropped=dropped, sentences=[], author=a.author)


def clean_text(raw: str) -> tuple[str, list[Dropped], str | None]:
    """Cleaned text, every dropped span with its reason, and the headline
    (when the text starts with one)."""
    paras = [p.strip() for p in raw.replace("\r", "").split("\n")]
    # (A paragraph without a tab, no-break space or double space is its own result.)
    paras = [_SPACES.sub(" ", p) if ("  " in p or "\t" in p or "\u00a0" in p) else p for p in paras if p]
    kept: list[str] = []
    dropped: list[Dropped] = []
    title: str | None = None
    n = len(paras)
    reasons: list[str | None] = [rules.line_reason(p) for p in paras]
    _context(paras, reasons)

    for i, (p, why) in enumerate(zip(paras, reasons, strict=True)):
        if why is None and rules.is_bio(p, i, n):
            why = "author bio"
        if why is not None:
            dropped.append(Dropped(p, why))
            continue
        p, inline = rules.strip_inline(p)
        dropped.extend(inline)
        if not p:
            continue
        labelled = any(d.reason == "label" for d in inline)
        if title is None and not kept and not labelled and rules.is_headline(p, paras[i + 1:i + 3]):
            title = p
            dropped.append(Dropped(p, "headline (moved to title)"))
            continue
        kept.append(p)
    # A duplicated headline (trafilatura/scrapers often repeat it) adds nothing.
    if title and kept and kept[0] == title:
        dropped.append(Dropped(kept.pop(0), "repeated headline"))
    return "\n".join(_reflow(kept)), dropped, title


def _context(paras: list[str], reasons: list[str | None]) -> None:
    """Rules that need the neighbouring lines; they only turn kept lines into
    dropped ones, in place."""
    n = len(paras)
    for i in range(n):
        # A caption is the short line right before a photo credit.
        # (NPR's "toggle caption <credit>" line is not next to its caption.)
        if reasons[i] == "photo credit" and i > 0 and reasons[i - 1] is None and not rules.NPR_CREDIT.match(paras[i]):
            # NPR: "Enlarge this image", caption, credit: the frame settles it, whatever the length.
            framed = i > 1 and paras[i - 2].lower() in ("enlarge this image", "hide caption", "toggle caption")
            if framed or rules.is_caption(paras[i - 1]):
                reasons[i - 1] = "photo caption"
    in_links = False
    for i in range(n):
        if reasons[i] is not None:
            # "RELATED:", "ALSO:", "More from X" open a run of links to other stories.
            in_links = bool(rules.RELATED_LABEL.match(paras[i])) or (in_links and reasons[i] == "related link")
            continue
        if rules.RELATED_LABEL.match(paras[i]):
            reasons[i], in_links = "related link", True
        elif in_links and rules.is_related_link(paras[i]):
            reasons[i] = "related link"
        else:
            in_links = False
    for i in range(1, n - 1):
        if reasons[i] is None:
            prev = next((paras[j] for j in range(i - 1, -1, -1) if reasons[j] is None), None)
            nxt = next((paras[j] for j in range(i + 1, n) if reasons[j] is None), None)
            if rules.is_subheading(paras[i], prev, nxt):
                reasons[i] = "subheading"


def _reflow(paras: list[str]) -> list[str]:
    """Join hard-wrapped lines (PDF and e-mail text): a line that stops
    mid-sentence and a next line that starts in lower case are one paragraph."""
    out: list[str] = []
    for p in paras:
        if out and not rules.ends_sentence(out[-1]) and p[:1].islower():
            out[-1] = f"{out[-1]} {p}"
        else:
            out.append(p)
    return out
