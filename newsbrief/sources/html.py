"""HTML pages: trafilatura finds the main text and the metadata."""

from __future__ import annotations

import warnings
from datetime import date
from html.parser import HTMLParser
from typing import Any

from ..model import Article
from .decode import SourceError
from .meta import guess_outlet, guess_published


# Only the page's own date metadata: htmldate's extensive search otherwise
# takes a footer "© 2025" for 2025-01-01, or any date in the body text.
DATE_PARAMS = {"original_date": True, "extensive_search": False}


def from_html(html: str, *, id: str, path: str | None = None, url: str | None = None) -> Article:
    meta = _extract(html, url)
    if not (meta.get("text") or "").strip() and _depth_limited(html, huge=False)[1]:
        # libxml2 stops at 256 nested elements and drops all the text below:
        # parse again with its huge limit (2,048), past which only plain text is left.
        tree, limited = _depth_limited(html, huge=True)
        if limited:
            return _plain(html, id=id, path=path, url=url)
        meta = _extract(tree, url)
    text = (meta.get("text") or "").strip()
    if not text:
        raise SourceError("no article text found in the HTML")
    title = meta.get("title") or None
    # trafilatura repeats the <h1> as the first line of the text; the title is metadata.
    if title and text.split("\n", 1)[0].strip() == title.strip():
        text = text.split("\n", 1)[1] if "\n" in text else ""
        if not text.strip():
            raise SourceError("no article text found in the HTML (only a title)")
    return Article(
        id=id,
        raw=text,
        title=title,
        outlet=meta.get("sitename") or guess_outlet(text, path),
        path=path,
        url=_canonical(meta.get("url")) or url or None,
        published=_published(meta.get("date"), html) or guess_published(text),
        author=" ".join(str(meta.get("author") or "").split())[:200] or None,
    )


def _canonical(url: Any) -> str | None:
    """The page's own URL (trafilatura reads ``<link rel=canonical>`` and
    ``og:url``), when it is an absolute http(s) URL: it names the article
    better than the address it was fetched from (tracking parameters, a
    syndication copy, a redirect)."""
    if not isinstance(url, str) or not url.strip().lower().startswith(("http://", "https://")):
        return None
    return url.strip()


def _extract(source: Any, url: str | None) -> dict[str, Any]:
    """trafilatura's text and metadata of a page (markup, or a parsed tree);
    empty when it finds no text."""
    # Imported here: trafilatura (with lxml) takes ~0.13 s to import, which
    # every process paid, batch workers included, though most never see HTML.
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lxml's FutureWarnings are trafilatura's business
        try:
            doc = trafilatura.bare_extraction(
                source, url=url, with_metadata=True, include_comments=False, include_tables=False,
                favor_precision=True, date_extraction_params=DATE_PARAMS,
            )
        except Exception as e:  # trafilatura/lxml raise many types on broken markup
            raise SourceError(f"malformed HTML: {e.__class__.__name__}: {e}") from None
    if doc is None:
        return {}
    return doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)


def _depth_limited(html: str, *, huge: bool) -> tuple[Any, bool]:
    """The page's tree, and whether libxml2 cut it at its nesting limit (it
    says so in the error log, as a resource limit)."""
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(huge_tree=huge)
    try:
        tree = lxml.html.fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return None, False
    return tree, any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in parser.error_log)


def _published(found: str | None, html: str) -> str | None:
    """trafilatura's date, unless it is today's and the page does not say so:
    a date that appears from nowhere is the clock, not the article."""
    if not found or (found == date.today().isoformat() and found not in html):
        return None
    return found


class _TextOnly(HTMLParser):
    """The page's text, paragraph by paragraph, and its title. Hand-written on
    the standard library's tokenizer because it streams: no tree, so no depth
    limit, for the pages too deeply nested for libxml2 even with huge_tree."""

    SKIP = {"script", "style", "noscript", "template", "head", "svg"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote",
             "header", "footer", "pre", "table", "ul", "ol"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP or tag == "title":
            self.skipping.append(tag)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skipping and self.skipping[-1] == "title":
            self.title.append(data)
        elif not self.skipping:
            self.parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def _plain(html: str, *, id: str, path: str | None, url: str | None) -> Article:
    """An article from a page's plain text, when no tree of it can be built."""
    parsed = _TextOnly()
    parsed.feed(html)
    parsed.close()
    text = parsed.text()
    if not text:
        raise SourceError("no article text found in the HTML")
    return Article(id=id, raw=text, title=" ".join("".join(parsed.title).split()) or None,
                   outlet=guess_outlet(text, path), path=path, url=url, published=guess_published(text))
