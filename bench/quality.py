"""Quality benchmark: ROUGE and speed of newsbrief's methods against the sumy
LexRank and TextRank peers, on the same clusters, in one process.

Fairness rules, so the comparison measures summarization and nothing else:

* Same text. The peers get the articles cleaned and segmented by newsbrief's
  own pipeline (``newsbrief.pipeline.prepare``), so peers and ours choose from
  exactly the same sentences; no peer is handicapped by boilerplate we drop.
  sumy's own NLTK tokenizer is not used (punkt data is not available offline);
  sumy's documents are built from our sentences, with a regex word tokenizer
  filtered by sumy's own word rule, sumy's Snowball English stemmer and its
  English stop words.
* One document per cluster: all articles concatenated, the usual way
  single-document peers are run on Multi-News.
* Same length. Sentences are taken in sumy's rating order under the same word
  budget rule as ours (``Budget.fits`` / ``Budget.full``) and then put back in
  document order.
* Same scorer: ``newsbrief.eval.RougeScorer`` (rouge-score, stemmed, Lsum on
  sentence lines).
* The ceiling: the greedy extractive ROUGE oracle (``newsbrief.eval.oracle``),
  which reads the reference, picks from the same sentences under the same
  budget rule, and is scored by the same scorer, in reading order. It stops
  adding sentences when none raises mean(R1, R2) F1, so it may end short of
  the budget; "oracle (unbounded)" has no budget at all (its natural length),
  and "oracle (all sentences)" may also pick what no method may (fragments,
  headings, questions: sentences outside ``Pool.selectable``), as the
  literature's oracle does.
* Time per cluster: ours from ``EvalResult.seconds`` (cleaning, segmentation
  and summarization); peers only their summarization, including building the
  sumy document from the already-cleaned sentences, not the shared cleaning.
  The speed ratio is thus conservative for us.

Usage: ``.venv/bin/python bench/quality.py [--data F] [--limit K] [--words N]
[--methods a,b] [--json OUT]``

Other summary lengths: ``bench/length_curve.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.nlp.stemmers import Stemmer
from sumy.nlp.tokenizers import Tokenizer
from sumy.summarizers._summarizer import AbstractSummarizer, SentenceInfo
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from newsbrief.eval import ROUGE_KEYS, EvalResult, RougeScorer, evaluate
from newsbrief.eval.oracle import oracle_summary, tokenize
from newsbrief.model import Article, Cluster, LoadError
from newsbrief.pipeline import prepare
from newsbrief.sources import iter_clusters
from newsbrief.summarize import DEFAULT_METHOD, Budget, Pool, methods
from newsbrief.summarize.base import reading_order
from newsbrief.text import split_sentences

DEFAULT_DATA = Path("/work/shared/data/multinews/dev.jsonl")
PEERS = ("sumy-lexrank", "sumy-textrank")
# Close to NLTK's word_tokenize as sumy's rule then filters it: "U.S.",
# "COVID-19" and clitics ("'s") are tokens that the rule drops; "isn't" is
# "is" + "n't"; hyphenated words are kept whole.
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?=n['’]t\b)|n['’]t\b|[^\W_]+(?:-[^\W_]+)*|['’][^\W\d_]+")


class OurTokenizer:
    """sumy's tokenizer interface (``to_sentences``, ``to_words``) without
    NLTK data: sentences by newsbrief's segmenter, words by a regex."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(paragraph[s:e] for s, e in split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(w for w in _WORD.findall(sentence) if Tokenizer._is_word(w))


TOKENIZER = OurTokenizer()


def make_peer(name: str) -> AbstractSummarizer:
    """A sumy summarizer configured as its documentation shows for English."""
    cls = {"sumy-lexrank": LexRankSummarizer, "sumy-textrank": TextRankSummarizer}[name]
    s = cls(Stemmer("english"))
    s.stop_words = get_stop_words("english")
    return s


def sumy_document(articles: Sequence[Article]) -> ObjectDocumentModel:
    """All articles as one sumy document, one paragraph per source paragraph;
    its ``sentences`` are our sentences, flattened in the same order."""
    paragraphs = []
    for a in articles:
        groups: dict[int, list[SumySentence]] = {}
        for s in a.sentences:
            groups.setdefault(s.paragraph, []).append(SumySentence(s.text, TOKENIZER))
        paragraphs += [Paragraph(g) for g in groups.values()]
    return ObjectDocumentModel(paragraphs)


def peer_summary(articles: Sequence[Article], summarizer: AbstractSummarizer, budget: Budget) -> list[str]:
    """The peer's extractive summary of segmented articles: whole sentences
    taken in the peer's rating order under our budget rule, returned in
    document order."""
    texts = [s.text for a in articles for s in a.sentences]
    picked: list[int] = []

    def take(ranked: list[SentenceInfo]) -> list[SentenceInfo]:
        # sumy calls this with all sentences sorted best first (its
        # ``sentences_count`` may be a callable); ``order`` indexes ``texts``.
        out: list[SentenceInfo] = []
        total = 0
        for info in ranked:
            w = len(texts[info.order].split())
            if not w or not budget.fits(total, w):
                continue
            out.append(info)
            total += w
            if budget.full(len(out), total):
                break
        picked.extend(i.order for i in out)
        return out

    summarizer(sumy_document(articles), take)
    return [texts[i] for i in sorted(picked)]


def run_peer(name: str, clusters: Sequence[Cluster], budget: Budget,
             on_cluster: Callable[[], None] | None = None) -> EvalResult:
    """Score one peer like ``evaluate`` scores ours; cleaning is done (and
    timed) outside, so only the peer's own work is timed."""
    scorer, summarizer, r = RougeScorer(), make_peer(name), EvalResult(name)
    for c in clusters:
        ready = prepare(c.articles)
        if not c.reference or not ready:
            r.skipped.append(f"{c.id}: {'no reference summary' if not c.reference else 'no usable article'}")
        else:
            t0 = time.perf_counter()
            summary = peer_summary(ready, summarizer, budget)
            r.seconds.append(time.perf_counter() - t0)
            for k, v in scorer.score(summary, c.reference).items():
                r.scores[k].append(v)
            r.words.append(sum(len(s.split()) for s in summary))
            r.clusters += 1
        if on_cluster:
            on_cluster()
    return r


# name -> (bounded by the word budget, may pick non-candidate sentences)
ORACLES = {"oracle": (True, False), "oracle (unbounded)": (False, False), "oracle (all sentences)": (True, True)}


def run_oracles(clusters: Sequence[Cluster], words: int,
                on_cluster: Callable[[], None] | None = None) -> list[EvalResult]:
    """The greedy oracle variants of ``ORACLES``, each cluster cleaned once
    for all of them. Time per cluster is each variant's own work (tokenising
    sentences and reference, then selecting), not the cleaning."""
    scorer = RougeScorer()
    results = {name: EvalResult(name) for name in ORACLES}
    for c in clusters:
        ready = prepare(c.articles)
        pool = Pool(ready)
        for name, (bounded, every) in ORACLES.items():
            r = results[name]
            if not c.reference or not ready:
                r.skipped.append(f"{c.id}: {'no reference summary' if not c.reference else 'no usable article'}")
                continue
            t0 = time.perf_counter()
            toks = [tokenize(s.text) for s in pool.sentences]
            picked = reading_order(pool, oracle_summary(pool, c.reference, words if bounded else None,
                                                        all_sentences=every, tokens=toks))
            r.seconds.append(time.perf_counter() - t0)
            for k, v in scorer.score([pool.sentences[i].text for i in picked], c.reference).items():
                r.scores[k].append(v)
            r.words.append(sum(pool.sentences[i].words for i in picked))
            r.clusters += 1
        if on_cluster:
            on_cluster()
    return list(results.values())


def mean(xs: list[float]) -> float:
    return statistics.fmean(xs) if xs else float("nan")


def table(results: Sequence[EvalResult]) -> str:
    rows = ["| method | R1 | R2 | RL | RLsum | words | s/cluster |", "|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        cells = [f"{r.mean(k):.2f}" for k in ROUGE_KEYS] + [f"{mean(r.words):.0f}", f"{mean(r.seconds):.4f}"]
        rows.append(f"| {r.method} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def comparison(ours: EvalResult, peer: EvalResult) -> dict[str, float]:
    return {
        "r1_points": ours.mean("rouge1") - peer.mean("rouge1"),
        "r2_points": ours.mean("rouge2") - peer.mean("rouge2"),
        "speedup": mean(peer.seconds) / mean(ours.seconds),
    }


def _exe() -> str:
    rel = os.path.relpath(sys.executable)
    return sys.executable if rel.startswith("..") else rel


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL(.gz) of clusters with reference summaries")
    ap.add_argument("--limit", type=int, default=None, metavar="K", help="first K clusters only")
    ap.add_argument("--words", type=int, default=250, metavar="N", help="word budget per summary")
    ap.add_argument("--methods", default=",".join(methods.names()),
                    help="comma-separated newsbrief methods (default: all registered)")
    ap.add_argument("--json", type=Path, default=None, metavar="OUT", help="write all figures as JSON")
    args = ap.parse_args(argv)
    names = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in names if m not in methods]
    if unknown:
        ap.error(f"unknown method(s) {', '.join(unknown)} (known: {', '.join(methods.names())})")

    err = Console(stderr=True)
    clusters: list[Cluster] = []
    for c in iter_clusters(args.data):
        if isinstance(c, LoadError):
            err.print(f"[yellow]skipped[/] {c}")
        elif isinstance(c, Cluster):
            clusters.append(c)
    clusters = clusters[:args.limit] if args.limit is not None else clusters
    if not clusters:
        err.print(f"[red]no clusters in {args.data}[/]")
        return 1

    meta: dict[str, Any] = {
        "command": shlex.join([_exe(), *sys.argv] if argv is None else [_exe(), __file__, *argv]),
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "data": str(args.data), "clusters": len(clusters), "words": args.words,
        "python": platform.python_version(), "cpus": os.cpu_count(), "default_method": DEFAULT_METHOD,
    }
    print(f"`{meta['command']}` | {meta['date']} | data {meta['data']} | {meta['clusters']} clusters | "
          f"{args.words} words | Python {meta['python']} | {meta['cpus']} CPUs\n")

    budget = Budget(words=args.words)
    t_start = time.perf_counter()
    with Progress(console=err, transient=True) as bar:
        task = bar.add_task("newsbrief " + ",".join(names), total=len(clusters))
        results = evaluate(clusters, names, words=args.words, on_cluster=lambda: bar.advance(task))
        for peer in PEERS:
            task = bar.add_task(peer, total=len(clusters))
            results.append(run_peer(peer, clusters, budget, on_cluster=lambda t=task: bar.advance(t)))
        task = bar.add_task("oracle", total=len(clusters))
        results += run_oracles(clusters, args.words, on_cluster=lambda: bar.advance(task))
    meta["wall_seconds"] = round(time.perf_counter() - t_start, 1)

    print(table(results))
    by_name = {r.method: r for r in results}
    vs: dict[str, float] | None = None
    if DEFAULT_METHOD in by_name:
        vs = comparison(by_name[DEFAULT_METHOD], by_name["sumy-lexrank"])
        speed = f"{vs['speedup']:.1f}x faster" if vs["speedup"] >= 1 else f"{1 / vs['speedup']:.1f}x slower"
        print(f"\n{DEFAULT_METHOD} (default) vs sumy-lexrank: R1 {vs['r1_points']:+.2f} points, "
              f"R2 {vs['r2_points']:+.2f} points; {speed} "
              f"({mean(by_name['sumy-lexrank'].seconds):.4f} s / {mean(by_name[DEFAULT_METHOD].seconds):.4f} s per cluster; "
              "ours includes cleaning, sumy's does not)")
        o, d = by_name["oracle"], by_name[DEFAULT_METHOD]
        print(f"oracle ({args.words}-word budget; {mean(o.words):.0f} words) above {DEFAULT_METHOD}: "
              f"R1 {o.mean('rouge1') - d.mean('rouge1'):+.2f}, R2 {o.mean('rouge2') - d.mean('rouge2'):+.2f} points")
    else:
        print(f"\n(default method {DEFAULT_METHOD!r} not run: no comparison with sumy-lexrank or the oracle)")
    for r in results:
        if r.skipped:
            err.print(f"{r.method}: skipped {len(r.skipped)}: {'; '.join(r.skipped[:3])}")

    if args.json:
        out = {**meta, "results": [r.to_dict() for r in results], "default_vs_sumy_lexrank": vs,
               "per_cluster": {r.method: {**r.scores, "words": r.words, "seconds": r.seconds} for r in results}}
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
