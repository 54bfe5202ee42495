"""How much of a story is read: bounds that keep time and memory linear.

Scoring compares every sentence of a story with every other (similarity,
LexRank, support, agreements), so its cost grows with the square of the
sentences. A news story never comes near these bounds (the longest dev
article has ~400 sentences, the largest dev cluster ~410); a book, a dump or
a hostile upload does, and is read up to them: the first
``MAX_ARTICLE_CHARS`` of each article, then at most ``MAX_STORY_SENTENCES``
sentences and ``MAX_STORY_CHARS`` characters in the whole story (the largest
dev cluster has ~60k), shared so that a short article keeps all of
its sentences and the long ones are cut to the same length. What is not read
is recorded as a :class:`~newsbrief.model.Dropped` span, so every render says
so; nothing is cut silently.
"""

from __future__ import annotations

from ..model import Article, Dropped

MAX_ARTICLE_CHARS = 1_000_000  # ~170k words; also the longest text spaCy parses in one call
MAX_STORY_SENTENCES = 2_500  # the similarity matrices stay under ~50 MB each
MAX_STORY_CHARS = 400_000  # ~65k words: long sentences (a run cut at 120 words) cost the analysis more
PREVIEW_CHARS = 200


def _unread(tail: str, why: str) -> Dropped:
    preview = tail[:PREVIEW_CHARS].strip() + ("…" if len(tail) > PREVIEW_CHARS else "")
    return Dropped(preview, f"not read: {why}")


def cap_text(article: Article) -> tuple[Article, list[Dropped]]:
    """The article with its raw text cut after ``MAX_ARTICLE_CHARS``, at the
    last line break (or space) before the bound, and what was not read (to
    add to what the cleaner drops)."""
    raw = article.raw
    if len(raw) <= MAX_ARTICLE_CHARS:
        return article, []
    cut = raw.rfind("\n", 0, MAX_ARTICLE_CHARS)
    if cut < MAX_ARTICLE_CHARS // 2:
        cut = raw.rfind(" ", 0, MAX_ARTICLE_CHARS)
    if cut < MAX_ARTICLE_CHARS // 2:
        cut = MAX_ARTICLE_CHARS
    a = article
    tail = raw[cut:]
    note = _unread(tail, f"the article goes on for {len(tail):,} more characters, past the "
                         f"{MAX_ARTICLE_CHARS:,}-character limit of one article")
    return Article(id=a.id, raw=raw[:cut], title=a.title, outlet=a.outlet, path=a.path, url=a.url,
                   published=a.published, text=a.text, dropped=a.dropped, sentences=a.sentences, author=a.author), [note]


def sentence_quota(ends: list[list[int]], total: int = MAX_STORY_SENTENCES,
                   chars: int = MAX_STORY_CHARS) -> int | None:
    """The most sentences any one article may keep so that the story holds
    at most ``total`` sentences and ``chars`` characters of text; ``None``
    when everything fits. ``ends`` holds each article's sentence end
    offsets. Water-filling: the largest ``k`` for which the first ``k``
    sentences of every article fit."""
    def fits(k: int) -> bool:
        return (sum(min(len(e), k) for e in ends) <= total
                and sum(e[min(len(e), k) - 1] for e in ends if e and k) <= chars)

    longest = max((len(e) for e in ends), default=0)
    if fits(longest):
        return None
    lo, hi = 0, longest
    while lo < hi:  # binary search: both sums grow with k
        mid = (lo + hi + 1) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid - 1
    return max(lo, 1)


def cap_sentences(articles: list[Article], total: int = MAX_STORY_SENTENCES,
                  chars: int = MAX_STORY_CHARS) -> list[Article]:
    """Segmented articles cut so that the story holds at most ``total``
    sentences and ``chars`` characters. A cut article keeps a prefix of its
    text, so every offset stays valid."""
    k = sentence_quota([[s.end for s in a.sentences] for a in articles], total, chars)
    if k is None:
        return articles
    out = []
    for a in articles:
        if len(a.sentences) <= k:
            out.append(a)
            continue
        end = a.sentences[k - 1].end
        tail = a.text[end:]
        note = _unread(tail, f"{len(a.sentences) - k:,} more sentences: the story is long, and each article is "
                             f"read up to {k:,} sentences ({total:,} sentences or {chars:,} characters in all)")
        out.append(Article(id=a.id, raw=a.raw, title=a.title, outlet=a.outlet, path=a.path, url=a.url,
                           published=a.published, text=a.text[:end], dropped=[*a.dropped, note],
                           sentences=a.sentences[:k], author=a.author))
    return out
