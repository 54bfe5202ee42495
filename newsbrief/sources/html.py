"""HTML pages: trafilatura finds the main text and the metadata."""

from __future__ import annotations

import warnings
from datetime import date

from ..model import Article
from .decode import SourceError
from .meta import guess_outlet, guess_published


# Only the page's own date metadata: htmldate's extensive search otherwise
# takes a footer "© 2025" for 2025-01-01, or any date in the body text.
DATE_PARAMS = {"original_date": True, "extensive_search": False}


def from_html(html: str, *, id: str, path: str | None = None, url: str | None = None) -> Article:
    # Imported here: trafilatura (with lxml) takes ~0.13 s to import, which
    # every process paid, batch workers included, though most never see HTML.
    import trafilatura

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lxml's FutureWarnings are trafilatura's business
        try:
            doc = trafilatura.bare_extraction(
                html, url=url, with_metadata=True, include_comments=False, include_tables=False,
                favor_precision=True, date_extraction_params=DATE_PARAMS,
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
        published=_published(meta.get("date"), html) or guess_published(text),
    )


def _published(found: str | None, html: str) -> str | None:
    """trafilatura's date, unless it is today's and the page does not say so:
    a date that appears from nowhere is the clock, not the article."""
    if not found or (found == date.today().isoformat() and found not in html):
        return None
    return found
