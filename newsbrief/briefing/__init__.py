"""Briefing stage: turn picked sentences into summary sentences that carry
exact citations and the sentences of other outlets that support them.

Support ("also in") is read from the story's alignment
(:class:`~newsbrief.analysis.story.Story`), the pairs the agreements are
built from: only sentences judged to say the same thing with compatible
values, one per independent source. A sentence whose values conflict with
another's is never shown as its support."""

from __future__ import annotations

import re

from ..analysis.story import Story
from ..summarize.base import Pool
from ..model import Citation, Edit, SummarySentence, apply_edits
from ..text.standalone import dateline


def cite(story: Story, picked: list[int]) -> list[SummarySentence]:
    """Summary sentences for the picked pool indices, in that order."""
    if not picked:
        return []
    pool = story.pool
    story.pairs_for(picked)  # the sentences support and disputes need, embedded in one call
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
                            support=support(story, i), edits=list(e), disputed=disputed(story, i))
            for i, e in zip(picked, edits)]


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


def support(story: Story, i: int) -> list[Citation]:
    """The sentences of other independent sources that say the same as
    sentence ``i`` (pairs judged ``same``: a paraphrase whose values agree),
    the closest one per source, in source order."""
    best: dict[int, tuple[float, int]] = {}
    for p in story.pairs_with(i):
        if p.verdict == "same":
            j = p.other(i)
            src = story.sources.group[story.article_of(j)]
            if src not in best or p.score > best[src][0]:
                best[src] = (p.score, j)
    return [Citation.of(story.sentences[j], score=score)
            for score, j in sorted(best.values(), key=lambda x: story.article_of(x[1]))]


def disputed(story: Story, i: int) -> list[Citation]:
    """The sentences of other articles that give another value for what
    sentence ``i`` says, one per article, in source order: the reader sees
    that the summary states something an outlet contradicts."""
    seen: dict[int, int] = {}
    for p in story.pairs_with(i):
        if p.verdict == "conflicting":
            j = p.other(i)
            seen.setdefault(story.article_of(j), j)
    return [Citation.of(story.sentences[j]) for _, j in sorted(seen.items())]
