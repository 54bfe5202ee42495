"""Cross-source analysis over prepared (cleaned and segmented) articles:
people and organisations, quotes, agreements, contradictions, a timeline and
relations, and the fact table. Each part is its own module and reads the
story's shared context (:class:`~newsbrief.analysis.story.Story`: parses,
embeddings, the cross-source alignment); :func:`analyze` runs them in the
order their inputs need (entities first: quotes and relations resolve names
to them)."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Agreement, Analysis, Article, Contradiction, Entity
from ..text.lexicon import TITLES, role_words
from .story import Story

__all__ = ["analyze", "name_resolver", "Story"]


def name_resolver(entities: list[Entity]) -> Callable[[str], tuple[str, str] | None]:
    """Map a name as written ("Kislyak", "Sergey Kislyak", "Mr. Kislyak") to
    (entity id, canonical name): exact name or alias first, then a surname
    that only one person carries (a surname two people share names
    neither). A role phrase ("the sheriff", "the Bexar
    County Sheriff", "her attorney") maps to the one person whose roles
    carry its head noun (the last word), or to None when none or several do."""
    import re

    exact: dict[str, Entity] = {}
    surname: dict[str, list[Entity]] = {}
    for e in entities:
        if e.type == "PERSON":
            surname.setdefault(e.name.split()[-1].lower(), []).append(e)
    for e in entities:
        for n in [e.name, *e.aliases]:
            if " " not in n and len(surname.get(n.lower(), [e])) > 1:
                continue  # "Sorkin" when the story has David and Kieran Sorkin: not a name for either
            exact.setdefault(n.lower(), e)
    roles = {e.id: role_words(e.roles) for e in entities if e.type == "PERSON"}
    by_id = {e.id: e for e in entities}

    def by_role(phrase: str) -> Entity | None:
        words = re.findall(r"[\w-]+", phrase.lower())[1:]
        if not words:
            return None
        cands = [i for i, ws in roles.items() if words[-1] in ws]
        if len(cands) > 1:  # "the Bexar County sheriff": the one whose role also names Bexar County
            narrower = [i for i in cands if all(w in roles[i] for w in words if not w[0].isdigit())]
            cands = narrower
        return by_id[cands[0]] if len(cands) == 1 else None

    def resolve(name: str) -> tuple[str, str] | None:
        key = name.strip().lower()
        if re.match(r"(?:the|his|her|their|its)\s", key):
            e = by_role(key)
            return (e.id, e.name) if e else None
        e = exact.get(key)
        if e is None and key:
            cands = surname.get(key.split()[-1], [])
            e = cands[0] if len(cands) == 1 else None
            given = [w.rstrip(".").lower() for w in name.split()[:-1]
                     if w.rstrip(".").lower() not in TITLES and not re.fullmatch(r"[A-Z]{1,3}\.?", w)]
            first = e.name.lower().split()[0] if e is not None else ""
            if e is not None and given and given[0] != first and not (len(given[0]) == 1 and first.startswith(given[0])) \
                    and not e.name.lower().endswith(" " + key):  # "Abu Zuhri" is the end of Sami Abu Zuhri
                e = None  # "Doris Kenny" is not Niya Kenny, the one Kenny the story knows ("DC Bird" is Tim Bird)
        return (e.id, e.name) if e else None

    return resolve


def _not_contradicted(agreements: list[Agreement], contradictions: list[Contradiction]) -> list[Agreement]:
    """Two sentences that differ on a value are never shown as agreeing (the
    alignment already keeps them apart; the story-wide checks of tolls, ages
    and professions can pair sentences it did not judge)."""
    conflicting = [{(c.source, c.sentence) for c in x.citations} for x in contradictions]
    out = []
    for a in agreements:
        cited = {(c.source, c.sentence) for c in a.citations}
        if not any(len(cited & pair) >= 2 for pair in conflicting):
            out.append(a)
    return out


def analyze(story: Story | list[Article]) -> Analysis:
    """The analysis sections of one story: prepared articles, or the
    :class:`Story` a briefing already built (its pool, embeddings and
    alignment are then shared with the summary's support)."""
    from .agreements import find_agreements
    from .contradictions import find_contradictions
    from .facts import fact_table
    from .quotes import extract_quotes
    from .relations import extract_relations
    from .timeline import build_timeline

    if not isinstance(story, Story):
        story = Story.of(list(story))
    entities = story.entities
    contradictions = find_contradictions(story)
    agreements = _not_contradicted(find_agreements(story), contradictions)
    return Analysis(
        entities=entities,
        quotes=extract_quotes(story.articles, entities),
        agreements=agreements,
        contradictions=contradictions,
        timeline=build_timeline(story.articles),
        relations=extract_relations(story, entities),
        facts=fact_table(story, agreements, contradictions),
    )
