"""Briefing stage: turn picked sentences into summary sentences that carry
exact citations and the sentences of other outlets that support them."""

from __future__ import annotations

import re

from ..model import Citation, Edit, SummarySentence, apply_edits
from ..text.standalone import dateline
from ..summarize.base import Pool

SUPPORT_THRESHOLD = 0.4  # TF-IDF cosine of stemmed content words: "says nearly the same"
MAX_SUPPORT_PER_SOURCE = 2


def cite(pool: Pool, picked: list[int]) -> list[SummarySentence]:
    if not picked:
        return []
    rows = pool.similarity[picked]
    orders = (-rows).argsort(axis=1, kind="stable").tolist()
    doc = pool.doc.tolist()
    verdicts = pool.verdicts
    # A sentence shows with the edits that let it stand alone ("[Kislyak] also
    # served ..."), unless it follows the sentence before it in its article,
    # which gives the context itself; its citation stays the source sentence.
    edits = [() if k and picked[k - 1] == i - 1 and doc[i - 1] == doc[i] else verdicts[i].edits
             for k, i in enumerate(picked)]
    for k, i in enumerate(picked[1:], 1):  # a dateline belongs to the lede: dropped after the first sentence
        if (d := dateline(pool.sentences[i].text)) and not any(e.start < d.end for e in edits[k]):
            edits[k] = (d, *edits[k])
    introduce(pool, picked, edits)
    return [SummarySentence(text=apply_edits(pool.sentences[i].text, e) if e else pool.sentences[i].text,
                            citations=[Citation.of(pool.sentences[i])],
                            support=support(pool, row, order, i, doc), edits=list(e))
            for i, e, row, order in zip(picked, edits, rows.tolist(), orders)]


_COLLECTIVE = re.compile(r"['’]?s? (?:family|families|household|administration|campaign|era|estate|camp|clan|children)\b")


def introduce(pool: Pool, picked: list[int], edits: list[tuple[Edit, ...]]) -> None:
    """A person the summary names by surname alone before it has given
    their full name gets the first name in brackets, once: "[Beate] Ritz",
    "[Sergey Kislyak] also served" (in place, in ``edits``)."""
    known: set[str] = set()
    for k, i in enumerate(picked):
        out = list(edits[k])
        for start, surname, first in pool.verdicts[i].names:
            if surname in known:
                continue
            known.add(surname)
            text = pool.sentences[i].text
            if not first or _COLLECTIVE.match(text, start + len(surname)):
                continue  # "the Robinson family": not the person
            at = next((n for n, e in enumerate(out) if e.start == start and e.kind == "referent"), None)
            if at is not None:  # the name an edit puts in: "[Kislyak]" -> "[Sergey Kislyak]"
                e = out[at]
                out[at] = Edit(e.start, e.end, e.removed, e.inserted.replace(f"[{surname}", f"[{first} {surname}", 1), e.kind)
            elif not any(e.start < start < e.end or (e.start == start and e.end > start) for e in out):
                out.append(Edit(start, start, "", f"[{first}] ", "referent"))
        edits[k] = tuple(sorted(out, key=lambda e: (e.start, e.end)))


def support(pool: Pool, row: list[float], order: list[int], i: int, doc: list[int]) -> list[Citation]:
    """Sentences of *other* sources close to sentence ``i`` (``row``: its
    similarities, ``order``: best first; ``doc``: each sentence's article),
    at most two per source (a source that says it twice is still one
    source). Plain lists: the loop reads a few elements, where numpy's
    per-element access costs more than the work."""
    mine = doc[i]
    per_source: dict[int, int] = {}
    out: list[Citation] = []
    for j in order:
        score = row[j]
        if score < SUPPORT_THRESHOLD:
            break
        d = doc[j]
        if d == mine or per_source.get(d, 0) >= MAX_SUPPORT_PER_SOURCE:
            continue
        per_source[d] = per_source.get(d, 0) + 1
        out.append(Citation.of(pool.sentences[j], score=score))
    return out
