"""HTML pages: trafilatura finds the main text and the metadata."""

from __future__ import annotations

import warnings

import trafilatura

from ..model import Article
from .decode import SourceError
from .meta import guess_outlet, guess_published


def from_html(html: str, *, id: str, path: str | None = None, url: str | None = None) -> Article:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lxml's FutureWarnings are trafilatura's business
        try:
            doc = trafilatura.bare_extraction(
                html, url=url, with_metadata=True, include_comments=False, include_tables=False,
                favor_precision=True,
            )
        except Exception as e:  # trafilatura/lxml raise many types on broken markup
            raise SourceError(f"malformed HTML: {e.__class__.__name__}: {e}") from None
    if doc is None:
        raise SourceError("no article text found in the HTML")
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
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
        url=url or meta.get("url") or None,
        published=meta.get("date") or guess_published(text),
    )
