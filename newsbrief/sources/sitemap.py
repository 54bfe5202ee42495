"""News sitemaps (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap):
a ``<urlset>`` whose ``<url>`` entries carry ``news:news`` (title,
publication date, publication name), or a ``<sitemapindex>`` naming child
sitemaps, which the watcher follows (a bounded number, one level deep).

Only entries with ``news:news`` are taken: a plain sitemap lists a whole
site, and following it would fetch every page ever published.

Parsed with lxml with entities, DTDs and the network off (no XXE, no
entity expansion bombs); the body is already bounded by the fetcher's
``max_bytes``, and a gzipped sitemap is inflated to that bound at most.
"""

from __future__ import annotations

import re
import zlib
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from .feeds import Feed, FeedEntry, FeedError, clean_text, iso_date, one_line

__all__ = ["is_sitemap", "parse_sitemap"]

NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(urlset|sitemapindex)[\s>/]")
MAX_CHILDREN = 50  # child sitemaps of an index taken


def is_sitemap(body: bytes) -> bool:
    """Is it gzipped (a feed never is), or does it start with a sitemap's
    root element (after the prolog)?"""
    if body[:2] == b"\x1f\x8b":
        return True
    head = body.lstrip()[:4096]
    m = _ROOT.search(head)
    return bool(m) and b"<" not in re.sub(rb"<[?!][^>]*>", b"", head[:m.start()]).strip()


def parse_sitemap(body: bytes, url: str, limit: int) -> Feed:
    """The news entries of a sitemap, or the child sitemaps of an index
    (``Feed.sitemaps``); FeedError when it is neither."""
    if body[:2] == b"\x1f\x8b":
        body = _inflate(body, limit)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as e:
        raise FeedError(f"not a sitemap ({one_line(e)})") from None
    tag = etree.QName(root).localname
    if tag == "sitemapindex":
        locs = [_loc(url, s) for s in root if etree.QName(s).localname == "sitemap"]
        return Feed(None, sitemaps=[u for u in locs if u][:MAX_CHILDREN])
    if tag != "urlset":
        raise FeedError(f"not a sitemap (root element <{tag}>)")
    entries, outlet = [], None
    for item in root:
        news = item.find(f"{NEWS}news")
        link = _loc(url, item)
        if news is None or not link:
            continue
        outlet = outlet or _text(news, f"{NEWS}publication/{NEWS}name")
        date = iso_date(_text(news, f"{NEWS}publication_date"))
        entries.append(FeedEntry(link, _text(news, f"{NEWS}title"), date, updated=date))
    if not entries and len(root):
        raise FeedError("a sitemap without news entries (only news sitemaps are followed)")
    return Feed(outlet, entries)


def _text(element: Any, path: str) -> str | None:
    """The text of the first ``path`` under ``element`` (an unexpanded entity left out)."""
    found = element.find(path)
    return clean_text("".join(found.itertext())) if found is not None else None


def _loc(base: str, element: Any) -> str | None:
    loc = next((c.text for c in element if etree.QName(c).localname == "loc" and c.text), None)
    if not loc:
        return None
    absolute = urljoin(base, loc.strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def _inflate(body: bytes, limit: int) -> bytes:
    """A gzipped sitemap (``sitemap.xml.gz``), inflated to ``limit`` bytes at most."""
    try:
        out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, limit + 1)
    except zlib.error as e:
        raise FeedError(f"not a gzipped sitemap ({one_line(e)})") from None
    if len(out) > limit:
        raise FeedError(f"the sitemap inflates to more than {limit} bytes")
    return out
