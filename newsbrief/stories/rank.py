"""The front page: stories ranked by independent outlets and freshness.

The score of a story is::

    score = log2(outlets) - age / 24 h

``outlets`` counts its independent sources as the store keeps them
(:meth:`newsbrief.store.Store.independent_outlets`: distinct outlets, wire
copies not counted, an article with no outlet one source of its own); no
analysis runs per story, so the front page costs one query. ``age`` is the
time since the story's ``last_seen`` (its newest article's date, never later
than when that article arrived), or since the story was created when no
article has a date. The order is that of ``outlets * 2 ** (-age / 24 h)``,
an exponential decay with a half-life of one day, taken on the log scale so
that the stories of an old archive do not all underflow to zero.

Read it as: each doubling of independent outlets is worth one day of
freshness. Of two stories of the same age, 3 outlets rank above 1; a
2-outlet story of today (score 1) ranks above a 3-outlet story of a week
ago (1.58 - 7 = -5.4); 4 outlets of yesterday tie 2 of today.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..store import Store, StoryInfo, open_store

__all__ = ["HALF_LIFE_HOURS", "RankedStory", "front_page", "rank_score"]

HALF_LIFE_HOURS = 24.0


@dataclass(slots=True)
class RankedStory:
    """A story on the front page, with what its rank comes from."""

    story: StoryInfo
    outlets: int  # independent sources
    age_hours: float
    score: float

    def to_dict(self) -> dict[str, Any]:
        out = self.story.to_dict()
        out.update(independent_outlets=self.outlets, age_hours=round(self.age_hours, 2),
                   score=round(self.score, 4))
        return out


def rank_score(outlets: int, age_hours: float) -> float:
    """``log2(outlets) - age / HALF_LIFE_HOURS`` (see the module's docstring)."""
    return math.log2(outlets) - max(0.0, age_hours) / HALF_LIFE_HOURS


def front_page(db: str | Path | Store | None = None, limit: int | None = 30,
               now: datetime | None = None) -> list[RankedStory]:
    """The stories, best ranked first (ties: the newer story id first);
    junk pages and stories left with no article are not on it. ``now``
    (default: the clock) is what ages are measured from."""
    now = now or datetime.now(timezone.utc)
    with open_store(db) as store:
        infos = store.stories()
        counts = store.independent_outlets()
    ranked = []
    for s in infos:
        n = counts.get(s.id, 0)
        if n and not s.junk:
            age = _age_hours(s, now)
            ranked.append(RankedStory(s, n, age, rank_score(n, age)))
    ranked.sort(key=lambda r: (-r.score, -r.story.id))
    return ranked[:limit] if limit is not None else ranked


def _age_hours(s: StoryInfo, now: datetime) -> float:
    when = _instant(s.last_seen) or _instant(s.created) or now
    return max(0.0, (now - when).total_seconds() / 3600)


def _instant(value: str | None) -> datetime | None:
    """An ISO date or time as an aware datetime (a bare date or a time with
    no zone is read as UTC), or None."""
    if not value:
        return None
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)
