"""The order a summary is read in: the news first, then a narrative.

A reader of a news summary expects what happened in the first sentence,
then the key facts, then what people said about it, then the background,
the order of a news story itself (the inverted pyramid). Every method
shares this: its picks are the content, this module their order.

* :func:`opener` chooses the first sentence among the articles' leads,
  preferring the lead whose event the other outlets report too.
* :func:`narrative_order` puts the other picks in the order event, facts
  and numbers, reactions and quotes, background; within each part by how
  early the sentence comes in its own article, so outlets interleave where
  their sentences belong instead of following one another in blocks.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from ..text.standalone import quote_share

if TYPE_CHECKING:
    from .base import Pool

OPENER_MIN_WORDS = 12  # shorter leads are teasers or deks more often than events
LEAD_SENTENCES = 3  # an article's lead: its first sentences that read on their own...
LEAD_WINDOW = 5  # ...among its first five
NEWS_LIFT = 0.1  # a lede's marks of news (a weekday, "yesterday", a dateline), against a feature lede
EVENT_LIFT = 0.05  # ... and of an event just reported ("has been fired")
LATER_COST = 0.1  # per standalone sentence before it in its article: the lede comes first
QUOTE_SHARE = 0.25  # a sentence this much quotation reads as a reaction

_QUOTE_START = tuple("\"“‘'")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_BACKGROUND = re.compile(
    r"\b(?:previously|formerly|in the past|years ago|decades ago|was born|grew up|began (?:his|her|their) career|"
    r"history of|for years|has long|had long|had been|back in|at the time|since (?:19|20)\d\d|in the (?:19|20)\d0s|"
    r"the (?:19|20)\d0s|earlier this (?:year|month)|last (?:year|month)|first (?:came|became|joined|served))\b", re.I)

_NEWS = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tonight|"
    r"(?:this|last|next|the) (?:morning|afternoon|evening|week|weekend))\b"
    r"|^[A-Z][A-Z .,'’-]{2,40}(?:\([\w. ]{1,20}\))? ?(?:--|[—–-]) ")
# What just happened, as news tells it: "has been fired", "have found".
_EVENT = re.compile(
    r"\b(?:has|have) been (?:[a-z]+ed|[a-z]+en|found|shot|hit|held|sent|sold|put|set|cut|struck|caught|brought|built|"
    r"kept|lost|paid|told|led|left|made|seen|run)\b|\b(?:has|have) (?:died|resigned|announced|agreed|confirmed|won|"
    r"lost|found|filed|sued|released|reached|approved|rejected|signed|passed|arrested|charged|killed|fired|ordered|"
    r"launched|ruled|voted|declared|admitted|denied|apologized|apologised|withdrawn|pleaded)\b")

EVENT, FACT, REACTION, BACKGROUND = range(4)


def is_quote(text: str) -> bool:
    """A sentence that opens with a quotation or is largely one."""
    return text.lstrip()[:1] in _QUOTE_START or quote_share(text) >= QUOTE_SHARE


def opener(pool: Pool) -> int | None:
    """The sentence that opens the summary, chosen among the articles'
    leads (the first sentences of each that stand alone) of 12+ words, not
    quotes, with no name put in for context. The one whose content the
    other articles share most wins (the event most outlets report), with a
    lift for the marks of a news lede (a weekday, "yesterday", a dateline)
    and a small cost for coming later in its article. None when no article
    has such a lead."""
    cand = pool.candidate
    words = pool.word_counts
    leads: list[tuple[int, int]] = []  # (pool index, position among the article's standalone sentences)
    for d, a in enumerate(pool.articles):
        start = int(pool.doc_start[d])
        seen = 0
        for k in range(min(LEAD_WINDOW, len(a.sentences))):
            i = start + k
            if not cand[i]:
                continue
            if words[i] >= OPENER_MIN_WORDS and not is_quote(pool.sentences[i].text) \
                    and not any(e.kind == "referent" for e in pool.verdicts[i].edits):
                leads.append((i, seen))
            seen += 1
            if seen >= LEAD_SENTENCES:
                break
    if not leads:
        return None
    reported = shared(pool, [i for i, _ in leads], leads_only=True)
    centre = pool.centroid_similarity

    def score(k: int) -> tuple[float, float, int]:
        i, rank = leads[k]
        text = pool.sentences[i].text
        news = (NEWS_LIFT if _NEWS.search(text) else 0.0) + (EVENT_LIFT if _EVENT.search(text) else 0.0)
        return (round(reported[k] + news - LATER_COST * rank, 6), float(centre[i]), -i)

    return leads[max(range(len(leads)), key=score)][0]


def shared(pool: Pool, rows: list[int], leads_only: bool = False) -> list[float]:
    """For each sentence of ``rows``, the mean over the other articles of
    its best TF-IDF cosine with any of their sentences (``leads_only``: with
    their first sentences, where each outlet puts its news): how widely its
    content is reported."""
    n = len(pool.articles)
    if n < 2:
        return [0.0] * len(rows)
    docs = np.bincount(pool.doc, minlength=n).nonzero()[0]  # articles with sentences
    sim = pool.similarity[rows]
    if leads_only:
        sim = sim * (pool.pos < LEAD_WINDOW)
    best = np.maximum.reduceat(sim, pool.doc_start[docs], axis=1)  # best match in each article
    best[pool.doc[rows][:, None] == docs] = 0.0  # not its own article
    return (np.add.reduce(best, axis=1) / (n - 1)).tolist()


def part(pool: Pool, i: int, recent: int | None) -> int:
    """Which part of the narrative a sentence belongs to."""
    text = pool.sentences[i].text
    if is_quote(text):
        return REACTION
    years = [int(y) for y in _YEAR.findall(text)]
    if _BACKGROUND.search(text) or (recent is not None and years and max(years) <= recent - 2):
        return BACKGROUND
    return FACT


def narrative_order(pool: Pool, picked: list[int], first: int | None = None) -> list[int]:
    """``picked`` in reading order: ``first`` (the opener), then facts,
    reactions and background, each part by relative position in its
    article (earlier first: articles put what matters first)."""
    years = [int(y) for a in pool.articles for s in a.sentences[:LEAD_SENTENCES] for y in _YEAR.findall(s.text)]
    years += [int(a.published[:4]) for a in pool.articles if a.published and a.published[:4].isdigit()]
    recent = max(years) if years else None
    sizes = [len(a.sentences) for a in pool.articles]

    def key(i: int) -> tuple[int, float, int]:
        if i == first:
            return (EVENT, 0.0, i)
        return (part(pool, i, recent), int(pool.pos[i]) / sizes[int(pool.doc[i])], i)

    # A sentence that leans on the one before it in its article comes right after it.
    chosen = set(picked)
    after = pool.after
    heads = [i for i in picked if after[i] not in chosen]
    out = []
    for i in sorted(heads, key=key):
        out.append(i)
        while i + 1 in chosen and after[i + 1] == i:
            i += 1
            out.append(i)
    return out
