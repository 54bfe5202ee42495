"""Who met, spoke with, worked for or criticised whom, with evidence.

Precision first: a relation needs two PERSON/ORG entities linked through one
word of a short list, read from the dependency parse of one sentence:

* a verb with one entity as subject and the other as object or object of a
  preposition ("Sessions twice met with Kislyak", "he discussed sanctions
  with Kislyak", "Trump praised Putin", "was fired by Trump");
* a contact noun with a possessor and a "with" ("Kislyak's meetings with
  Sessions", "his communications with Kislyak");
* "Name, role at ORG" appositions (worked_for).

A he/she/his/her argument resolves to the latest PERSON subject before it in
the same sentence (else the latest PERSON mention), never to the other
argument. Co-occurrence alone is not a relation. Edges with the same pair and
kind merge into one Relation citing every sentence; met and spoke_with are
symmetric, the other kinds keep their direction.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ..model import Citation, Entity, Relation

if TYPE_CHECKING:
    from .story import Story

TYPES = ("PERSON", "ORG")
SYMMETRIC = {"met", "spoke_with", "worked_with"}
# verb form -> (kind, prepositions whose object is the other party); "" = direct object
VERBS: dict[str, tuple[str, tuple[str, ...]]] = {}
for kind, forms, preps in [
    ("met", "meet meets met meeting", ("", "with")),
    ("spoke_with", "speak speaks spoke speaking spoken talk talks talked talking discuss discusses discussed "
                   "discussing chat chatted phoned", ("with", "to")),
    ("spoke_with", "told", ("",)),
    ("spoke_with", "call calls called calling", ("",)),
    ("worked_for", "work works worked working", ("for",)),
    ("worked_with", "collaborated partnered", ("with",)),
    ("advised", "advise advises advised advising", ("",)),
    ("criticized", "criticize criticizes criticized criticise criticises criticised slammed blasted attacked "
                   "condemned denounced accused", ("",)),
    ("sued", "sue sues sued suing", ("",)),
    ("praised", "praise praises praised lauded hailed endorsed endorses", ("",)),
    ("fired", "fire fires fired dismissed ousted", ("",)),
    ("appointed", "appoint appoints appointed nominated named hired tapped", ("",)),
    ("knows", "know knows knew known", ("",)),
]:
    for f in forms.split():
        VERBS.setdefault(f, (kind, preps))
CONTACT_NOUNS = {"meeting": "met", "meetings": "met", "talks": "spoke_with", "conversation": "spoke_with",
                 "conversations": "spoke_with", "communication": "spoke_with", "communications": "spoke_with",
                 "call": "spoke_with", "calls": "spoke_with", "discussions": "spoke_with", "contacts": "spoke_with"}
PRONOUNS = {"he", "she", "him", "her", "his"}
SUBJ = ("nsubj", "nsubjpass")


def extract_relations(story: Story, entities: list[Entity]) -> list[Relation]:
    """Relations between PERSON/ORG entities, one per (pair, kind), citations
    in source order."""
    articles, docs = story.articles, story.docs
    ents = {e.id: e for e in entities}
    at: dict[tuple[str, int], list[tuple[int, int, str]]] = defaultdict(list)
    for e in entities:
        if e.type in TYPES:
            for m in e.mentions:
                at[(m.source, m.sentence)].append((m.start, m.end, e.id))
    edges: dict[tuple[str, str, str], list[Citation]] = {}
    for a, adocs in zip(articles, docs):
        for s, doc in zip(a.sentences, adocs):
            here = at.get((a.id, s.index))
            if not here or len({x[2] for x in here}) < 2 and not any(w.lower_ in PRONOUNS for w in doc):
                continue
            tok_ent: dict[int, str] = {}
            for start, end, eid in here:
                span = doc.char_span(start - s.start, end - s.start, alignment_mode="expand")
                if span is not None:
                    for t in span:
                        tok_ent[t.i] = eid
            for src, dst, kind in _links(doc, tok_ent, ents):
                if src == dst:
                    continue
                if kind in SYMMETRIC and _num(dst) < _num(src):
                    src, dst = dst, src
                cites = edges.setdefault((src, dst, kind), [])
                if not any(c.source == s.source and c.sentence == s.index for c in cites):
                    cites.append(Citation.of(s))
    out = [Relation(src, dst, ents[src].name, ents[dst].name, kind, cites) for (src, dst, kind), cites in edges.items()]
    out.sort(key=lambda r: (-len(r.citations), _num(r.source_id), _num(r.target_id), r.kind))
    return out


def _num(eid: str) -> int:
    return int(eid[1:]) if eid[1:].isdigit() else 0


def _links(doc, tok_ent: dict[int, str], ents: dict[str, Entity]):
    """(source id, target id, kind) for every pattern in one sentence."""

    def who(t) -> list[str]:
        """Entity ids a token stands for, with its conjuncts ("Flynn and Sessions")."""
        out = []
        for x in [t, *t.conjuncts]:
            eid = tok_ent.get(x.i)
            if eid is None and x.lower_ in ("who", "that") and x.head.dep_ == "relcl":
                eid = tok_ent.get(x.head.head.i)
            if eid is None and x.lower_ in PRONOUNS:
                eid = _antecedent(doc, x, tok_ent, ents)
            if eid is None:  # "Russia's ambassador, Sergey Kislyak": the role noun stands for the name
                eid = next((tok_ent[c.i] for c in x.children if c.dep_ == "appos" and c.i in tok_ent), None)
            if eid is not None:
                out.append(eid)
        return out

    for v in doc:
        low = v.lower_
        if low in VERBS and v.dep_ not in ("compound", "amod", "nmod"):
            kind, preps = VERBS[low]
            subj, obj = [], []
            for c in v.children:
                if c.dep_ == "nsubj":
                    subj += who(c)
                elif c.dep_ == "nsubjpass":
                    obj += who(c)
                elif c.dep_ == "agent":
                    subj += [e for p in c.children if p.dep_ == "pobj" for e in who(p)]
                elif c.dep_ == "dobj":
                    if "" in preps:
                        obj += who(c)
                    # "discussed sanctions with Kislyak": the parser hangs "with" on the object
                    obj += [e for p in c.children if p.dep_ == "prep" and p.lower_ in preps
                            for q in p.children if q.dep_ == "pobj" for e in who(q)]
                elif c.dep_ == "prep" and c.lower_ in preps:
                    obj += [e for p in c.children if p.dep_ == "pobj" for e in who(p)]
            if not subj and v.dep_ in ("xcomp", "acl", "relcl", "advcl", "pcomp", "conj"):
                h = v.head
                subj = who(h) if v.dep_ in ("acl", "relcl") else [e for c in h.children if c.dep_ == "nsubj" for e in who(c)]
            if kind in ("spoke_with", "met"):  # "told CNN", "speaking to ABC": a source, not a contact
                subj = [e for e in subj if ents[e].type == "PERSON"]
                obj = [e for e in obj if ents[e].type == "PERSON"]
            if kind == "spoke_with" and low.startswith("call") and any(c.dep_ in ("oprd", "xcomp", "ccomp") for c in v.children):
                continue  # "called him a liar"
            for s in subj:
                for o in obj:
                    yield s, o, kind
        elif low in CONTACT_NOUNS:
            kind = CONTACT_NOUNS[low]
            own = [e for c in v.children if c.dep_ == "poss" for e in who(c)]
            other = [e for c in v.children if c.dep_ == "prep" and c.lower_ in ("with", "between")
                     for p in c.children if p.dep_ == "pobj" for e in who(p)]
            for s in own:
                for o in other:
                    yield s, o, kind
            if not own and len(other) >= 2 and any(c.lower_ == "between" for c in v.children):
                yield other[0], other[1], kind
    # "Mark Galeotti, a Russia expert at the Institute ...": worked_for
    for t in doc:
        if t.dep_ == "appos" and t.head.i in tok_ent and ents[tok_ent[t.head.i]].type == "PERSON":
            for p in t.children:
                if p.dep_ == "prep" and p.lower_ in ("at", "of", "for"):
                    for o in p.children:
                        eid = tok_ent.get(o.i)
                        if o.dep_ == "pobj" and eid and ents[eid].type == "ORG":
                            yield tok_ent[t.head.i], eid, "worked_for"


def _antecedent(doc, pron, tok_ent: dict[int, str], ents: dict[str, Entity]) -> str | None:
    """The latest PERSON subject before the pronoun, else the latest PERSON."""
    subj, last = None, None
    for t in doc[: pron.i]:
        eid = tok_ent.get(t.i)
        if eid is None or ents[eid].type != "PERSON":
            continue
        last = eid
        if t.dep_ in SUBJ or t.dep_ == "appos" and t.head.dep_ in SUBJ:
            subj = eid
    return subj or last
