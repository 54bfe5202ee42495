"""A small briefing built by hand whose summary sentences carry edits (schema
newsbrief.briefing/3), for the renderer, schema, store and browser tests: it
does not depend on the summarizer producing edits."""

from __future__ import annotations

from newsbrief.model import Article, Briefing, Citation, Edit, Sentence, SummarySentence, apply_edits

VOX = ["Sergey Kislyak met Jeff Sessions twice in 2016, the Justice Department said.",
       "He also served as Russia's ambassador to the US for nine years.",
       "But the meetings were routine, a spokesman told me."]
MIC = ["Russian ambassador Sergey Kislyak met Attorney General Jeff Sessions twice last year.",
       "Kislyak served nearly nine years as ambassador in Washington."]


def _article(aid: str, outlet: str, sents: list[str]) -> Article:
    text = " ".join(sents)
    out, pos = [], 0
    for i, s in enumerate(sents):
        start = text.index(s, pos)
        out.append(Sentence(aid, i, start, start + len(s), s))
        pos = start + len(s)
    return Article(id=aid, raw=text, title=f"{outlet} on Kislyak", outlet=outlet, text=text, sentences=out)


def _summary(cited: Sentence, edits: list[Edit], support: list[Sentence] = ()) -> SummarySentence:
    return SummarySentence(apply_edits(cited.text, edits), [Citation.of(cited)],
                           [Citation.of(s, 0.61) for s in support], edits)


def edited_briefing(vox_sentences: list[str] = VOX) -> Briefing:
    """Three summary sentences: one as written, one whose "He" became
    "[Kislyak]" (referent), one with "But t" -> "T" (connective, nothing
    added) and "me" -> "[Vox]" (outlet). ``vox_sentences`` may vary the
    words, in the same shape (the last sentence starts with "But t" and ends
    with "me.")."""
    vox, mic = _article("vox", "Vox", vox_sentences), _article("mic", "Mic", MIC)
    s0, s1, s2 = vox.sentences
    end = len(s2.text) - len("me.")
    summary = [
        _summary(s0, [], [mic.sentences[0]]),
        _summary(s1, [Edit(0, 2, "He", "[Kislyak]", "referent")], [mic.sentences[1]]),
        _summary(s2, [Edit(0, 5, "But t", "T", "connective"), Edit(end, end + 2, "me", "[Vox]", "outlet")]),
    ]
    words = sum(len(s.text.split()) for s in summary)
    return Briefing(sources=[vox, mic], summary=summary, method="lead", words=words,
                    budget={"words": 60, "sentences": None}, id="kislyak-edited")
