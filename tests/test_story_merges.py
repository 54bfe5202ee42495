"""Story merges: an article that bridges two stories makes them one, the
merge is recorded in the store (the merged story's id still resolves), a
store re-opened later rebuilds the clusterer as the writer had it, and
nothing shown together is ever split again. Headlines, where given, count
too."""

from __future__ import annotations

import copy
import random
import sqlite3

import numpy as np
import pytest

import newsbrief
from newsbrief.model import Article
from newsbrief.store import Store
from newsbrief.stories import Ingestor, OnlineClusterer, StoryNotFound, brief_story, story
from newsbrief.text.embed import available
from test_ingest import synthetic_corpus

pytestmark = pytest.mark.skipif(not available(), reason="embedding model not available")

STATE = ("assignment", "story_ids", "sizes", "latest", "story_kw", "_snorm2", "members", "_avec", "_astory",
         "_arows", "df", "junk", "_row", "merges", "headlines")


def bridging_stream(tmp_path, seed: int = 1) -> list[Article]:
    """Made-up stories whose vocabularies overlap enough that, with a low
    merge threshold, articles bridge stories (seven merges, chains among
    them)."""
    docs = tmp_path / "docs"
    synthetic_corpus(docs, stories=8, per_story=5, seed=seed)
    files = sorted(docs.iterdir())
    random.Random(seed).shuffle(files)
    return newsbrief.load(files).articles


def eager(ing: Ingestor) -> Ingestor:
    """Merge at the least hint (the shipped settings rarely fire on a small
    made-up stream)."""
    ing.clusterer.merge_threshold, ing.clusterer.merge_similarity = 0.05, 0.0
    return ing


def assert_same_state(a: OnlineClusterer, b: OnlineClusterer) -> None:
    for k in STATE:
        assert getattr(a, k) == getattr(b, k), k
    assert a._sums.tobytes() == b._sums.tobytes()
    assert a._cent.tobytes() == b._cent.tobytes()
    assert {t: (r.tobytes(), w.tobytes()) for t, (r, w) in a._postings.items()} == \
        {t: (r.tobytes(), w.tobytes()) for t, (r, w) in b._postings.items()}


def together(store: Store) -> set[frozenset[int]]:
    """The pairs of articles the store shows in one story."""
    return {frozenset((a, b)) for s in store.stories() for a, _ in s.articles for b, _ in s.articles if a < b}


def test_bridging_articles_merge_and_every_merge_is_recorded(tmp_path):
    arts = bridging_stream(tmp_path)
    shown: set[frozenset[int]] = set()
    with Store(tmp_path / "s.db") as s:
        ing = eager(Ingestor(s))
        for a in arts:
            got = ing.add(a)
            shown |= together(s)
            if got.merged is not None:  # the story merged away resolves to the article's story
                assert s.story(got.merged).id == got.story_id
                assert s.resolve_story(got.merged) == got.story_id
        made = ing.clusterer.merges
        recorded = s.merges()
        assert len(made) == len(recorded) == 7
        assert [(m.from_id, m.into_id, m.article_id, m.moved) for m in made] == \
            [(str(r.from_id), str(r.into_id), str(r.article_id), tuple(map(str, r.articles))) for r in recorded]
        assert shown <= together(s)  # nothing shown together was split
        live = {st.id for st in s.stories()}
        for r in recorded:
            assert r.from_id not in live and s.resolve_story(r.from_id) in live
            assert set(r.articles) <= {a for a, _ in s.story(r.from_id).articles}
            assert s.versions(r.from_id)[-1].articles == []  # its last version: empty
        # the store and the clusterer agree on every article's story
        assert {str(a): str(sid) for sid in live for a, _ in s.story(sid).articles} == ing.clusterer.assignment


def test_reopened_store_rebuilds_the_merged_stories_to_the_bit(tmp_path):
    """A new process (a fresh Ingestor on a copy of the file) replays the
    recorded merges where the writer made them: same clusterer state, same
    decisions for what comes next, at once or catching up in steps."""
    arts = bridging_stream(tmp_path)
    live_db, copy_db = tmp_path / "live.db", tmp_path / "copy.db"
    with Store(live_db) as s:
        live = eager(Ingestor(s))
        live.add_all(arts[:26])
        assert len(live.clusterer.merges) >= 3
        written = copy.deepcopy(live.clusterer)
        dst = sqlite3.connect(copy_db)
        s.connection.backup(dst)
        dst.close()
        later = [(a.story_id, a.merged) for a in live.add_all(arts[26:]).articles]
    with Store(copy_db) as s:
        fresh = Ingestor(s)
        assert fresh.sync() == 26
        assert_same_state(fresh.clusterer, written)
        eager(fresh)
        assert [(a.story_id, a.merged) for a in fresh.add_all(arts[26:]).articles] == later
    with Store(live_db) as s, Store(copy_db) as c:
        assert together(s) == together(c)
        assert [(m.from_id, m.into_id, m.article_id, m.articles) for m in s.merges()] == \
            [(m.from_id, m.into_id, m.article_id, m.articles) for m in c.merges()]


def test_replay_of_merges_in_steps_equals_one_pass(tmp_path):
    """A reader that syncs while a writer merges (its sync sees merges whose
    bridging article it has not replayed yet) ends as one full replay."""
    arts = bridging_stream(tmp_path)
    db = tmp_path / "s.db"
    with Store(db) as s:
        writer, reader = eager(Ingestor(s)), Ingestor(s)
        for k, a in enumerate(arts):
            writer.add(a)
            if k % 6 == 0:
                reader.sync()
        reader.sync()
        whole = Ingestor(s)
        whole.sync()
        assert_same_state(reader.clusterer, whole.clusterer)
        assert_same_state(whole.clusterer, writer.clusterer)


def test_merge_stories_moves_records_versions_and_resolves(tmp_path):
    with Store(tmp_path / "s.db") as s:
        ids = [s.add_article(Article(id=f"a{k}", raw=f"text number {k}", text=f"text number {k}"))[0]
               for k in range(5)]
        one = s.new_story("one", articles=ids[:2])
        two = s.new_story("two", articles=ids[2:4])
        three = s.new_story("three", articles=ids[4:])
        v_one, v_two = s.story(one).version, s.story(two).version
        done = s.merge_stories(one, two, ids[3])
        assert (done.from_id, done.into_id, done.article_id, done.articles) == (one, two, ids[3], ids[:2])
        assert s.merges() == [done] and s.merges(after=ids[3]) == []
        got = s.story(one)
        assert got.id == two and [a for a, _ in got.articles] == ids[:4] and got.size == 4
        assert s.story(two).version > v_two and s.versions(one)[-1].articles == [] and \
            s.versions(one)[-1].version > v_one
        assert s.versions(two)[-1].articles == ids[:4]
        assert [st.id for st in s.stories()] == [three, two] or {st.id for st in s.stories()} == {two, three}
        assert one not in {st.id for st in s.stories()}
        s.merge_stories(two, three, None)  # a chain: one -> two -> three
        assert s.story(one).id == s.story(two).id == three
        # no article: it counts as bridged by its last moved one, and comes after the merge it follows
        assert [(m.from_id, m.article_id) for m in s.merges(after=ids[3] - 1)] == [(one, ids[3]), (two, None)]
        with pytest.raises(ValueError, match="itself"):
            s.merge_stories(three, three)
        with pytest.raises(KeyError, match="merged already"):
            s.merge_stories(one, three)
        with pytest.raises(KeyError, match="no story 999"):
            s.merge_stories(999, three)
    db = tmp_path / "s.db"
    assert story(one, db=db).id == three  # the library API resolves too
    with pytest.raises(StoryNotFound):
        story(12345, db=db)


def test_brief_of_a_merged_storys_id_is_the_briefing_of_the_story_it_went_into(tmp_path, examples):
    db = tmp_path / "s.db"
    files = sorted(examples.iterdir())
    with Store(db) as s:
        ing = Ingestor(s)
        got = [ing.add(a) for a in newsbrief.load(files).articles]
        first = got[0].story_id
        lone = s.new_story("a story of its own")
        s.assign(got[-1].id, lone)
        s.merge_stories(lone, first, got[-1].id)
        kept = [a.id for a in s.story_articles(first)]
    b = brief_story(lone, db=db, analysis=False)
    assert b.id == str(first) and [d.id for d in b.sources] == kept


def test_clusterer_never_offers_a_merged_story_again():
    rng = np.random.default_rng(0)
    cl = OnlineClusterer(merge_threshold=2.0)
    e = rng.normal(size=16).astype(np.float32)
    a = cl.add("a", e, {"harbour": 3, "bridge": 2, "council": 1}, story_id="A")
    b = cl.add("b", e, {"harbour": 2, "bridge": 3, "ferry": 1}, story_id="B")
    done = cl.merge(b, a, "b")
    assert done.moved == ("b",) and cl.assignment == {"a": "A", "b": "A"} and cl.members[cl._row["B"]] == []
    assert [cl.story_ids[r] for r, _ in cl.score(e, {"harbour": 1, "bridge": 1})] == ["A"]
    with pytest.raises(ValueError, match="cannot merge"):
        cl.merge("A", "A", "a")


HARBOUR = ("The city council voted on Tuesday to widen the harbour bridge, a project engineers say will take three "
           "years. Traffic on the bridge has doubled since the ferry terminal opened, and commuters wait an hour.")
TRAMS = ("Opponents of the bridge scheme argued that the money should go to trams, and a petition gathered twelve thousand "
         "signatures in a month. Shopkeepers on the quay fear closures while the work goes on.")


def test_a_shared_headline_raises_the_odds_and_its_absence_changes_nothing():
    """Headlines (feeds give them; Multi-News does not, so the weight is
    unmeasured) count only when both sides have one."""
    from newsbrief.pipeline import prepare
    from newsbrief.stories import features

    vecs, kws = features(prepare([Article(id="a", raw=HARBOUR), Article(id="b", raw=TRAMS)]))
    titled, untitled = OnlineClusterer(), OnlineClusterer()
    titled.add("a", vecs[0], kws[0], headline="Vellmar council backs harbour bridge widening")
    untitled.add("a", vecs[0], kws[0])
    (_, plain), = titled.score(vecs[1], kws[1])
    (_, shared), = titled.score(vecs[1], kws[1], headline="Vellmar harbour bridge: petition against widening")
    (_, other), = titled.score(vecs[1], kws[1], headline="Snowfall closes mountain passes")
    assert shared > plain == other and shared - plain > 0.05
    # a story whose articles had no headline: the article's changes nothing
    assert untitled.score(vecs[1], kws[1], headline="Vellmar harbour bridge") == untitled.score(vecs[1], kws[1])


def test_headlines_are_replayed_from_the_store(tmp_path):
    arts = [Article(id=f"h{k}", raw=f"{HARBOUR} Update {k}: {TRAMS}" if k % 2 else f"{TRAMS} Note {k}. {HARBOUR}",
                    title=f"Harbour bridge widening, day {k}") for k in range(4)]
    with Store(tmp_path / "s.db") as s:
        live = Ingestor(s)
        live.add_all(arts)
        fresh = Ingestor(s)
        fresh.sync()
        assert fresh.clusterer.headlines == live.clusterer.headlines and any(live.clusterer.headlines)
        assert_same_state(fresh.clusterer, live.clusterer)
