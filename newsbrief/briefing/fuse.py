"""Fusion (issue 20): attribute first, then write.

The extractive summary has already chosen what to say and which source
sentence says it; a language model only rewrites each small group of those
cited sentences into one or two fluent sentences, seeing nothing but the
group. Every sentence it writes is then checked
(:func:`~newsbrief.briefing.check.check_sentence`: each number, date, name,
quantity and quotation must be in the sentences it was written from); a
rewrite that fails, is cut off, runs longer than its sources or under a
third of them, or brings more than two content words they lack is refused
and the group's extractive sentences stand, each saying why. So a reader
never sees a generated statement the checker could not find in its
citations, whatever the model.
"""

from __future__ import annotations

import dataclasses
import math
import re
import time
from dataclasses import dataclass

from ..llm import Backend, LLMError, Message
from ..llm.budget import Budgeted
from ..model import Briefing, Citation, Fusion, LoadError, SummarySentence
from ..text import split_sentences
from ..text.segment import word_count
from ..text.tokens import STOP_WORDS, porter_stem, words
from .check import check_sentence, evidence

GROUP = 3  # cited sentences a rewrite fuses at most: more and small models drop or merge facts
WRITE_AT_MOST = 2  # sentences a rewrite may be
NEW_WORDS = 2  # content words a rewrite may bring that its sources lack ("dismissed" for "threw out")

# Who said it, and how sure they were: a rewrite that loses every such word where its sources have one
# turns a claim into a fact ("a prosecutor says" dropped) or a possibility into a certainty.
ATTRIBUTION = re.compile(r"\b(?:said|says?|saying|told|tells|according|claim(?:s|ed)?|alleg(?:e|es|ed|edly)|"
                         r"report(?:s|ed|edly)?|believ(?:e|es|ed)|thinks?|thought|insist(?:s|ed)?|argu(?:e|es|ed)|"
                         r"den(?:y|ies|ied)|accus(?:e|es|ed)|suggest(?:s|ed)?|wr(?:ote|ites)|announc(?:e|es|ed))\b",
                         re.IGNORECASE)
HEDGE = re.compile(r"\b(?:may|might|could|possibl[ey]|probabl[ey]|likely|apparently|suspect(?:s|ed)?|"
                   r"reportedly|allegedly|unconfirmed)\b", re.IGNORECASE)

JUDGE = ("You check a news summary against its sources. Answer yes if every part of the statement is said by "
         "the sources, no otherwise. Answer with one word: yes or no.")
ALTERNATIVES = 20  # top tokens asked for: enough that "yes" and "no" are among them

SYSTEM = ("Rewrite the text below as {n} fluent sentence{s} in a neutral news style. Keep every number, date, "
          "name and quotation exactly as written. Add nothing. Reply with the rewritten text only.")


@dataclass(frozen=True, slots=True)
class Limits:
    """What one briefing's fusion may cost: tokens (prompt and completion,
    as a hosted API bills them) and wall time. Groups past either limit keep
    their extractive sentences."""

    tokens: int = 8000
    seconds: float = 120.0
    # Ask the model whether each generated sentence is supported (its probability of "yes" is recorded);
    # below ``min_support`` the rewrite is refused. The judge adds one short call per rewrite.
    judge: bool = True
    min_support: float | None = None


def groups(summary: list[SummarySentence], size: int = GROUP) -> list[list[int]]:
    """Indices of the summary's sentences in rewrite groups: consecutive,
    within one paragraph (the renderers start a paragraph where the first
    cited source changes), at most ``size`` each and as even as possible
    (5 -> 3 + 2, 4 -> 2 + 2), in the narrative order."""
    paragraphs: list[list[int]] = []
    last: str | None = None
    for i, s in enumerate(summary):
        first = s.citations[0].source if s.citations else None
        if not paragraphs or first != last:
            paragraphs.append([])
        paragraphs[-1].append(i)
        last = first
    out: list[list[int]] = []
    for p in paragraphs:
        n = -(-len(p) // size)  # groups needed
        cuts = [-(-k * len(p) // n) for k in range(n + 1)]  # larger groups first
        out += [p[a:b] for a, b in zip(cuts, cuts[1:])]
    return out


def shown(s: SummarySentence) -> str:
    """The sentence as the model sees it: as the summary shows it, with the
    words added for context unbracketed ("Sergey Kislyak also served"), so
    that the model writes from what the reader already reads."""
    return "".join(run.replace("[", "").replace("]", "") if added else run for run, added in s.pieces()).strip()


def messages(group: list[SummarySentence]) -> list[Message]:
    """The prompt for one group: the rules and the group's sentences, one a
    line, nothing else. Not the story's title: given it (as a line of the
    prompt or in the rules), SmolLM2-135M wrote the headline instead of the
    sentences for 3 of the 7 Kislyak groups, and a headline cites nothing."""
    n, s = ("one or two", "s") if len(group) > 1 else ("one", "")
    return [{"role": "system", "content": SYSTEM.format(n=n, s=s)},
            {"role": "user", "content": "\n".join(shown(s) for s in group)}]


_PREAMBLE = re.compile(r"^[^\n]{0,80}:\s*\n")  # "Here is the rewritten text:" on a line of its own
_WRAPPED = re.compile(r'^["“]([^"“”]*)["”]$')  # the whole answer in quotation marks: no quotation


def written(answer: str) -> list[str]:
    """The sentences of the model's answer, without a preamble line or
    quotation marks wrapped around the whole answer."""
    text = _PREAMBLE.sub("", answer.strip(), count=1).strip()
    text = _WRAPPED.sub(r"\1", text)
    flat = " ".join(text.split())
    return [flat[a:b] for a, b in split_sentences(flat)]


def new_words(text: str, sources: list[str]) -> list[str]:
    """The content words of ``text`` (not stop words or numbers) whose
    Porter stem none of ``sources`` has: what the model brought of its own.
    The checker sees names, numbers and quotations; this sees the rest of
    what a small model invents ("renowned for his ability to blend
    seamlessly", "has been released"), at the cost of refusing some fair
    paraphrases."""
    have = {porter_stem(w) for src in sources for w in words(src)}
    return list(dict.fromkeys(w for w in words(text)
                              if w not in STOP_WORDS and not w.isdigit() and porter_stem(w) not in have))


def dropped(texts: list[str], sources: list[str]) -> str | None:
    """What of "who said it" or "how sure" the rewrite lost, or None: the
    checker reads values, not whether a claim is still told as a claim."""
    joined = " ".join(texts)
    for what, pattern in (("who said it", ATTRIBUTION), ("how sure the source is", HEDGE)):
        had = [m.group() for src in sources for m in pattern.finditer(src)]
        if had and not pattern.search(joined):
            return f"the rewrite drops {what} ({had[0]!r})"
    return None


def refused(group: list[SummarySentence], reason: str, check: dict | None = None) -> list[SummarySentence]:
    """The group's extractive sentences, each saying why the rewrite was not shown."""
    return [dataclasses.replace(s, generated=False, reason=reason, check=check) for s in group]


def accept(group: list[SummarySentence], texts: list[str]) -> list[SummarySentence]:
    """Generated summary sentences for ``texts``, or the group's extractive
    sentences with the checker's first problem. Each must pass the checker against the group's cited source
    sentences and the words the summary added to them for context."""
    cited = evidence(group)
    out = []
    for text in texts:
        check = check_sentence(text, cited)
        result = {"ok": check.ok, "problems": list(check.problems), "checked": list(check.checked)}
        if not check.ok:
            return refused(group, check.problems[0] if check.problems else "the checker refused it",
                           {**result, "text": text})
        out.append(SummarySentence(text=text, citations=_union(group, "citations"), support=_union(group, "support"),
                                   disputed=_union(group, "disputed"), generated=True, replaces=list(group),
                                   check=result))
    return out


def support(text: str, group: list[SummarySentence], backend: Backend) -> float | None:
    """The model's own probability that ``text`` is fully supported by the
    group's sentences: P("yes") / (P("yes") + P("no")) over its first token,
    or None when the backend gives no token probabilities (or neither word is
    among the likeliest). Recorded, not trusted: it reads what the checker
    cannot (who did what, a dropped hedge), but a small model's judgement is
    weak; ``Limits.min_support`` makes it a gate for a model the user trusts."""
    sources = "\n".join(shown(s) for s in group)
    reply = backend.chat([{"role": "system", "content": JUDGE},
                          {"role": "user", "content": f"Sources:\n{sources}\n\nStatement: {text}\n\n"
                                                      "Is the statement fully supported by the sources?"}],
                         max_tokens=1, temperature=0.0, logprobs=ALTERNATIVES)
    if not reply.top:
        return None
    p = {"yes": 0.0, "no": 0.0}
    for token, logprob in reply.top[0].items():
        if (word := token.strip().lower()) in p:
            p[word] += math.exp(logprob)
    total = p["yes"] + p["no"]
    return round(p["yes"] / total, 3) if total > 0 else None


def judged(out: list[SummarySentence], group: list[SummarySentence], backend: Backend,
           min_support: float | None) -> list[SummarySentence]:
    """``out`` with each generated sentence's support probability in its
    check; the group's extractive sentences instead if one falls under ``min_support``."""
    for s in out:
        p = support(s.text, group, backend)
        s.check = {**(s.check or {}), "support": p}
        if min_support is not None and p is not None and p < min_support:
            return refused(group, f"the model judged its own rewrite unsupported (P(yes) {p:.2f} < {min_support:g})",
                           {**s.check, "text": " ".join(x.text for x in out)})
    return out


def rewrite(group: list[SummarySentence], backend: Backend, *, judge: bool = False,
            min_support: float | None = None) -> list[SummarySentence]:
    """One model call for one group: its generated sentences when they pass
    every test, else its extractive sentences with the reason; with ``judge``,
    one more call per generated sentence for :func:`support`. Raises
    :class:`LLMError` when the backend fails."""
    sources = [shown(s) for s in group]
    source_words = sum(map(word_count, sources))
    reply = backend.chat(messages(group), max_tokens=2 * source_words + 40, temperature=0.0)
    texts = written(reply.text)
    if reply.finish_reason == "length":
        return refused(group, "the model's answer was cut off at its token limit")
    if not texts:
        return refused(group, "the model wrote no sentence")
    if len(texts) > WRITE_AT_MOST:
        return refused(group, f"the model wrote {len(texts)} sentences where at most {WRITE_AT_MOST} were asked")
    if (n := sum(map(word_count, texts))) > 1.1 * source_words + 3:
        return refused(group, f"the rewrite ({n} words) is longer than the sentences it was written from "
                              f"({source_words} words)")
    if 3 * n < source_words:  # "The phone." for a 35-word sentence: a fragment, and the content lost
        return refused(group, f"the rewrite ({n} words) keeps under a third of its sources ({source_words} words)")
    plain = _plain(" ".join(sources))
    if all(_plain(t).rstrip(".") in plain for t in texts):  # a copy, whole or cut: no better than the sources
        return refused(group, "the model only copied cited sentences: they stand as they are")
    if why := dropped(texts, sources):
        return refused(group, why)
    got = accept(group, texts)
    if got[0].generated and len(added := new_words(" ".join(texts), evidence(group))) > NEW_WORDS:
        return refused(group, f"the rewrite brings words its sources lack: {', '.join(added[:5])}",
                       {**(got[0].check or {}), "text": " ".join(texts)})  # it passed the checker: say so
    return judged(got, group, backend, min_support) if judge and got[0].generated else got


def fuse(briefing: Briefing, backend: Backend, *, limits: Limits = Limits()) -> Briefing:
    """The briefing with its summary rewritten group by group by
    ``backend`` (temperature 0: the same model gives the same briefing),
    every generated sentence checked; ``briefing`` is left as it is.

    A backend that fails (unreachable, timeout, a bad answer) leaves the
    whole summary extractive, with the failure in ``errors``: half a
    fused summary from a model that stopped answering would mislead."""
    budget, start = Budgeted(backend, limits.tokens), time.monotonic()
    summary: list[SummarySentence] = []
    fusion = Fusion(model=backend.name)
    try:
        for g in groups(briefing.summary):
            group = [briefing.summary[i] for i in g]
            if why := _over(group, budget, start, limits):
                summary += refused(group, why)
                fusion.skipped += 1
                continue
            out = rewrite(group, budget, judge=limits.judge, min_support=limits.min_support)
            summary += out
            fusion.generated += sum(s.generated for s in out)
            fusion.judged += sum(s.generated and (s.check or {}).get("support") is not None for s in out)
            fusion.refused += not out[0].generated
    except LLMError as e:
        note = LoadError("llm", f"fusion failed, the summary is extractive: {e}")
        return dataclasses.replace(briefing, errors=[*briefing.errors, note])
    fusion.tokens, fusion.seconds = budget.spent, time.monotonic() - start
    fusion.model = getattr(backend, "model", None) or backend.name  # an OpenAI server's model is known once asked
    return dataclasses.replace(briefing, summary=summary, fusion=fusion,
                               words=sum(word_count(s.text) for s in summary))


def _over(group: list[SummarySentence], budget: Budgeted, start: float, limits: Limits) -> str | None:
    """Why the group cannot be asked for within the limits, or None. The
    prompt is guessed at 3 characters a token, the answer at its cap."""
    if time.monotonic() - start > limits.seconds:
        return f"the time budget of {limits.seconds:g} s for the briefing was spent"
    sources = [shown(s) for s in group]
    prompt = sum(len(m["content"]) for m in messages(group)) // 3
    answer = 2 * sum(map(word_count, sources)) + 40
    if limits.judge:  # up to WRITE_AT_MOST judge calls: each the group and the rewrite again, one token out
        prompt += WRITE_AT_MOST * ((len(JUDGE) + 2 * sum(map(len, sources))) // 3 + 1)
    if budget.remaining < prompt + answer:
        return f"the token budget of {limits.tokens} for the briefing was spent"
    return None


def _plain(text: str) -> str:
    """A sentence for telling a copy: case, spacing and quote style aside."""
    return " ".join(text.lower().replace("’", "'").replace("“", '"').replace("”", '"').split())


def _union(group: list[SummarySentence], field: str) -> list[Citation]:
    """The group's citations of one kind (``citations``, ``support`` or
    ``disputed``), each sentence once, in order: a generated sentence rests
    on, and is supported or disputed by, everything its sources were."""
    seen: dict[tuple[str, int], Citation] = {}
    for s in group:
        for c in getattr(s, field):
            seen.setdefault((c.source, c.sentence), c)
    return list(seen.values())
