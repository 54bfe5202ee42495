"""Every summarization method: budgets, citations, redundancy, support."""

from __future__ import annotations

import pytest

import newsbrief
from newsbrief import Budget, NoArticlesError, methods
from newsbrief.summarize import Pool, summarize
from newsbrief.model import Article
from newsbrief.pipeline import prepare
from newsbrief.summarize.base import reading_order

A = """The city council voted 7-2 on Tuesday to build a new light-rail line along the harbor front.
The line will cost an estimated $480 million and open in 2029, officials said.
Mayor Lena Ortiz called the vote a turning point for a city choked by traffic.
Opponents argued that buses would serve the same riders for a fraction of the cost.
Construction is expected to begin next spring near the old ferry terminal.
The council also approved a study of bike lanes on three downtown streets.
Residents packed the chamber for more than four hours of public comment."""

B = """Port Alder's council approved a harbor-front light-rail line in a 7-2 vote on Tuesday night.
The project, budgeted at $480 million, is scheduled to open in 2029.
Ortiz, who campaigned on transit, said the city could not wait another decade.
Two council members said the money would be better spent on express buses.
Business owners along the route worry about two years of construction noise.
A federal grant could cover up to half of the cost, according to the transit agency."""

C = """Transit advocates cheered on Tuesday as the council backed the light-rail plan by seven votes to two.
The line will connect the ferry terminal with the university across eleven stations.
Critics said the $480 million price tag would squeeze other parts of the city budget.
The first trains are expected in 2029 if construction stays on schedule.
The agency plans to hold neighborhood meetings on station design this summer."""


def arts():
    return [newsbrief.article(t, id=i, outlet=o) for t, i, o in
            ((A, "a", "Ledger"), (B, "b", "Radio"), (C, "c", "Times"))]


@pytest.mark.parametrize("method", methods.names())
def test_every_method_cites_exactly_and_keeps_the_budget(method):
    b = newsbrief.brief(arts(), method=method, words=60)
    by_id = {s.id: s for s in b.sources}
    longest = max(len(s.text.split()) for s in b.summary)
    assert abs(b.words - 60) <= longest
    assert b.words == sum(len(s.text.split()) for s in b.summary)
    seen = set()
    for s in b.summary:
        (c,) = s.citations
        assert by_id[c.source].text[c.start:c.end] == s.text == c.text
        assert by_id[c.source].sentences[c.sentence].text == s.text
        assert (c.source, c.sentence) not in seen
        seen.add((c.source, c.sentence))
        for sup in s.support:
            assert sup.source != c.source
            assert by_id[sup.source].text[sup.start:sup.end] == sup.text


@pytest.mark.parametrize("method", methods.names())
def test_sentence_budget(method):
    b = newsbrief.brief(arts(), method=method, words=None, sentences=3)
    assert len(b.summary) == 3


def test_lead_is_round_robin_over_sources():
    b = newsbrief.brief(arts(), method="lead", words=None, sentences=3)
    firsts = {(s.citations[0].source, s.citations[0].sentence) for s in b.summary}
    # The three sources' first sentences say nearly the same thing: redundancy
    # removal keeps one, so the rest come from second sentences.
    assert ("a", 0) in firsts
    assert all(idx <= 1 for _, idx in firsts)


@pytest.mark.parametrize("method", methods.names())
def test_repeated_wire_copy_is_picked_once_and_supports(method):
    wire = "The storm knocked out power to 40,000 homes across the county on Monday night, officials said."
    a = newsbrief.article(wire + "\nCrews worked through the night to restore lines near the river.", id="x")
    b = newsbrief.article(wire + "\nSchools in three districts closed on Tuesday because of the outage.", id="y")
    br = newsbrief.brief([a, b], method=method, words=40)
    texts = [s.text for s in br.summary]
    assert texts.count(wire) == 1
    first = next(s for s in br.summary if s.text == wire)
    assert [(c.source, c.sentence) for c in first.support] == [("y" if first.citations[0].source == "x" else "x", 0)]


def test_reading_order_groups_sources_in_article_order():
    pool = Pool(newsbrief.prepare(arts()))
    picked = [len(pool) - 1, 0, 2, 8]
    ordered = reading_order(pool, picked)
    docs = [int(pool.doc[i]) for i in ordered]
    assert docs == sorted(docs, key=docs.index)  # each source's sentences together
    for d in set(docs):
        pos = [int(pool.pos[i]) for i in ordered if pool.doc[i] == d]
        assert pos == sorted(pos)


def test_questions_headings_and_fragments_are_not_candidates():
    text = ("Why does this matter?\nA short heading\nThe council approved the plan on Tuesday after a long debate.\n"
            "Officials expect the first trains in 2029 if funding holds.")
    b = newsbrief.brief([newsbrief.article(text, id="q")], words=100)
    assert [s.text for s in b.summary] == [
        "The council approved the plan on Tuesday after a long debate.",
        "Officials expect the first trains in 2029 if funding holds.",
    ]


def test_unknown_method_names_known_ones():
    with pytest.raises(KeyError, match="lexrank"):
        summarize(newsbrief.prepare(arts()), "nope")


def test_budget_validation():
    assert Budget(words=None, sentences=None).auto and not Budget(words=10).auto
    with pytest.raises(ValueError):
        Budget(words=0)
    assert Budget(words=10).fits(0, 15)  # overshoot 5 < gap 10
    assert not Budget(words=10).fits(0, 25)


def test_sentences_override_words():
    """One length rule for the library, the CLI and the API (Budget.of)."""
    assert Budget.of(words=40, sentences=3) == Budget(words=None, sentences=3)
    assert Budget.of(words=40) == Budget(words=40) and Budget.of().auto
    b = newsbrief.brief(arts(), method="lead", words=20, sentences=3)
    assert len(b.summary) == 3 and b.budget == {"words": None, "sentences": 3}


def test_auto_budget_is_resolved_once_to_the_default():
    pool, _, budget = summarize(newsbrief.prepare(arts()), "lead")
    assert budget == Budget(words=250) and methods.get("lead").resolve(pool, budget) is budget


def test_no_usable_article_raises_with_reasons():
    with pytest.raises(NoArticlesError) as e:
        newsbrief.brief([newsbrief.article("clock menu more-arrow no yes mobile", id="nav")])
    assert e.value.errors and "no article text" in e.value.errors[0].reason


def test_a_new_method_is_one_registered_class():
    from newsbrief.summarize.base import Summarizer

    class Last(Summarizer):
        name = "last-test"

        def score(self, pool):
            return pool.pos.astype(float)

    b = newsbrief.brief(arts(), method=Last(), words=None, sentences=3)
    assert b.method == "last-test"
    # The news first (an article's lead), then the method's own picks: the last sentences.
    assert b.summary[0].citations[0].sentence <= 2
    assert any(s.citations[0].sentence >= 4 for s in b.summary[1:])


def test_tfidf_matrix_is_sklearns_tfidf_bit_for_bit():
    """The hand-written TF-IDF (speed) must stay scikit-learn's, layout included."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from newsbrief.pipeline import prepare
    from newsbrief.summarize.terms import tfidf_matrix

    pool = Pool(prepare(arts()))
    for docs in (pool.tokens, [["b", "a", "b"], [], ["c", "a"], ["a"]]):
        want = TfidfVectorizer(analyzer=lambda t: t, sublinear_tf=True, norm="l2").fit_transform(docs).tocsr()
        got = tfidf_matrix(docs)
        assert got.shape == want.shape
        for attr in ("indptr", "indices", "data"):
            assert np.array_equal(getattr(got, attr), getattr(want, attr)), attr
    assert tfidf_matrix([[], []]).shape == (2, 1) and tfidf_matrix([[], []]).nnz == 0
    assert tfidf_matrix([]).shape == (0, 0)


def test_pool_similarity_is_scipys_sparse_product_bit_for_bit():
    """The dense sequential sum (small pools) must equal scipy's CSR product,
    so that no pick depends on which path a pool took."""
    import numpy as np

    from newsbrief.pipeline import prepare
    from newsbrief.summarize import terms

    pools = [Pool(prepare(arts())), Pool(prepare(arts()[:1])), Pool(prepare([newsbrief.article(
        "One sentence here about the harbor line.\nThe. A. Of.\nTrains run late on the harbor line today.", id="x")]))]
    for pool in pools:
        m = pool.tfidf
        s = m.to_scipy()
        assert np.array_equal(pool.similarity, (s @ s.T).toarray())
        assert np.array_equal(terms.gram(m), pool.similarity)
    assert any((np.diff(p.tfidf.indptr) == 0).any() for p in pools)  # a sentence without content words


def test_one_sentence_gram_is_scipys_product_bit_for_bit():
    """One sentence is summed in Python, not by scipy: still scipy's figure,
    to the last bit, for rows of any length and scale."""
    import numpy as np
    from scipy import sparse

    from newsbrief.summarize.terms import Terms, gram

    rng = np.random.default_rng(3)
    for k in [0, 1, 2, 7, 8, 9, 33, *rng.integers(0, 80, 300)]:
        data = rng.random(int(k)) * rng.choice([1e-3, 1.0, 1e3])
        indptr, cols = np.array([0, k]), np.arange(k)
        s = sparse.csr_matrix((data, cols, indptr), shape=(1, max(int(k), 1)))
        got = gram(Terms(indptr, cols, data, np.zeros(k, dtype=np.int64), cols, None))
        assert got.shape == (1, 1) and np.array_equal(got, (s @ s.T).toarray())


def test_pool_tokens_are_content_words():
    from newsbrief.text.tokens import content_words

    pool = Pool(newsbrief.prepare(arts()))
    assert pool.tokens == [content_words(s.text) for s in pool.sentences]
    assert pool.terms.shape == (len(pool), len({t for ts in pool.tokens for t in ts}))


def test_pagerank_solve_agrees_with_power_iteration():
    import numpy as np

    from newsbrief.summarize import base

    rng = np.random.default_rng(7)
    w = rng.random((30, 30))
    w = np.where((w + w.T) / 2 > 0.7, (w + w.T) / 2, 0.0)
    w[3] = w[:, 3] = 0.0  # an isolated sentence
    solved = base.pagerank(w)
    old, base.PAGERANK_SOLVE_MAX = base.PAGERANK_SOLVE_MAX, 0
    try:
        iterated = base.pagerank(w)
    finally:
        base.PAGERANK_SOLVE_MAX = old
    assert abs(solved.sum() - 1) < 1e-9 and np.abs(solved - iterated).max() < 1e-6


def test_a_page_about_the_page_gives_no_summary_sentence():
    # Too long for the cleaner's line rules, but a page about the page by its words.
    notice = ("Readers of this page must update the browser settings and enable scripts for this site, then sign "
              "in to an account with an email address and a password. New readers can register for a free account or "
              "start a subscription to the site. Privacy settings and cookie consent can be changed on the account "
              "page at any time, and archived pages stay in the reading history of the account for a month.\n")
    story = ("The harbour bridge in Brindle closed on Tuesday for two years of repairs to its cables.\n"
             "Engineers found that two of the main cables had rusted through in several places.\n"
             "Ferries will double their crossings while the bridge is closed for the repairs.\n")
    b = newsbrief.brief([newsbrief.article(story, id="story"), newsbrief.article(notice, id="notice")], words=200)
    assert b.summary and all(s.citations[0].source == "story" for s in b.summary)
    assert any(a.id == "notice" for a in b.sources)  # still shown among the sources, with its text


def test_no_second_telling_of_the_opening_event():
    from newsbrief.summarize.base import OPENER_REDUNDANCY

    b = newsbrief.brief("examples/cluster", words=200)
    pool = Pool(prepare([Article(id=s.id, raw=s.text, outlet=s.outlet) for s in b.sources]))
    texts = [s.text for s in pool.sentences]
    first = texts.index(b.summary[0].citations[0].text)
    for s in b.summary[1:]:
        assert pool.similarity[first, texts.index(s.citations[0].text)] <= OPENER_REDUNDANCY
