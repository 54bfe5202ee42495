"""Contradictions: sources giving different values for the same thing.

Precision first: a false alarm costs the reader more than a miss, so a value
is only compared with a value of the same kind, in a sentence of another
source that says nearly the same thing (embedding cosine plus IDF-weighted
word overlap, as for agreements), attached to the same thing (the same head
noun after the number, the same person for an age or a description).

What is compared:

* numbers, money and percentages with the noun they count ("$12.4 million
  repairs" vs "$16 million in repairs"); rounding ("$12.4 million" vs "$12
  million") and hedged values ("about", "more than") are tolerated;
  when nothing follows the value, the noun before it ("a net worth of $1.7
  billion" vs "worth about $2.5bn");
* death and injury tolls, whatever the wording ("three people dead and at
  least six injured" vs "three were killed, at least three were injured"),
  also between unaligned sentences when one toll agrees and the other not;
* ages of the same person ("the 66-year-old Kislyak", "Kislyak, 66,"), of a
  named person across the whole cluster unless the surname is shared, and
  of a young child however named ("three-year-old son" vs "2-year-old
  toddler");
* durations with the same unit and head ("a 6-month review");
* the start of a "first" period ("first ... from 1981 to 1985" vs "first
  stint ... from 1985 to 1989"): the earliest year each source gives;
* what a person is by training or profession ("a nuclear physicist by
  training" vs "a trained engineer"), from a small lexicon of professions:
  free-text descriptions are too varied to compare safely.

Regexes rather than a date or number parser: the forms that matter in news
are few, and a regex keeps the exact surface text for the reader.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import Article, Citation, Contradiction, Sentence
from ..text import content_words, stem
from .agreements import ANCHOR_COS, _idf, _Item, _overlap, pair_score, sentence_embeddings

ALIGN_COS, ALIGN_LEX = 0.5, 0.3  # sentences must be about the same thing
CONTEXT_LEX = 0.5  # IDF-weighted overlap of the words around two values
NUMBER_ALIGN = 1.0  # cosine + overlap a pair needs before its numbers are compared
TOLERANCE, HEDGED_TOLERANCE = 0.1, 0.3

_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
          "b": 1e9, "trillion": 1e12}
_NUMBER = re.compile(
    r"(?P<hedge>\b(?:about|around|approximately|nearly|almost|roughly|some|over|more than|less than|"
    r"fewer than|up to|at least|an estimated|estimated)\s+)?"
    r"(?P<cur>[$€£]\s?)?(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|[mbk])\b)?"
    r"(?P<pct>\s?(?:%|percent\b|per cent\b))?")
_MONTH = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s*$")
_WORDNUM = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                       "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
_WN = "|".join(sorted(_WORDNUM, key=len, reverse=True))
_AGE = re.compile(r"(?<!then-)(?<!then )\b(\d{1,3}|(?i:" + _WN + r"))-year-old\s+((?:[A-Z][\w’'-]+\s)*[A-Z][\w’'-]+|[a-z]+)"
                  r"|\b((?:[A-Z][\w’'-]+\s){0,2}[A-Z][\w’'-]+),\s(\d{1,3}),")
_RANGE = re.compile(r"^\s*(?:to|-|–|or|and|versus|vs\.?)\s*[$€£]?\d|(?:between|from|to|-|–|or|versus|vs\.?)\s*[$€£]?$")
_MODAL = re.compile(r"\b(?:if|could|would|might|may|up to|as much as|as many as)\b", re.I)
_DURATION = re.compile(r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)[- ]"
                       r"(year|month|week|day|hour|minute)s?\b(?:[- ]long)?(?!,? \d)(?!-old)")
_TOLL = re.compile(r"(?P<hedge>\b(?:about|around|approximately|nearly|almost|roughly|some|over|more than|at least|"
                   r"an estimated)\s+)?\b(?P<n>\d{1,3}(?:,\d{3})*|(?i:" + _WN + r"))\s+(?:(?:people|persons|others|"
                   r"victims)\s+)?(?:(?:were|was|are|have been|had been)\s+)?(?:(?:critically|seriously|fatally|"
                   r"badly)\s+)?(?P<what>killed|dead|died|injured|wounded|hurt)\b")
_TOLL_KIND = {"killed": "killed", "dead": "killed", "died": "killed", "injured": "injured", "wounded": "injured",
              "hurt": "injured"}
_CHILD = {"boy": "m", "son": "m", "girl": "f", "daughter": "f", "child": "", "toddler": "", "baby": "", "infant": "",
          "kid": ""}
_FIRST_PERIOD = re.compile(r"\bfirst\b")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_SKIP_HEAD = {"more", "than", "new", "additional", "extra", "other", "total", "of", "in", "for", "to", "the",
              "a", "an", "and", "or", "some", "about", "nearly", "only", "per", "each", "people's"}

PROFESSIONS = frozenset("""engineer physicist chemist biologist economist lawyer attorney doctor physician
surgeon nurse teacher professor journalist reporter editor banker accountant architect pilot soldier officer
farmer mathematician historian scientist diplomat actor actress singer musician writer novelist poet
programmer entrepreneur dentist pharmacist psychologist psychiatrist geologist astronomer linguist
philosopher sociologist judge priest pastor rabbi imam police detective firefighter mechanic electrician
carpenter chef veterinarian""".split())
_TRAINED = re.compile(
    r"\b(?:trained\s+(?:as\s+(?:an?\s+)?)?(?P<a>(?:[a-z]+\s+)?[a-z]+)|"
    r"(?P<b>(?:[a-z]+\s+)?[a-z]+)\s+by\s+(?:training|profession|trade|education))\b")
_APPOSITIVE = re.compile(r"\b([A-Z][a-z’'-]+),\s+(?:a|an)\s+((?:[a-z-]+\s+){0,2}?([a-z]+))(?=[,.;]|\s+(?:who|by|at|for|from|and)\b)")


@dataclass(frozen=True)
class _Value:
    kind: str  # number, money, percent, age, duration
    text: str  # as written
    value: float
    head: str  # stem of what it is about (noun counted, person aged)
    hedged: bool = False


def _num(n: str, scale: str | None) -> float:
    v = float(n.replace(",", ""))
    return v * _SCALE.get((scale or "").lower(), 1.0)


def _head(after: str) -> str:
    """The noun a value is about: the first word after it that is not a
    modifier, within the same clause."""
    for w in re.findall(r"[A-Za-z’'-]+", re.split(r"[,;:.()—–]", after, maxsplit=1)[0])[:4]:
        if w.lower() not in _SKIP_HEAD:
            return stem(w.lower())
    return ""


_HEAD_BEFORE_SKIP = _SKIP_HEAD | {"is", "was", "are", "were", "be", "been", "has", "had", "have", "with", "at", "by",
                                  "on", "its", "his", "her", "their", "estimated", "put", "puts", "valued"}


def _head_before(before: str) -> str:
    """The noun a value at the end of its clause is about, from the words
    just before it: "a net worth of $1.7 billion", "worth about $2.5bn". Only
    a word followed by "of", or "worth", is taken: a verb before an amount
    ("bail was set at $100,000") says nothing of what it is."""
    m = re.search(r"\b([a-z][a-z’'-]+)\s+(?:of\s+)$", before) or re.search(r"\b(worth)\s+$", before)
    if not m or m.group(1) in _HEAD_BEFORE_SKIP:
        return ""
    return "pre:" + stem(m.group(1))


def _int(n: str) -> float:
    return float(_WORDNUM.get(n.lower(), 0)) if n.isalpha() else float(n.replace(",", ""))


def values(text: str) -> list[_Value]:
    """Numbers, amounts, ages and durations with the thing each is about.
    Years, days of dates and ages are not counted as plain numbers. A count
    of dead or injured ("three people were killed", "at least six injured")
    is about ``toll:killed`` or ``toll:injured`` whatever its wording."""
    out: list[_Value] = []
    taken: list[tuple[int, int]] = []
    for m in _TOLL.finditer(text):
        out.append(_Value("number", m.group(0), _int(m.group("n")), "toll:" + _TOLL_KIND[m.group("what").lower()],
                          bool(m.group("hedge"))))
        taken.append(m.span())
    for m in _AGE.finditer(text):
        if m.group(1):
            out.append(_Value("age", m.group(0), _int(m.group(1)), m.group(2)))
        else:
            out.append(_Value("age", m.group(0).rstrip(","), float(m.group(4)), m.group(3)))
        taken.append(m.span())
    for m in _DURATION.finditer(text):
        n = m.group(1)
        words_ = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                  "eight": 8, "nine": 9, "ten": 10}
        v = float(words_.get(n.lower(), 0) or (n.isdigit() and int(n)) or 0)
        if v and text[max(0, m.start() - 2):m.start()] not in (", ", "s ") and not any(
                a <= m.start() < b for a, b in taken):
            out.append(_Value("duration:" + m.group(2), m.group(0), v, _head(text[m.end():])))
            taken.append(m.span())
    for m in _NUMBER.finditer(text):
        s, e = m.span("n")
        if any(a <= s < b for a, b in taken):
            continue
        n, cur, pct, scale = m.group("n"), m.group("cur"), m.group("pct"), m.group("scale")
        if not cur and not pct and not scale:
            if _YEAR.fullmatch(n) or _MONTH.search(text[:s]) or text[e:e + 2] in ("th", "st", "nd", "rd") \
                    or text[e:e + 1] in ":-/" or text[max(0, s - 1):s] in "-/#:":
                continue
        if _RANGE.search(text[m.end():m.end() + 12]) or _RANGE.search(text[max(0, m.start() - 10):m.start()]):
            continue  # a range or a comparison: not one value
        kind = "money" if cur else "percent" if pct else "number"
        head = _head(text[m.end():]) or _head_before(text[:m.start()])
        out.append(_Value(kind, m.group(0).strip(), _num(n, scale), head, bool(m.group("hedge"))))
    return out


def _differ(a: _Value, b: _Value) -> bool:
    """Ages and durations must match exactly; amounts within rounding."""
    if a.kind == "age" or a.kind.startswith("duration"):
        return a.value != b.value
    tol = HEDGED_TOLERANCE if a.hedged or b.hedged else TOLERANCE
    return abs(a.value - b.value) > tol * max(a.value, b.value)


def _trained(text: str) -> list[str]:
    """Phrases saying what someone was trained as (with a known profession)."""
    return [re.sub(r"\s+(?:who|that|which|and)$", "", m.group(0)) for m in _TRAINED.finditer(text)
            if _profession(m.group(0))]


def _same_person(a: str, b: str) -> bool:
    """Same surname and no conflicting first name: "Hunt" matches "Jordan
    Hunt", "Austin Hunt" does not."""
    if a.lower() in {"man", "woman", "boy", "girl"} or b.lower() in {"man", "woman", "boy", "girl"}:
        return False
    wa, wb = a.split(), b.split()
    return wa[-1] == wb[-1] and (len(wa) == 1 or len(wb) == 1 or wa[0] == wb[0])


def _same_subject(a: str, b: str) -> bool:
    """Same person, or two words for a young child of no conflicting sex
    ("three-year-old son" and "2-year-old toddler")."""
    ca, cb = _CHILD.get(a.lower()), _CHILD.get(b.lower())
    if ca is not None and cb is not None:
        return not ca or not cb or ca == cb
    return _same_person(a, b)


def _profession(phrase: str) -> str:
    for w in reversed(re.findall(r"[a-z]+", phrase)):
        if w in PROFESSIONS:
            return w
    return ""


def _main_person(a: Article) -> str:
    """The most mentioned capitalised surname-like word: who "he" and "the
    ambassador" most likely are in a profile."""
    names = Counter(w for w in re.findall(r"\b[A-Z][a-z]{2,}\b", a.text))
    for w, _ in names.most_common(10):
        if w.lower() not in {"the", "but", "and", "his", "her", "this", "that", "russia", "russian", "american",
                             "washington", "president", "when", "there", "they", "she", "what", "who", "in"}:
            return w
    return ""


def _subject(s: Sentence, a: Article, at: int) -> str:
    """Who a description at ``at`` is about: the article's main person when
    the sentence names them or names nobody ("he's a trained engineer"),
    else the nearest name before."""
    main = _main_person(a)
    before = re.findall(r"\b[A-Z][a-z’'-]{2,}\b", s.text[:at])
    skip = {"The", "But", "And", "According", "He", "She", "His", "Her", "One", "Former", "In", "On", "As"}
    names = [w for w in before if w not in skip]
    return main if not names or main in s.text else names[-1]


def _aligned(articles: Sequence[Article]) -> tuple[list[tuple[_Item, _Item, float]], dict[str, float]]:
    """Cross-source sentence pairs about the same thing."""
    items = [_Item(d, s, set(content_words(s.text))) for d, a in enumerate(articles) for s in a.sentences]
    items = [it for it in items if len(it.toks) >= 3]
    if len(items) < 2:
        return [], {}
    emb = sentence_embeddings(articles, [it.sent for it in items])
    cos = emb @ emb.T
    idf = _idf(items)
    docs = np.array([it.doc for it in items])
    out = []
    for i in range(len(items)):
        for j in np.nonzero((docs > docs[i]) & (cos[i] >= ANCHOR_COS))[0]:
            a, b = items[i], items[int(j)]
            ta = {t for t in a.toks if not t[0].isdigit()}
            tb = {t for t in b.toks if not t[0].isdigit()}
            lex = _overlap(ta, tb, idf)
            if (lex >= ALIGN_LEX and cos[i, j] >= ALIGN_COS) or pair_score(a, b, float(cos[i, j]), idf) > 0:
                out.append((a, b, float(cos[i, j]) + lex))
    out.sort(key=lambda p: -p[2])
    return out, idf


def _first_start(text: str) -> tuple[int, str] | None:
    """(earliest year, its phrase) of a sentence about someone's first
    posting/stint/job: the start of the first period it names."""
    m = _FIRST_PERIOD.search(text)
    if not m:
        return None
    years = [(int(y.group(1)), y) for y in _YEAR.finditer(text) if y.start() > m.start()]
    if not years:
        return None
    y, ym = min(years, key=lambda p: p[0])
    rng = re.search(r"(?:from\s+)?" + str(y) + r"\s*(?:to|-|–|until)\s*(?:1[89]|20)\d\d", text)
    return y, rng.group(0) if rng else ym.group(0)


def find_contradictions(articles: Sequence[Article]) -> list[Contradiction]:
    """Conflicting values between sources, at most one per pair of sentences
    and kind+subject. Sentences are aligned here with a looser bar than
    agreements use (differing values lower similarity)."""
    out: list[Contradiction] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, subject: str, vals: list[str], sa: Sentence, sb: Sentence, note: str) -> None:
        key = (kind, subject.lower())
        if key in seen:
            return
        seen.add(key)
        out.append(Contradiction(kind, subject, vals, [Citation.of(sa), Citation.of(sb)], note))

    pairs, idf = _aligned(articles)
    for a, b, strength in pairs:
        sa, sb = a.sent, b.sent
        modal = bool(_MODAL.search(sa.text) or _MODAL.search(sb.text))
        va, vb = values(sa.text), values(sb.text)
        for x in va:
            age = x.kind == "age"
            if not x.head or (modal and not age) or (not age and strength < NUMBER_ALIGN):
                continue
            def slot(v: _Value) -> bool:
                return v.kind == x.kind and (_same_subject(v.head, x.head) if age else v.head == x.head)
            same, mine = [y for y in vb if slot(y)], [z for z in va if slot(z)]
            # One value per slot on each side: two are ambiguous, and a value
            # the other side also gives means they agree on it.
            if len(same) != 1 or len(mine) != 1 or not _differ(x, same[0]) or any(
                    not _differ(x, z) for z in vb if z.kind == x.kind):
                continue
            y = same[0]
            if not age and not x.head.startswith("toll:") and \
                    _overlap(_context(sa.text, x), _context(sb.text, y), idf) < CONTEXT_LEX:
                continue
            kind = "age" if age else "duration" if x.kind.startswith("duration") else "number"
            subject = x.head if age else _surface_head(sa.text, x)
            add(kind, subject, [x.text, y.text], sa, sb,
                f"{x.kind} differs for the same {'person' if age else 'thing'}")
        fa, fb = _first_start(sa.text), _first_start(sb.text)
        if fa and fb and fa[0] != fb[0]:
            main = _main_person(articles[a.doc])
            who = main if main in sa.text + sb.text else _subject(sa, articles[a.doc], len(sa.text))
            add("date", f"{who}'s first posting (start year)", [fa[1], fb[1]], sa, sb,
                "the sources date the first period differently")

    _tolls_across(articles, add)
    _ages_across(articles, add)

    # Descriptions: what the same person was trained as, across the whole cluster.
    claims: dict[str, list[tuple[str, str, Sentence]]] = {}
    for a in articles:
        for s in a.sentences:
            for phrase in _trained(s.text):
                who = _subject(s, a, s.text.find(phrase))
                claims.setdefault(who.lower(), []).append((phrase, _profession(phrase), s))
            for m in _APPOSITIVE.finditer(s.text):
                prof = m.group(3)
                if prof in PROFESSIONS:
                    claims.setdefault(m.group(1).lower(), []).append((m.group(2), prof, s))
    for who, cs in claims.items():
        for i, (pa, na, sa) in enumerate(cs):
            for pb, nb, sb in cs[i + 1:]:
                if sa.source != sb.source and na != nb:
                    add("description", f"{who.title()}'s training/profession", [pa, pb], sa, sb,
                        f"{na} vs {nb}")
    return out


def _tolls_across(articles: Sequence[Article], add) -> None:
    """Death and injury tolls across the cluster, without sentence alignment
    (a lead and a terse summary of the same event embed far apart): two
    sentences that each give exactly one count of dead and one of injured
    are about the same event when one count agrees; the other differing is a
    conflict ("three dead and at least six injured" vs "three were killed,
    at least three were injured"). A lone toll elsewhere (an earlier
    shooting) is never compared this way."""
    both = []
    for a in articles:
        for s in a.sentences:
            if _MODAL.search(s.text):
                continue
            t: dict[str, list[_Value]] = {}
            for v in values(s.text):
                if v.head.startswith("toll:"):
                    t.setdefault(v.head[5:], []).append(v)
            if set(t) == {"killed", "injured"} and all(len(x) == 1 for x in t.values()):
                both.append((s, {k: x[0] for k, x in t.items()}))
    for i, (sa, ta) in enumerate(both):
        for sb, tb in both[i + 1:]:
            if sa.source == sb.source:
                continue
            for same, other in (("killed", "injured"), ("injured", "killed")):
                if not _differ(ta[same], tb[same]) and _differ(ta[other], tb[other]):
                    add("number", other, [ta[other].text, tb[other].text], sa, sb,
                        f"the sources agree on the {same} but not on the {other}")


def _ages_across(articles: Sequence[Article], add) -> None:
    """Ages of a named person across the cluster, without sentence
    alignment: a person has one age in one story. Skipped when a source gives
    the person two ages itself, or when the surname alone is given and the
    cluster names two people with that surname."""
    text = " ".join(a.text for a in articles)
    ages: list[tuple[_Value, Sentence]] = []
    for a in articles:
        for s in a.sentences:
            ages += [(v, s) for v in values(s.text) if v.kind == "age" and v.head[:1].isupper()]
    titles = {"The", "Mr", "Mrs", "Ms", "Dr", "Judge", "Sen", "Rep", "President", "Gov", "And", "But", "When"}

    mains = {a.id: _main_person(a) for a in articles}

    def ambiguous(v: _Value, s: Sentence) -> bool:
        if len(v.head.split()) > 1:
            return False
        firsts = Counter(f for f in re.findall(r"\b([A-Z][a-z]+)\s+" + re.escape(v.head) + r"\b", text)
                         if f not in titles)
        if len(firsts) <= 1:
            return False
        # Two people share the surname: the bare surname is the article's
        # main person only when one of them is named far more often.
        return v.head != mains.get(s.source) or firsts.most_common(1)[0][1] < 3 * (sum(firsts.values())
                                                                                  - firsts.most_common(1)[0][1])

    for i, (x, sa) in enumerate(ages):
        for y, sb in ages[i + 1:]:
            if sa.source == sb.source or not _same_person(x.head, y.head) or not _differ(x, y):
                continue
            if ambiguous(x, sa) or ambiguous(y, sb) or any(
                    s.source in (sa.source, sb.source) and _same_person(v.head, x.head) and v.value in (x.value, y.value)
                    and s.source != (sa.source if v.value == x.value else sb.source) for v, s in ages):
                continue
            add("age", x.head if len(x.head) >= len(y.head) else y.head, [x.text, y.text], sa, sb,
                "age differs for the same person")


def _context(text: str, v: _Value) -> set[str]:
    """Content words around a value (not numbers, not its head): what is
    said about it ("wounded" vs "killed")."""
    i = text.find(v.text)
    near = text[max(0, i - 40): i + len(v.text) + 50] if i >= 0 else text
    return {t for t in content_words(near) if not t[0].isdigit() and t != v.head}


def _surface_head(text: str, v: _Value) -> str:
    if v.head.startswith("toll:"):
        return v.head[5:]
    i = text.find(v.text)
    if v.head.startswith("pre:"):
        before = re.findall(r"[A-Za-z’'-]+", text[:max(0, i)])[-3:]
        return next((w for w in reversed(before) if stem(w.lower()) == v.head[4:]), v.head[4:])
    tail = re.findall(r"[A-Za-z’'-]+", text[i + len(v.text):])[:4] if i >= 0 else []
    for w in tail:
        if stem(w.lower()) == v.head:
            return w
    return v.head
