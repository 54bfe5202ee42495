"""Online story grouping and near-duplicate detection."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from newsbrief.model import Article
from newsbrief.pipeline import prepare
from newsbrief.stories import NearDup, OnlineClusterer, features
from newsbrief.text.embed import available

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
def test_clusterer_state_round_trip():
    items = _articles()
    arts = prepare(Article(id=a, raw=t) for a, _, t in items)
    vecs, kws = features(arts)
    cl = OnlineClusterer()
    for a, v, k in list(zip(arts, vecs, kws))[:-1]:
        cl.add(a.id, v, k, time=1_700_000_000.0)
    meta, sums = cl.state()
    cl2 = OnlineClusterer.from_state(json.loads(json.dumps(meta)), np.asarray(sums))
    assert cl2.assignment == cl.assignment
    a, v, k = arts[-1], vecs[-1], kws[-1]
    s1, s2 = cl.score(v, k), cl2.score(v, k)
    assert [r for r, _ in s1] == [r for r, _ in s2]
    assert [x for _, x in s1] == pytest.approx([x for _, x in s2], abs=0.02)
    assert cl2.add(a.id, v, k) == cl.add(a.id, v, k) == cl.assignment[arts[-2].id]


def test_time_gap_lowers_score():
    cl = OnlineClusterer(threshold=0.5)
    v = np.ones(4, dtype=np.float32) / 2
    cl.add("a", v, {"x"}, time=0.0)
    near = cl.score(v, {"x"}, time=86400.0)[0][1]
    far = cl.score(v, {"x"}, time=60 * 86400.0)[0][1]
    assert far < near
