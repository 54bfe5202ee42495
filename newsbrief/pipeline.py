"""The library API: sources in, briefing out. The CLI, the server and the
batch runner are thin layers over these functions."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .analysis.story import Story
from .briefing import cite
from .clean import clean
from .model import Analysis, Article, Briefing, Cluster, LoadError
from .sources import Loaded
from .stories.dedupe import leave_out_copies
from .sources import load as _load
from .summarize import DEFAULT_METHOD, Budget, Summarizer, summarize
from .text import segment
from .text.language import non_english
from .text.limits import cap_sentences, cap_text
from .text.segment import word_count

Source = str | Path | Article | Cluster


class NoArticlesError(ValueError):
    """No usable article among the sources; ``errors`` says why for each."""

    def __init__(self, errors: list[LoadError]) -> None:
        self.errors = errors
        super().__init__("no usable article" + (f" ({len(errors)} source(s) failed)" if errors else ""))


def load(*sources: Source | Iterable[Source]) -> Loaded:
    """Load and return raw articles and clusters; bad sources become errors."""
    paths, out = [], Loaded()
    for s in _flatten(sources):
        if isinstance(s, Article):
            out.articles.append(s)
        elif isinstance(s, Cluster):
            out.clusters.append(s)
        else:
            paths.append(s)
    if paths:
        got = _load(paths)
        out.articles += got.articles
        out.clusters += got.clusters
        out.errors += got.errors
        out.warnings += got.warnings
    return out


def select_story(got: Loaded, choice: str | None) -> tuple[list[Article], str | None]:
    """The articles of the one story to brief, and its id.

    The story is the loose articles plus at most one JSONL cluster: several
    clusters are several stories, so the caller must pick one by id or by
    1-based position. Raises ValueError with a one-line message otherwise.
    """
    clusters = got.clusters
    if choice is None:
        if len(clusters) > 1:
            raise ValueError(f"the input holds {len(clusters)} clusters (stories); choose one with "
                             f"--cluster ID or --cluster N (1-{len(clusters)})")
        chosen = clusters[0] if clusters else None
    else:
        if not clusters:
            raise ValueError("--cluster given, but the input holds no clusters (JSONL rows with 'documents')")
        chosen = next((c for c in clusters if c.id == choice), None)
        if chosen is None and choice.isdigit() and 1 <= int(choice) <= len(clusters):
            chosen = clusters[int(choice) - 1]
        if chosen is None:
            raise ValueError(f"no cluster {choice!r}: the input holds {len(clusters)} clusters; "
                             f"give an id or a position 1-{len(clusters)}")
    articles = got.articles + (chosen.articles if chosen else [])
    return articles, (chosen.id if chosen and not got.articles else None)


def prepare(articles: Iterable[Article], errors: list[LoadError] | None = None, *,
            english: bool = False) -> list[Article]:
    """Clean and segment; an article with no sentence left is reported, not
    kept. ``english=True`` (briefings) also reports and leaves out an article
    written in another language: the summary's scoring and the analysis read
    English only, and would turn its words into names and quotes."""
    ready = []
    for a in articles:
        if not a.text:
            a, unread = cap_text(a)
            a = clean(a)
            a.dropped += unread
        a = segment(a)
        why = None
        # The raw text when the cleaner kept nothing: a Chinese page is "not English", not "empty".
        if english and (lang := non_english(a.text if a.sentences else a.raw)):
            why = (f"written in {lang.name} ({lang.code}), not English: left out of the summary and the analysis, "
                   "which read English only")
        elif not a.sentences:
            lang = non_english(a.raw)  # a Chinese page for ingest: say why nothing was left
            why = (f"written in {lang.name} ({lang.code}), not English: no article text left after cleaning"
                   if lang else "no article text left after cleaning")
        if why is None:
            ready.append(a)
        elif errors is not None:
            errors.append(LoadError(a.path or a.id, why))
    return cap_sentences(ready)


def brief(*sources: Source | Iterable[Source], method: str | Summarizer = DEFAULT_METHOD,
          words: int | None = None, sentences: int | None = None, id: str | None = None,
          cluster: str | None = None, analysis: bool = False) -> Briefing:
    """Brief one story told by several sources: files, directories, JSONL
    clusters, :class:`Article` or :class:`Cluster` objects.

    ``analysis=True`` adds the cross-source sections (people, quotes,
    agreements, contradictions, timeline, relations).
    ``sentences`` overrides ``words`` (:meth:`Budget.of`); ``words=None``
    (and no ``sentences``) lets the method choose the length: the trained
    ranker calibrates it per cluster, other methods take 250.
    Every summary sentence is a source sentence, cited by offsets into its
    source's cleaned ``text``. Raises :class:`NoArticlesError` when nothing
    usable remains, ValueError when the sources hold several clusters and
    ``cluster`` (an id or a 1-based position) does not pick one.
    """
    got = load(*sources)
    articles, cid = select_story(got, cluster)
    return brief_articles(articles, method=method, words=words, sentences=sentences, id=id or cid, errors=got.errors,
                          analysis=analysis)


def brief_articles(articles: Iterable[Article], *, method: str | Summarizer = DEFAULT_METHOD,
                   words: int | None = None, sentences: int | None = None, id: str | int | None = None,
                   errors: list[LoadError] | None = None, analysis: bool = False) -> Briefing:
    errors = list(errors or [])
    ready = leave_out_copies(prepare(articles, errors, english=True), errors)
    if not ready:
        raise NoArticlesError(errors)
    pool, picked, budget = summarize(ready, method, Budget.of(words, sentences))
    story = Story(pool)  # one context for the summary's support and the analysis
    summary = cite(story, picked)
    name = method if isinstance(method, str) else method.name
    lengths = pool.word_counts  # each sentence's len(text.split()), which selection has counted already
    words = sum([word_count(s.text) if s.edits else lengths[i] for i, s in zip(picked, summary)])  # as displayed
    return Briefing(
        sources=ready, summary=summary, method=name, words=words,
        budget={"words": budget.words, "sentences": budget.sentences}, errors=errors, id=id,
        analysis=_analysis(story) if analysis else None,
    )


def _analysis(story: Story | list[Article]) -> Analysis:
    from .analysis import analyze as run  # spaCy loads only when analysis is asked for

    return run(story)


def analyze(*sources: Source | Iterable[Source]) -> Analysis:
    """Cross-source analysis of one story (people, quotes, agreements,
    contradictions, timeline, relations), without a summary."""
    got = load(*sources)
    articles, _ = select_story(got, None)
    errors = list(got.errors)
    ready = prepare(articles, errors, english=True)
    if not ready:
        raise NoArticlesError(errors)  # with each article's reason: empty, or not English
    return _analysis(ready)


def _flatten(sources):
    for s in sources:
        if isinstance(s, (str, Path, Article, Cluster)):
            yield s
        else:
            yield from s
