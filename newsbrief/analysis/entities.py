"""People and organisations resolved across the sources of one story.

Two passes, because the small spaCy model is right about *where* names are
but often wrong about their label ("Kislyak" comes out as ORG, PRODUCT or
WORK_OF_ART in the running example):

1. NER over every sentence collects full person names ("Sergey Kislyak",
   titles and possessives stripped). Names with the same surname and a
   compatible first name ("Sergey"/"Sergei", "M."/"Michael") are one person.
2. A gazetteer pass finds every occurrence of those names and their surnames
   in every sentence, whatever spaCy labelled it, so "Kislyak's",
   "Gen. Flynn" and "Mr. Trump" all attach to their person.

Shared surnames: a bare surname attaches to the candidate mentioned last
before it in the same article; failing that, to the first candidate
mentioned after it in that article; failing that, to the only candidate in
the cluster. Otherwise it is ambiguous and left out rather than guessed.

Organisations, places (GPE) and groups (NORP) keep spaCy's label; they are
merged by normalised name, acronym and a few country aliases. The briefing
focuses on PERSON and ORG (``FOCUS``); GPE and NORP are kept, typed as such.

Roles come from the words around a person mention: a title before the name
("Attorney General Jeff Sessions") and appositions either side ("Michael
McFaul, former US ambassador to Russia"; "Russia's ambassador to the United
States, Sergey Kislyak"), the latter read from the dependency parse.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Article, Entity, Mention
from ..text.lexicon import NAME_TITLES, ROLE_PHRASE_HEADS, SOCIAL_TITLES, TITLE_MODIFIERS

if TYPE_CHECKING:
    from .story import Story

from spacy.lang.en.stop_words import STOP_WORDS

FOCUS = ("PERSON", "ORG")
KEPT = ("PERSON", "ORG", "GPE", "NORP")

_DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "our", "my"}
LEAD_DROP = {"the", "a", "an", "of", "to", "for", "on", "and", "as", "in", "when", "both", "but", "while",
             "after", "before", "with", "by", "at", "from", "said", "says", "according"}
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
COUNTRY = {
    "us": "United States", "u.s.": "United States", "united states": "United States", "america": "United States",
    "usa": "United States", "u.s.a.": "United States", "uk": "United Kingdom", "u.k.": "United Kingdom",
    "britain": "United Kingdom", "great britain": "United Kingdom", "united kingdom": "United Kingdom",
}
_POSS = re.compile(r"(?:['’]s|['’])$")
_APOS_S = r"(?:['’]s\b|['’](?=\s))?"


@dataclass(slots=True)
class _Person:
    names: Counter  # full-name forms -> count
    first: str
    last: str
    order: int


def extract_entities(story: Story) -> list[Entity]:
    """Entities of the story, most mentioned first; ids e1, e2, ... follow
    the order of first appearance, so they are stable for a given input."""
    articles, docs = story.articles, story.docs
    spans = _ner_spans(articles, docs)
    people = _people(spans)
    mentions: dict[int, list[Mention]] = defaultdict(list)  # person index -> mentions
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for a in articles:
        for p, m in _person_mentions(a, people):
            mentions[p].append(m)
            taken[a.id].append((m.start, m.end))
    roles = _roles(articles, docs, people, mentions)

    entities: list[tuple[tuple[int, int, int], Entity]] = []
    order = {a.id: i for i, a in enumerate(articles)}
    for p, ms in mentions.items():
        person = people[p]
        name = max(person.names, key=lambda n: (len(n.split()), person.names[n], len(n)))
        aliases = sorted(({m.text for m in ms} | set(person.names)) - {name})
        ent = Entity("", name, "PERSON", aliases, _ranked(roles[p]), sorted(ms, key=lambda m: (order[m.source], m.start)))
        entities.append((_first(ent, order), ent))
    lower_words = {w for a in articles for w in re.findall(r"\b[a-z][a-z'-]+\b", a.text)}
    for ent in _others(spans, taken):
        if " " not in ent.name and ent.name.lower() in lower_words:
            continue  # "Commuters" at a sentence start: a common noun the tagger capitalised into an ORG
        entities.append((_first(ent, order), ent))
    entities.sort(key=lambda t: t[0])
    for i, (_, e) in enumerate(entities, 1):
        e.id = f"e{i}"
    out = [e for _, e in entities]
    out.sort(key=lambda e: (-len(e.mentions), int(e.id[1:])))
    return out


# --- NER pass


@dataclass(slots=True)
class _Span:
    label: str
    name: str  # cleaned
    mention: Mention
    initial: bool = False  # starts its sentence: the first word may just be capitalised


def _ner_spans(articles: list[Article], docs) -> list[_Span]:
    out = []
    for a, adocs in zip(articles, docs):
        for s, doc in zip(a.sentences, adocs):
            for e in doc.ents:
                if e.label_ not in KEPT:
                    continue
                start, end = s.start + e.start_char, s.start + e.end_char
                text = a.text[start:end]
                if e.label_ == "PERSON":
                    cut = _strip_title(text)
                else:
                    cut = re.match(r"(?:[AaPp]\.[Mm]\.?\s+)?(?:[Tt]he\s+)?", text).end()  # "4:25 P.M. The U.N."
                start, text = start + cut, text[cut:]
                poss = _POSS.search(text)
                if poss:
                    end, text = end - len(poss.group()), text[: poss.start()]
                text = text.rstrip(" ,;:")
                end = start + len(text)
                if not text or not text[0].isupper() and e.label_ != "NORP":
                    continue
                out.append(_Span(e.label_, text, Mention(a.id, s.index, start, end, text), start == s.start))
    return out


def _strip_title(text: str) -> int:
    """Characters of leading titles ("Gen. ", "Attorney General ") in a name."""
    cut = 0
    for m in re.finditer(r"\S+\s+", text):
        w = m.group().strip().lower()
        if re.fullmatch(r"[ap]\.m\.?", w) and m.start() == cut:
            cut = m.end()  # "4:25 P.M. Hamas ...": a timestamp, not a name
            continue
        if m.start() != cut or w.rstrip(".") not in NAME_TITLES and (w not in STOP_WORDS or m.group()[0].isupper()
                                                                     and w not in _DETERMINERS):
            break  # a capitalised "Will" ("Rep. Will Hurd") is a name, not the word "will"
        cut = m.end()
    return cut


def _name_ok(name: str) -> bool:
    toks = name.split()
    return all(t[0].isupper() or t in ("al", "bin", "de", "van", "von", "da", "di", "le", "la") for t in toks) \
        and not any(c.isdigit() for c in name)


def _split(name: str) -> tuple[str, str]:
    toks = [t for t in name.split() if t.lower() not in SUFFIXES]
    return (toks[0] if len(toks) > 1 else ""), toks[-1]


def _same_first(a: str, b: str) -> bool:
    """"Michael"~"Michael", "M."~"Michael", "Sergey"~"Sergei" (transliteration)."""
    a, b = a.rstrip(".").lower(), b.rstrip(".").lower()
    if a == b or (len(a) == 1 or len(b) == 1) and a[0] == b[0]:
        return True
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n >= 4 and abs(len(a) - len(b)) <= 1


def _people(spans: list[_Span]) -> list[_Person]:
    """Persons from PERSON names: full names first, then single names that
    match no full name's surname ("Putin")."""
    people: list[_Person] = []
    singles = []
    persons = [s for s in spans if s.label == "PERSON" and _name_ok(s.name)]
    lasts = Counter(_split(s.name)[1] for s in persons if not s.initial)
    for i, sp in enumerate(persons):
        first, last = _split(sp.name)
        if sp.initial and lasts[last] and sp.name.count(" ") == 1:
            first = ""  # "Underneath Kislyak's ...": a surname known from elsewhere, not a new person
        if not first:
            singles.append((i, sp.name))
            continue
        for p in people:
            if p.last == last and (_same_first(p.first, first) or _middle(p, first)
                                   or p.first in _given(sp.name)[1:]):  # "Kristene Chapa" / "Mary Kristene Chapa"
                p.names[sp.name] += 1
                if len(first.rstrip(".")) > len(p.first.rstrip(".")):
                    p.first = first
                break
        else:
            people.append(_Person(Counter({sp.name: 1}), first, last, i))
    tags = Counter((s.name, s.label) for s in spans)
    for i, name in singles:
        last = _split(name)[1]
        if any(p.last == last for p in people):
            continue
        given = [p for p in people if p.first == last or _middle(p, last)]
        if len(given) == 1:
            given[0].names[name] += 1  # "Hilario says": the one person of that given name
        elif tags[(name, "PERSON")] >= max(tags[(name, k)] for k in KEPT if k != "PERSON"):
            people.append(_Person(Counter({name: 1}), "", last, i))
        # else "Israel", "Hamas" tagged a person here and there: the story mostly calls it a place or group
    return people


def _given(name: str) -> list[str]:
    """The given names of a full name, first to last ("Mary Kristene")."""
    toks = [t for t in name.split() if t.lower() not in SUFFIXES]
    return toks[:-1]


def _middle(p: _Person, word: str) -> bool:
    return any(word in _given(n)[1:] for n in p.names)


# --- gazetteer pass


def _person_mentions(a: Article, people: list[_Person]):
    """Every occurrence of a known name or surname in the article, attached
    to its person (see the module docstring for shared surnames)."""
    full = sorted(((n, i) for i, p in enumerate(people) for n in p.names if " " in n), key=lambda t: -len(t[0]))
    by_last: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(people):
        by_last[p.last].append(i)
    found: list[tuple[int, int, int | None, str]] = []  # start, end, person or None (bare surname), surname
    used = [False] * len(a.text)
    for name, i in full:
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", a.text):
            if not any(used[m.start():m.end()]):
                found.append((m.start(), m.end(), i, people[i].last))
                used[m.start():m.end()] = [True] * (m.end() - m.start())
    for last in by_last:
        for m in re.finditer(rf"(?<![\w-]){re.escape(last)}(?=['’]|[^\w-]|$)", a.text):
            if any(used[m.start():m.end()]) or _not_a_name(a.text, m.start(), m.end()):
                continue
            found.append((m.start(), m.end(), None, last))
    for i, p in enumerate(people):  # a given name alone, merged into its one person ("Hilario says")
        for name in p.names:
            if " " in name or name == p.last:
                continue
            for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?=['’]|[^\w-]|$)", a.text):
                if not any(used[m.start():m.end()]) and not _not_a_name(a.text, m.start(), m.end()):
                    found.append((m.start(), m.end(), i, p.last))
                    used[m.start():m.end()] = [True] * (m.end() - m.start())
    found.sort()
    # The nearest named person of each surname before and after each mention, in one pass each way
    # (a bare surname shared by two people goes to the nearest of them).
    before: list[int | None] = []
    after: list[int | None] = [None] * len(found)
    seen: dict[str, int] = {}
    for start, end, who, last in found:
        before.append(seen.get(last))
        if who is not None:
            seen[last] = who
    seen = {}
    for k in range(len(found) - 1, -1, -1):
        after[k] = seen.get(found[k][3])
        if found[k][2] is not None:
            seen[found[k][3]] = found[k][2]
    out = []
    for k, (start, end, who, last) in enumerate(found):
        if who is None:
            cands = by_last[last]
            who = (before[k] if before[k] is not None else after[k]) if len(cands) > 1 else cands[0]
            if who is None:
                continue
        sent = _sentence(a, start, end)
        if sent is not None:
            out.append((who, Mention(a.id, sent, start, end, a.text[start:end])))
    return out


def _not_a_name(text: str, start: int, end: int) -> bool:
    """"Capitol Hill", "Hill Street", "Mary Flynn" when only Michael is known:
    a capitalised word glued to the surname (other than a title, or a
    function word starting the sentence) makes it another name."""
    before = re.search(r"(\S+)\s$", text[max(0, start - 40):start])
    if before:
        w = before.group(1)
        prev = text[max(0, start - 40):start][: -len(w) - 1]
        sentence_start = not prev.strip() or prev.rstrip()[-1] in ".!?\n“\"(—:"
        if w[0].isupper() and w.lower().rstrip(".") not in NAME_TITLES | ROLE_PHRASE_HEADS \
                and w[-1] not in ".!?:;,”\"" and not (sentence_start and w.lower() in STOP_WORDS):
            return True
    after = re.match(r"\s([A-Z]\w+)", text[end:end + 40])
    return bool(after) and after.group(1) not in ("And",)


def _sentence(a: Article, start: int, end: int) -> int | None:
    for s in a.sentences:
        if s.start <= start and end <= s.end:
            return s.index
    return None


# --- roles


def _roles(articles: list[Article], docs, people: list[_Person], mentions: dict[int, list[Mention]]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    by_sent: dict[tuple[str, int], list[tuple[int, Mention]]] = defaultdict(list)
    for p, ms in mentions.items():
        for m in ms:
            by_sent[(m.source, m.sentence)].append((p, m))
    for a, adocs in zip(articles, docs):
        for s, doc in zip(a.sentences, adocs):
            here = by_sent.get((a.id, s.index), [])
            person_toks = set()
            spans = []
            for p, m in here:
                span = doc.char_span(m.start - s.start, m.end - s.start, alignment_mode="expand")
                if span is not None:
                    spans.append((p, m, span))
                    person_toks.update(t.i for t in span)
            for p, m, span in spans:
                role = _pre_title(s.text[: m.start - s.start])
                if role:
                    out[p].append(role)
                out[p] += _appositions(span, person_toks)
    return out


def _pre_title(left: str) -> str | None:
    """The title right before a name: "Attorney General", "former U.S.
    Ambassador to Russia", "Foreign policy analyst"."""
    words = left.split()
    if not left or left[-1].isspace() is False:
        return None
    run: list[str] = []
    for w in reversed(words):
        core = w.lower().strip(".,")
        if w[-1] in ",;:—(" or w[0] in "“\"(" or core in ("a.m", "p.m"):
            break  # (a live blog's "8:10 P.M." before a title is a time, not part of it)
        if w[0].isupper() or core in TITLE_MODIFIERS or core.rstrip(".") in ROLE_PHRASE_HEADS:
            run.insert(0, w)
        else:
            break
    while run and (run[0].lower() in LEAD_DROP or run[0].lower() in ("about", "that")):
        run.pop(0)
    if run and run[-1].lower() in TITLE_MODIFIERS and run[-1].lower().rstrip(".") not in ROLE_PHRASE_HEADS:
        return None  # "... ambassador and the Trump administration": not a title of the name
    if not run or not any(w.lower().rstrip(".,").rstrip("’'s") in ROLE_PHRASE_HEADS for w in run):
        return None
    if len(run) == 1 and run[0].lower().rstrip(".") in SOCIAL_TITLES:
        return None
    if len(run) > 8:
        return None
    return " ".join(run)


def _appositions(span, person_toks: set[int]) -> list[str]:
    """Roles from "Name, role ..." and "role ..., Name" (dependency parse)."""
    root = span.root
    doc = span.doc
    out = []
    kids = list(root.children)
    if root.dep_ in ("appos", "compound"):  # "His sister Mary Flynn, a nurse": the appos hangs on "sister"
        kids += root.head.children
    for c in kids:
        if c.dep_ == "appos" and c.i not in person_toks and c.i >= span.end and c.text.lower() in ROLE_PHRASE_HEADS:
            out.append(_phrase(doc, c, stop_at_conj=True))
    if root.dep_ == "appos" and root.head.i < span.start and root.head.i not in person_toks \
            and root.head.text.lower() in ROLE_PHRASE_HEADS:
        h = root.head
        out.append(_clean_role(doc[h.left_edge.i:root.left_edge.i].text))
    return [r for r in out if r and len(r.split()) <= 12]


def _phrase(doc, head, stop_at_conj: bool) -> str:
    end = head.right_edge.i + 1
    for c in head.children:
        if c.i > head.i and c.dep_ in ("cc", "conj", "relcl", "acl") or c.dep_ == "punct" and c.i > head.i:
            end = min(end, c.i)
    return _clean_role(doc[head.left_edge.i:end].text)


def _clean_role(text: str) -> str:
    text = re.sub(r"^(?:a|an|the)\s+", "", text.strip(" ,;:—()-"), flags=re.I)
    return text.strip(" ,;:—()-")


def _ranked(roles: list[str]) -> list[str]:
    """Distinct roles, most frequent first (case-insensitive)."""
    counts: Counter = Counter()
    first: dict[str, str] = {}
    for r in roles:
        k = r.lower()
        counts[k] += 1
        first.setdefault(k, r)
    return [first[k] for k, _ in sorted(counts.items(), key=lambda kv: -kv[1])]


# --- organisations, places, groups


def _others(spans: list[_Span], taken: dict[str, list[tuple[int, int]]]) -> list[Entity]:
    """ORG, GPE and NORP spans that are not (part of) a person mention,
    merged by normalised name, acronym or country alias."""
    groups: dict[tuple[str, str], list[_Span]] = defaultdict(list)
    for sp in spans:
        if sp.label == "PERSON":
            continue
        m = sp.mention
        if any(s < m.end and m.start < e for s, e in taken[m.source]):
            continue
        groups[(sp.label, _key(sp.name, sp.label))].append(sp)
    # acronyms: "FBI" joins "Federal Bureau of Investigation"
    for (label, key), sps in list(groups.items()):
        if label == "ORG" and key.isupper() and 2 <= len(key) <= 6:
            for (l2, k2), s2 in list(groups.items()):
                if l2 == "ORG" and k2 != key and _acronym(k2) == key and (label, key) in groups:
                    s2 += groups.pop((label, key))
                    break
    out = []
    for (label, key), sps in groups.items():
        names = Counter(s.name for s in sps)
        name = COUNTRY.get(key.lower()) or max(names, key=lambda n: (len(n.split()), names[n]))
        out.append(Entity("", name, label, sorted(set(names) - {name}), [], [s.mention for s in sps]))
    return out


def _key(name: str, label: str) -> str:
    if label == "GPE" and name.lower() in COUNTRY:
        return COUNTRY[name.lower()]
    return name if name.isupper() else name.lower()


def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isalpha() and w.lower() not in ("of", "the", "and", "for")).upper()


def _first(e: Entity, order: dict[str, int]) -> tuple[int, int, int]:
    m = min(e.mentions, key=lambda m: (order[m.source], m.start))
    return order[m.source], m.start, 0 if e.type == "PERSON" else 1
