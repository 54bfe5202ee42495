"""Online story grouping and near-duplicate detection."""

from __future__ import annotations

import gzip
import json
import random

import numpy as np
import pytest

from newsbrief.model import Article
from newsbrief.pipeline import prepare
from newsbrief.stories import NearDup, OnlineClusterer, features, keywords
from newsbrief.stories.cluster import load_scorer
from newsbrief.stories.idf import IdfError, background
from newsbrief.text.junk import furniture_share, is_junk
from newsbrief.text.embed import available
from texts import COOKIE_WALL, LOGIN_WALL

WIRE = ("The European Central Bank raised its main interest rate by a quarter point on Thursday, "
        "its ninth increase in a row, and said inflation in the euro zone was expected to stay too high "
        "for too long. President Christine Lagarde told reporters in Frankfurt that the governing council "
        "had not decided whether rates had peaked, and that future decisions would depend on the data. "
        "Markets had largely expected the move after figures last week showed prices rising faster than "
        "forecast in Germany, France and Spain, while growth across the bloc has slowed sharply this year.")

STORIES = {
    "quake": [
        "A magnitude 7.1 earthquake struck off the coast of Chile on Monday, shaking buildings in Santiago "
        "and prompting a tsunami warning for coastal towns. The Chilean emergency office said there were no "
        "immediate reports of deaths. The quake hit at a depth of 30 kilometres near Valparaiso.",
        "Chile lifted its tsunami warning hours after a powerful 7.1 earthquake near Valparaiso rattled "
        "Santiago. Emergency officials said several homes were damaged and two people were injured by "
        "falling debris, but the earthquake caused no deaths.",
        "Residents of Valparaiso slept outside on Monday night after the 7.1 magnitude earthquake, fearing "
        "aftershocks. Chile's president visited the coastal city and promised help for families whose homes "
        "were damaged by the quake and the tsunami alert.",
    ],
    "merger": [
        "Shareholders of Norwood Pharmaceuticals approved the company's $12 billion merger with Halberg Labs "
        "on Tuesday, creating one of the largest makers of generic drugs. Regulators in Brussels still have to "
        "approve the deal, which Norwood's chief executive said would cut costs by $900 million.",
        "European competition regulators opened an in-depth investigation into the Halberg Labs and Norwood "
        "Pharmaceuticals merger, saying the $12 billion deal could raise prices for generic drugs in several "
        "countries. Norwood shares fell 4 percent.",
    ],
    "football": [
        "Riverside United won the league title on Saturday with a 3-1 victory over Eastport, their first "
        "championship in 22 years. Striker Marco Bellini scored twice and the manager was carried across the "
        "pitch by his players as thousands of fans celebrated in the stadium.",
        "Thousands of Riverside United fans filled the city centre on Sunday to celebrate the club's first "
        "league championship in 22 years. Marco Bellini, whose two goals beat Eastport 3-1, lifted the trophy "
        "on an open-top bus parade.",
        "Riverside United manager said winning the league title after 22 years was the proudest moment of his "
        "career, praising Marco Bellini after the 3-1 win against Eastport that sealed the championship.",
    ],
}


def test_near_duplicate_of_lightly_edited_copy():
    nd = NearDup()
    assert nd.add("reuters", WIRE) is None
    words = WIRE.split()
    words[5] = "lifted"  # a light edit, and a trimmed tail, as outlets do with wire copy
    edited = " ".join(words[:-4]) + " (Reporting by staff)"
    assert nd.add("copy", edited) == "reuters"
    assert nd.add("other", " ".join(STORIES["quake"])) is None
    assert nd.add("empty", "") is None


def test_near_dup_state_round_trip():
    nd = NearDup()
    nd.add("a", WIRE)
    meta, sigs = nd.state()
    nd2 = NearDup.from_state(json.loads(json.dumps(meta)), sigs)
    assert nd2.add("b", WIRE + " Extra line.") == "a"


needs_embed = pytest.mark.skipif(not available(), reason="embedding model not available")


def _articles():
    items = [(f"{k}{i}", k, t) for k, texts in STORIES.items() for i, t in enumerate(texts)]
    return items


@needs_embed
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_three_stories_grouped_when_shuffled(seed):
    items = _articles()
    random.Random(seed).shuffle(items)
    arts = prepare(Article(id=a, raw=t) for a, _, t in items)
    vecs, kws = features(arts)
    cl = OnlineClusterer()
    got = {a.id: cl.add(a.id, v, k) for a, v, k in zip(arts, vecs, kws)}
    truth = {a: s for a, s, _ in items}
    pairs = [(x, y) for x in got for y in got if x < y]
    for x, y in pairs:
        assert (got[x] == got[y]) == (truth[x] == truth[y]), (x, y, got)


@needs_embed
def test_replaying_forced_assignments_rebuilds_the_same_state():
    """A store reopening replays stored features with forced story ids: the
    rebuilt clusterer must decide the next article as the original would."""
    items = _articles()
    random.Random(5).shuffle(items)
    arts = prepare(Article(id=a, raw=t) for a, _, t in items)
    vecs, kws = features(arts)
    live = OnlineClusterer()
    for a, v, k in list(zip(arts, vecs, kws))[:-1]:
        live.add(a.id, v, k, time=1_700_000_000.0)
    replayed = OnlineClusterer()
    for a, v, k in list(zip(arts, vecs, kws))[:-1]:
        replayed.add(a.id, v, k, time=1_700_000_000.0, story_id=live.assignment[a.id])
    assert replayed.assignment == live.assignment
    a, v, k = arts[-1], vecs[-1], kws[-1]
    s1, s2 = live.score(v, k), replayed.score(v, k)
    assert [r for r, _ in s1] == [r for r, _ in s2]
    assert [x for _, x in s1] == pytest.approx([x for _, x in s2])
    assert replayed.add(a.id, v, k) == live.add(a.id, v, k)


def test_time_gap_lowers_score():
    cl = OnlineClusterer()
    v = np.ones(4, dtype=np.float32) / 2
    cl.add("a", v, {"ecb": 2, "lagard": 1, "rate": 1}, time=0.0)
    near = cl.score(v, {"ecb": 1, "lagard": 1}, time=86400.0)[0][1]
    far = cl.score(v, {"ecb": 1, "lagard": 1}, time=60 * 86400.0)[0][1]
    assert far < near


def test_new_story_ids_are_never_digits_and_never_collide():
    cl = OnlineClusterer()
    v = np.ones(4, dtype=np.float32) / 2
    forced = cl.add("a", v, {"alpha": 1}, story_id="s1")  # an id a new story could also get
    got = [cl.add(x, v, {w: 1}) for x, w in [("b", "beta"), ("c", "gamma"), ("d", "delta")]]
    assert forced == "s1"
    assert len({forced, *got}) == 4
    assert not any(s.isdigit() for s in got)
    assert cl.add("e", v, {"epsilon": 1}, story_id="17") == "17"  # a store's id is kept as given


def test_dimension_mismatch_is_an_error():
    cl = OnlineClusterer()
    cl.add("a", np.ones(4, dtype=np.float32), {"alpha": 1})
    with pytest.raises(ValueError, match="dimensions"):
        cl.add("b", np.ones(8, dtype=np.float32), {"alpha": 1})


def test_posting_lists_stay_bounded():
    """The per-article work must not grow with the number of stored
    articles: every term keeps only its most recent postings."""
    cl = OnlineClusterer(max_posting=5)
    v = np.ones(4, dtype=np.float32) / 2
    for i in range(40):
        cl.add(f"a{i}", v, {"common": 1, f"rare{i}": 1}, story_id="x")
    rows, weights = cl._postings["common"]
    assert len(rows) == len(weights) < 2 * 5
    assert rows[-1] == 39


# --- background IDF --------------------------------------------------------

def test_background_idf_ships_and_ranks_words():
    bg = background()
    assert bg.documents > 100_000
    assert bg.df["year"] > bg.df["parliament"] > bg.df.get("kislyak", 0)
    cl = OnlineClusterer()
    assert cl._idf("year") < cl._idf("parliament") < cl._idf("kislyak")
    assert cl._idf("@merkel") > cl._idf("year")  # names use their stem's frequency


def test_background_idf_bad_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "df.tsv.gz"
    with gzip.open(bad, "wt") as f:
        f.write("stem\tcount\n")
    with pytest.raises(IdfError, match="not a document-frequency file"):
        background(bad)
    with pytest.raises(IdfError, match="cannot read"):
        background(tmp_path / "missing.tsv.gz")


def test_scorer_file_errors_are_clear(tmp_path):
    p = tmp_path / "scorer.json"
    p.write_text(json.dumps({"features": ["member"], "weights": [1.0], "bias": 0, "threshold": 0.5}))
    with pytest.raises(RuntimeError, match="differ from"):
        load_scorer(p)


# --- junk pages --------------------------------------------------------------



def test_junk_pages_are_told_from_news():
    assert is_junk(keywords(COOKIE_WALL)) and is_junk(keywords(LOGIN_WALL))
    assert furniture_share(keywords(COOKIE_WALL)) > 0.3
    for texts in STORIES.values():
        for t in texts:
            assert not is_junk(keywords(t)), t
    assert not is_junk(keywords(WIRE))
    # news about cookies and privacy is still news
    privacy = ("European regulators fined the retailer 40 million euros on Tuesday for tracking shoppers without "
               "their consent, saying the company had stored cookies on the computers of millions of customers "
               "and shared the data with advertisers. The company said it would appeal the decision in court.")
    assert not is_junk(keywords(privacy))
    assert is_junk({"@acme": 2})  # no content word at all: nothing to group it by


def test_junk_copies_stay_out_of_stories_even_when_forced():
    """The same log-in wall scraped under three stories is a near-duplicate
    of itself; forcing its original's story (what a store does with
    near-duplicates) must not glue the stories together."""
    cl = OnlineClusterer()
    nd = NearDup()
    v = np.ones(4, dtype=np.float32) / 2
    texts = [("quake0", STORIES["quake"][0]), ("wall1", LOGIN_WALL), ("merger0", STORIES["merger"][0]),
             ("wall2", LOGIN_WALL + " Thank you."), ("football0", STORIES["football"][0]), ("wall3", LOGIN_WALL)]
    for aid, text in texts:
        dup = nd.add(aid, text)
        cl.add(aid, v, keywords(text), story_id=cl.assignment.get(dup) if dup else None)
    assert nd.duplicate_of == {"wall2": "wall1", "wall3": "wall1"}
    assert cl.junk == {"wall1", "wall2", "wall3"}
    walls = {cl.assignment[w] for w in ("wall1", "wall2", "wall3")}
    assert len(walls) == 3
    assert walls.isdisjoint(cl.assignment[s] for s in ("quake0", "merger0", "football0"))
    # and a junk page is never a candidate for a later article
    assert all(cl.story_ids[r] not in walls for r, _ in cl.score(v, keywords(LOGIN_WALL)))
    # a copy of a junk page is junk too, even when its own words pass the test
    edited = "Subscriber log in. " + STORIES["merger"][1]
    assert not is_junk(keywords(edited))
    got = cl.add("wall4", v, keywords(edited), story_id=cl.assignment["wall1"])
    assert got not in walls and "wall4" in cl.junk


def test_renamed_story_keeps_its_members_and_takes_their_articles():
    """A store names the stories the clusterer opens; a later article of the
    story gets the store's id."""
    cl = OnlineClusterer()
    v = np.ones(4, dtype=np.float32) / 2
    kw = {"ecb": 2, "lagard": 1, "rate": 1}
    opened = cl.add("a", v, kw)
    cl.rename_story(opened, "17")
    assert cl.assignment["a"] == "17" and cl.story_ids == ["17"]
    assert cl.add("b", v, kw) == "17" and cl.members == [["a", "b"]]
    with pytest.raises(ValueError, match="taken"):
        cl.rename_story(cl.add("c", v, {"quake": 3}, story_id="18"), "17")
