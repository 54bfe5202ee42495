"""Can a sentence be read without its neighbours? And if it leans on them,
can a bracketed word make it stand alone?

A summary takes sentences out of their articles. Some only make sense in
place: page furniture, deks, transcript lines, teasers, the reporter's "I",
a quote whose speaker is in another sentence, a "He" or "The company" or
"But" that points back. :func:`judge` gives every sentence of an article a
:class:`Verdict`: a fault (the sentence must not be picked) or the edits
that make it stand alone ("He also served" -> "[Kislyak] also served").

Hand-written rules, because no shipped model does coreference, and because
each rule has to be cheap (every sentence of every cluster is judged) and
explainable (a fault names its rule). Precision comes first: a pronoun is
replaced only when the sentences before it name exactly one person it can
stand for; otherwise the sentence is not used, since a wrong name is worse
than a missing sentence. The rules use closed classes of English
(:mod:`newsbrief.text.lexicon`), never words of one story.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import Article, Edit
from ..clean.rules import is_caption_formula
from .lexicon import (ORG_ROLES, BARE_CONNECTIVES, CALENDAR, CLAUSE_OPENERS, CONNECTIVES, FEMALE, FEMALE_TITLES, FIRST_PERSON,
                      HONORIFICS, MALE, MALE_TITLES, NOT_SURNAMES, PERSON_PRONOUNS, PLURAL_PRONOUNS, ROLE_NOUNS,
                      SECOND_PERSON, SPEECH_VERBS, TITLES)
from .tokens import STOP_WORDS

__all__ = ["Verdict", "judge", "dateline", "quote_share", "genders", "DEK_WORDS", "LEANING"]

DEK_WORDS = 12  # a first paragraph of one sentence shorter than this is a dek, not the lede


# Faults of a sentence that reads well right after the sentence before it in
# its article ("He ...", "But ...", a quotation whose speaker that sentence
# names), though not on its own.
LEANING = frozenset({"dangling pronoun", "dangling connective", "dangling description", "dangling time",
                     "quote without speaker"})


@dataclass(frozen=True, slots=True)
class Verdict:
    """``fault`` names the rule a sentence breaks (None: it stands alone,
    once ``edits`` are applied)."""

    fault: str | None = None
    edits: tuple[Edit, ...] = ()
    # The people it names, in order: (offset in the sentence, surname, the
    # first name to put before a surname given alone, or ""). A summary
    # introduces each person by full name once (see briefing.cite).
    names: tuple[tuple[int, str, str], ...] = ()

    @property
    def leaning(self) -> bool:
        """It reads right after the sentence before it in its article."""
        return self.fault in LEANING


# --- patterns -----------------------------------------------------------------

_FURNITURE = re.compile(
    r"^\W*(?:buy photo|photos?\s*(?:by|:|credit)|image(?: copyright| caption|:)|caption:|credit:|video:|watch:|"
    r"listen:|advertisement|story highlights|file photo|pictured:)"
    r"|\((?:AP |Reuters |AFP )?photo\b|\bgetty images\b|\bimage copyright\b|\bphoto credit\b|\((?:l-r|r-l|left|right|"
    r"center|centre|top|bottom)\)|\bpictured (?:above|below|here)\b|\bclick (?:here|to|for)\b|\bsign up for (?:our|the)\b|"
    r"\bsubscribe to (?:our|the)\b|\bour newsletter\b|\bupdated:? \d{1,2}:\d{2}|\b(?:show|hide) caption\b|"
    r"\b(?:video|photo|photos|tweet|map|chart|graphic|clip|gallery|slideshow) (?:above|below)\b"
    # photo captions: "..., right, and ...", "..., in Beit Lahiya, on Thursday, July 31, 2014."
    r"|, (?:far |second from |third from )?(?:left|right|center|centre)(?:,| and\b)"
    r"|, (?:on )?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r"[a-z]*\.? \d{1,2}, \d{4}\.$"
    r"|^[^,]*\b(?:sit|sits|stand|stands|cheer|cheers|walk|walks|talk|talks|speak|speaks|look|looks|wait|waits|pose|"
    r"poses|gather|gathers|hold|holds|watch|watches|attend|attends|carry|carries|pass|passes|is seen|are seen|"
    r"is pictured|are pictured|arrive|arrives|leave|leaves|react|reacts|drive|drives)\b.*\b"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, "
    r"\d{4}\.$"
    # calls to the reader: "Anyone with information is asked to call ..."
    r"|^\W*anyone with (?:any )?information\b",
    re.I)
# Every furniture match holds one of these (looked for first, at C speed).
_FURNITURE_HINTS = ("photo", "image", "caption", "credit", "video", "watch:", "listen:", "advertis", "highlights",
                    "pictured", "getty", "click", "sign up", "subscribe", "newsletter", "updated", "(l", "(r", "(c",
                    "(t", "(b", "above", "below", "tweet", "map ", "chart", "graphic", "clip", "gallery", "slideshow", "left",
                    "right", "center", "centre", ", 1", ", 2", "anyone with")
_QUOTE_MARK = re.compile(r'["“”]')
_LOWER_WORD = re.compile(r"[a-z]+")
_TRANSCRIPT = re.compile(r"^\W*(?:[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,3}|Q|A):\s|^\W*[QA]\.\s|(?:^|\s)[A-Z]{2,}(?: [A-Z]{2,})?:\s+\S")
_TEASER = re.compile(
    r"^\W*(?:here(?:'s|’s| is| are)\b|check out\b|watch\b|read\b|see\b|take a look\b|scroll\b|click\b|meet\b|"
    r"find out\b|learn more\b|don['’]t miss\b|tune in\b|stay tuned\b|look at\b|below\b|above\b|related\b|follow\b|"
    r"sign up\b|subscribe\b|imagine\b|consider\b|remember\b|think about\b|let['’]s\b|let us\b)", re.I)
_EXPLETIVE_IT = re.compile(
    r"^It(?:['’]s| is| was| has been| had been| will be| would be| remains| remained| seems| seemed| appears| appeared)"
    r"(?: not| now| still| also)?(?: yet)?(?: [a-z]+ly)? (?:(?:un)?clear|(?:un)?likely|(?:im)?possible|expected|believed|thought|estimated|"
    r"reported|understood|(?:un)?known|too (?:early|soon|late)|hard|difficult|easy|rare|unusual|common|important|"
    r"time|the (?:first|second|third|latest|last|largest|biggest|worst|best|most|only|fourth|fifth)|"
    r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d[\d,.]*|several|many|\w+) (?:more |full )?(?:minutes?|hours?|days?|weeks?|months?|"
    r"years?|decades?)\b)"
    r"|^It took\b")
_DEICTIC = re.compile(
    r"^(?:This|These) (?:past )?(?:week|weekend|year|month|morning|afternoon|evening|summer|spring|fall|autumn|winter|season|"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b|^This year['’]s\b")
_DANGLING_TIME = re.compile(
    r"^(?:Later|Earlier) (?:that|in the)\b|^That (?:same )?(?:day|night|morning|afternoon|evening|week|month|year)\b|"
    r"^The (?:next|following|previous|same) (?:day|morning|night|week|month|year)\b|"
    r"^(?:Hours|Days|Minutes|Weeks|Months|Moments|Years|Two days|Three days) (?:later|earlier|after|before)\b|"
    r"^(?:Shortly|Soon) afterwards?\b|^At that (?:time|point)\b|^By then\b|^Since then\b|^Until then\b")
# Temporal connectives: dropping them would lose when the event happened.
_CONNECTIVE_STARTS = frozenset(c.split(" ")[0] for c in CONNECTIVES)
_TEMPORAL = frozenset({"later", "afterward", "afterwards", "then"})
# Non-bare connectives that are never anything else at a sentence's start.
_ALWAYS_CONNECTIVE = frozenset({"also", "then", "later", "afterward", "afterwards", "meanwhile", "however", "moreover",
                                "furthermore", "nevertheless", "nonetheless", "thus", "therefore", "hence",
                                "additionally", "likewise", "similarly", "consequently", "in addition", "as a result"})
_ASIDE = re.compile(r"^, (?:[A-Za-z]+ ){1,3}(?:said|says|added|adds|noted|notes|argued|argues|wrote|writes|explained)\b,")
_NOT_CONNECTIVE_AFTER_SO = frozenset({"far", "much", "many", "called", "-called", "long", "to"})
# Where a pronoun is the subject the sentence leans on: at its start, after
# an adverb, in the subject ("The auction of his belongings"), or in or
# after an opening phrase ("On Wednesday, he said", "Prior to his posting,
# ..."). Deeper in, a pronoun refers within the sentence. See _slot_end.
_SLOT_START = re.compile(r"\W*(?:[A-Za-z]+ly |now |then |later |also |still |soon |once |sometimes |even |only )?"
                         r"(?:he|she|his|her|him|they|their|them)\b"
                         r"|\W*(?:the|a|an) (?:[\w-]+ ){0,3}?(?:of|for|to|with|from|by) (?:his|her|their|him|them)\b",
                         re.I)
_SLOT_AFTER_COMMA = re.compile(r"(?:[A-Za-z]+ly )?(?:he|she|his|her|they|their)\b", re.I)
_CLAUSE_END = re.compile(r"[,;:—]")
_PRONOUN_WORD = re.compile(r"\b(?:he|she|his|her|him|they|their|them)\b", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_TOKEN = r"(?:[A-Z][a-zA-Z'’.-]*[a-zA-Z.]|[A-Z])"
_NAME_RUN = re.compile(rf"{_TOKEN}(?: (?:(?:de|van|von|der|da|del|al|bin|ibn|la|le|di|du|dos|ben) )?{_TOKEN})*")
_VERBS = "|".join(sorted(SPEECH_VERBS))
# What only people do in news copy: speak ("Smith said", "said Smith"), have
# an age ("Smith, 66,"), a family or a lawyer ("Smith's wife"), a role
# ("Smith, a nurse,", "Ambassador ... Sergey Kislyak"): see _person_cue.
_PERSON_NOUNS = (ROLE_NOUNS - ORG_ROLES) | TITLES
_CUE_AFTER = re.compile(r"(?:,[^,.;\"“”]{1,90},)? (?:also |later |then |previously )?([a-z]+)")
_CUE_AGE = re.compile(r", \d{1,3},")
_CUE_FAMILY = re.compile(r"['’]s (?:wife|husband|son|daughter|mother|father|lawyer|attorney|spokes\w+|family)\b")
_CUE_APPOSITION = re.compile(r", (?:a|an|the|his|her) ([^,.;\"“”]{1,60})")
_CUE_BEFORE = re.compile(r"\b([a-z]+) (?:[A-Z][\w.'’-]+ ){0,2}$")


def _person_cue(sent: str, r: _Run) -> bool:
    """Whether the words around a name show a person (a second reference
    alone does not: "Occupy Philadelphia" ... "Philadelphia")."""
    after, before = sent[r.end:], sent[:r.start]
    m = _CUE_AFTER.match(after)
    if (m and m.group(1) in SPEECH_VERBS and not m.group(1).endswith("ing")) or _CUE_AGE.match(after) \
            or _CUE_FAMILY.match(after):  # ("Arabic Islamic writing": a noun, not "Smith, writing ...")
        return True
    m = _CUE_APPOSITION.match(after)
    if m and not _PERSON_NOUNS.isdisjoint(m.group(1).lower().split()):
        return True
    m = _CUE_BEFORE.search(before)
    if m and m.group(1) in SPEECH_VERBS:
        return True
    return not _PERSON_NOUNS.isdisjoint(w.strip(".,").lower() for w in before.split()[-5:])


# ", Salazar told reporters.", ", said Sheriff Salazar." closing a sentence.
_TAIL_SOURCE = re.compile(rf",\s+(?:[\w.'’-]+ ){{0,6}}?(?:{_VERBS})\b[^,;]*$|,\s+(?:{_VERBS}) [^,;]*$")
_HEAD_SOURCE = re.compile(rf"^\W*(?:[\w.'’-]+ ){{0,6}}?[A-Z][\w.'’-]+(?:, [^,]{{1,80}},)? (?:also |later |then |has |had |long |has long )*"
                          rf"(?:{_VERBS})\b(?= (?:that )?\S+ \S+ \S+)")
_APPOSITION = re.compile(r"(?:,[^,\"“”]{1,100},|, \d{1,3})$")  # "Ince, Kameron's teacher," / "Chapa, 32"
_TITLE_GAP = re.compile(r"(?i:\b(?:" + "|".join(sorted(TITLES)) + r")\.?)|\s")
_DESCRIPTION = r"(?:the|a|an) (?:[a-z-]+ ){0,3}?(?:" + "|".join(sorted(ROLE_NOUNS | {"source", "sources"})) + ")"
_DESCRIBED_BEFORE = re.compile(rf"\b{_DESCRIPTION}$")  # "..., the sheriff said."
_DESCRIBED_AFTER = re.compile(rf"^{_DESCRIPTION}\b")  # "..., said a police source."
_DESCRIBED_SUBJECT = re.compile(r"\b(?:the|a|an|his|her|their|its|one|another)(?: [\w'’-]+){0,4}? [a-z][\w-]*$", re.I)
_SUBJECT_PRONOUNS = frozenset({"he", "she", "his", "her", "him", "they", "their", "them"})
_GIVEN = re.compile(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?")  # "Beate", "Jean-Luc", "D'Andre"; not "Nine-year-old", "M"
_IN_PLACE = frozenset({"in", "at", "near", "across", "into", "throughout", "outside", "inside"})
_BRACKETED = re.compile(r"^\[|(?:['’]s)?(?: said:)?\] ?$")  # "[Kislyak's]", "[Lott said:] " -> the name
_PLACE_PREPOSITIONS = frozenset({"in", "at", "from", "near", "to", "into", "across", "outside", "inside", "around"})
_INVERTED = frozenset({"said", "says", "added", "adds", "wrote", "writes", "noted", "explained", "recalled",
                       "continued", "replied", "tweeted", "recounted", "according to"})
# ", she says." closing a sentence that is not a quotation: who "she" is, the sentence does not say.
_TAIL_PRONOUN = re.compile(rf",\s+(he|she)\s+(?:also\s+|later\s+)?(?:{_VERBS})\b[^,;\"“”]*$", re.I)
_QUOTE_AROUND = re.compile(r"[\"“”]")
# An opening phrase whose pronoun may point forward: "When he was 14, Rapp ...".
_INTRO = re.compile(r"\W*(?:When|After|Before|While|Although|Though|As|Since|If|Because|Once|Until|Despite|In|On|At|"
                    r"During|Prior|Following|Throughout|Like|Unlike|For|With|Without|From|Under|Upon|Through|Even|"
                    r"Shortly|Ever|Having|Being|Born|Known)\b")
_SPEECH = re.compile(rf"\b(?:{_VERBS}|according to)\b", re.I)
# After a name, a pronoun other than "X said he ..." (which is X) may stand for someone else.
_OTHER_REFERENT = re.compile(rf"^(?!\S*(?:\s+\S+){{0,2}}\s+(?:{_VERBS})\s+(?:that\s+)?(?:he|she)\b).*?\b(?:his|him|her)\b",
                             re.I | re.S)
_PRONOUN_BEFORE = re.compile(r"\b(?:he|she|his|her|him)\b", re.I)
_PLACE_ACRONYMS = frozenset({"U.S.", "U.N.", "U.K.", "E.U.", "D.C.", "L.A.", "N.Y."})
_POSSESSIVE = re.compile(r"['’]s?$")
_ADVERB = re.compile(r"^(?:also|then|later|once|had|has|have|previously|again|further|[a-z]+ly)$")
_SPEAKER_DET = frozenset({"the", "a", "an", "his", "her", "their", "its", "one", "another", "officials", "police",
                          "authorities", "sources", "experts", "critics", "witnesses", "residents", "neighbors",
                          "prosecutors", "investigators", "analysts", "researchers", "scientists", "doctors",
                          "lawyers", "attorneys", "supporters", "people", "many", "some", "others", "both"})


# --- the article's people --------------------------------------------------------

@dataclass(slots=True)
class _Person:
    key: str  # the surname, as the article writes it on second reference
    full: set[str] = field(default_factory=set)  # full forms seen ("Sergey Kislyak")
    first: set[str] = field(default_factory=set)  # their first names
    given: set[str] = field(default_factory=set)  # the same, from full forms with nothing else before the surname
    cue: bool = False  # seen as a person: a title, an age, a speech verb
    gender: str | None = None  # "m" / "f" from a title ("Mr.", "Congresswoman"), when one was seen
    evidence: str | None = None  # "m" / "f" / "" from the pronouns after them (see _Context.gender)

    def first_name(self) -> str:
        """Their first name, when the story gives one and only one, plainly
        ("Pia Holm"; not from "Jerome Kwame Robinson", where the word before
        the surname may be a middle name)."""
        return next(iter(self.given)) if len(self.given) == 1 and len(self.first) == 1 else ""

    def name(self) -> str | None:
        """The bracketed name to show: the surname, unless the story holds
        two people of that surname (then none: which one is unknown)."""
        return self.key if len(self.first) <= 1 else None


@dataclass(slots=True)
class _Run:
    start: int  # offsets in the sentence
    end: int
    tokens: list[str]
    titled: str | None  # the title word stripped before it, if any
    after_the: bool
    after: str  # the word before it, lower-cased ("the", "in")
    initial: bool  # at the sentence's start, where any word is capitalised
    next_lower: bool = False  # followed by a lower-case word ("Brooks is ...")
    who: str | None = None  # whom it names, once the article's people are known (_Context._mention)


@dataclass(slots=True)
class _Sent:
    text: str
    outside: str  # text with quoted spans blanked (same length)
    quoted_words: int
    words: int
    starts_inside: bool
    runs: list[_Run]
    mentions: list[str] = field(default_factory=list)  # person keys and unknown multi-word names, in order
    _speakers: set[str] | None = None

    @property
    def speakers(self) -> set[str]:
        """Whom it names as a source (", Salazar said."; "Salazar said the
        deputies ..."): not the subject of what follows, whom only a speech
        verb ("he added") continues with. Worked out when first asked
        (a look-up by its speech verbs, for few sentences)."""
        if self._speakers is None:
            self._speakers = set()
            if self.mentions:
                tail = _TAIL_SOURCE.search(self.outside)
                if tail:
                    self._speakers = {r.who for r in self.runs if r.start >= tail.start() and r.who}
                head = _HEAD_SOURCE.match(self.outside)
                if head:
                    self._speakers |= {r.who for r in self.runs if r.end <= head.end() and r.who}
        return self._speakers


def _quotes(text: str, inside: bool) -> tuple[str, int, bool]:
    """``text`` with quotation marks and the quoted words blanked, the quoted
    word count, and whether a quotation is still open at the end.
    Apostrophes are not quote marks; a straight double quote opens or
    closes by its sides (before a word it opens, after one it closes), and
    toggles where they do not tell."""
    marks = [m.start() for m in _QUOTE_MARK.finditer(text)]
    if not marks and not inside:
        return text, 0, False
    spans: list[tuple[int, int]] = []  # quoted text, without its marks
    start = 0 if inside else -1
    opened = -1  # where the last quotation in this text opened
    used = []
    for k in marks:
        ch = text[k]
        if ch == '"':
            if k and text[k - 1].isdigit():
                continue  # inches: 4'8"
            before = text[k - 1] if k else " "
            after = text[k + 1] if k + 1 < len(text) else " "
            opens = before.isspace() or before in "([{—–-"
            closes = after.isspace() or after in ".,;:!?)]}—–-"
            if opens != closes:
                inside = closes
        used.append(k)
        if ch == "“" or (ch == '"' and not inside):
            if inside and start >= 0:
                spans.append((start, k))
            inside, opened, start = True, k, k + 1
        else:
            if inside and start >= 0:
                spans.append((start, k))
            inside, start = False, -1
    if inside:
        if text[:max(opened, 0)].strip():
            inside = False  # opened inside the sentence and never closed: a stray mark, not a quotation
        elif start >= 0:
            spans.append((start, len(text)))
    out = list(text)
    for k in used:
        out[k] = " "
    for a, b in spans:
        out[a:b] = " " * (b - a)
    return "".join(out), sum(len(text[a:b].split()) for a, b in spans), inside


def _runs(sent: str) -> list[_Run]:
    """Capitalised word runs that may be names, titles stripped ("Attorney
    General Jeff Sessions" -> "Jeff Sessions", titled "general")."""
    out = []
    pieces = []
    for m in _NAME_RUN.finditer(sent):
        toks, start = m.group().split(" "), m.start()
        # A possessive ends a name: "Microsoft's Dennis Durken", "Donald Trump’s Russia scandals".
        while (cut := next((k for k, t in enumerate(toks[:-1]) if _POSSESSIVE.search(t) and len(t) > 3), None)) is not None:
            pieces.append((toks[:cut + 1], start))
            start += len(" ".join(toks[:cut + 1])) + 1
            toks = toks[cut + 1:]
        pieces.append((toks, start))
    for toks, start in pieces:
        if toks[-1].endswith(".") and "." not in toks[-1][:-1] and len(toks[-1]) > 3:
            toks[-1] = toks[-1][:-1]  # the sentence's full stop
        at_start = not sent[:start].strip(" “\"‘'([—–-")
        titled = None
        article = False
        while len(toks) > 1 and toks[0] in ("The", "A", "An"):  # "told The Telegraph": the name of a thing
            start += len(toks[0]) + 1
            toks, article = toks[1:], True
        while toks:
            low = toks[0].lower().rstrip(".")
            acronym = toks[0].isupper() and len(toks[0]) > 1 and ("." not in toks[0] or toks[0] in _PLACE_ACRONYMS)
            if low in TITLES or (acronym and len(toks) > 1) or (at_start and low in STOP_WORDS) or low in CALENDAR \
                    or low[:2] in ("i’", "i'"):  # "I’m", "I'll"
                titled = low if low in TITLES else titled
                start += len(toks[0]) + 1
                toks = toks[1:]
                at_start = False
                continue
            break
        inner = [k for k, t in enumerate(toks[:-1]) if t.lower().rstrip(".") in TITLES]
        if inner:  # "Las Vegas Police Officer Jose Hernandez": the name follows the last title word
            k = inner[-1]
            titled = toks[k].lower().rstrip(".")
            start += len(" ".join(toks[:k + 1])) + 1
            toks = toks[k + 1:]
        while toks and toks[-1].lower().rstrip(".") in CALENDAR:
            toks = toks[:-1]
        if not toks:
            continue
        toks[-1] = _POSSESSIVE.sub("", toks[-1]) if len(toks[-1]) > 3 else toks[-1]
        if not toks[-1] or not toks[-1][0].isupper() or (len(toks) == 1 and toks[0].lower() in STOP_WORDS):
            continue
        before = sent[:start].rstrip().rsplit(" ", 1)[-1].lower()
        end = start + len(" ".join(toks))
        out.append(_Run(start, end, toks, titled, article or before == "the", before, not sent[:start].strip(" “\"‘'([—–-"),
                        sent[end + 1:end + 2].islower()))
    return out


class _Context:
    """One article read for reference: its sentences' quote state, the
    people it names, and who each sentence mentions."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.sents: list[_Sent] = []
        inside, para = False, -1
        for s in article.sentences:
            if s.paragraph != para:
                inside, para = False, s.paragraph
            # A quotation open from the sentence before holds only if this one closes it (a stray mark
            # must not turn the rest of a paragraph into a quote).
            starts_inside = inside and any(ch in s.text for ch in "\"”")
            outside, qw, inside = _quotes(s.text, starts_inside)
            self.sents.append(_Sent(s.text, outside, qw, len(s.text.split()), starts_inside, _runs(s.text)))
        self.people = self._people()
        for st in self.sents:
            for r in st.runs:
                r.who = self._mention(r)
            st.mentions = list(dict.fromkeys(r.who for r in st.runs if r.who))
        self.curly = "’" in article.text
        # The sentences that name one person only, by that person: the pronoun signs of a gender.
        self.alone: dict[str, list[int]] = {}
        for j, st in enumerate(self.sents[:-1]):
            if len(st.mentions) == 1:
                self.alone.setdefault(st.mentions[0], []).append(j)
        # The person each sentence is about, once judged: what a pronoun in
        # the next sentence can stand for when that one names nobody.
        self.topic: list[_Person | None] = [None] * len(self.sents)

    def _people(self) -> dict[str, _Person]:
        people: dict[str, _Person] = {}
        singles: set[str] = set()
        title = self.article.title or ""
        heads = [_Sent(title, title, 0, 0, False, _runs(title))] if title else []
        every = [r for st in heads + self.sents for r in st.runs]
        alone = {r.tokens[0] for r in every if len(r.tokens) == 1}
        for r in every:
            if len(r.tokens) >= 3 and r.tokens[0] in alone:
                r.tokens = r.tokens[1:]  # "(ambassador to) Russia Michael McFaul": a place before the name
        for st in heads + self.sents:
            for r in st.runs:
                key = r.tokens[-1]
                if key.lower() in NOT_SURNAMES or not key[:1].isupper() or key.isupper():
                    continue
                if len(r.tokens) == 1:
                    singles.add(key)
                    if r.titled in HONORIFICS:
                        p = people.setdefault(key, _Person(key))
                        p.cue = True
                        p.gender = p.gender or _gender(r.titled)
                    continue
                if r.after_the or r.tokens[0].lower() in NOT_SURNAMES:
                    continue
                p = people.setdefault(key, _Person(key))
                p.full.add(" ".join(r.tokens))
                # The given name is the word before the surname ("Democrat Nancy Pelosi"), with the one before
                # it when that is an initial ("Sergei A. Karaganov").
                given = r.tokens[-3:-1] if len(r.tokens) > 2 and len(r.tokens[-2]) <= 3 and r.tokens[-2].endswith(".") \
                    else r.tokens[-2:-1]
                if given[0].lower() not in STOP_WORDS and _GIVEN.fullmatch(given[0]):
                    p.first.add(" ".join(given))
                    if all(t.lower() in _PERSON_NOUNS for t in r.tokens[:-len(given) - 1]):
                        # "Pia Holm", "Engineer Pia Holm", "Sergei A. Karaganov": no middle name to mistake
                        p.given.add(" ".join(given))
                if r.titled:
                    p.cue = True
                    p.gender = p.gender or _gender(r.titled)
        # "in Australia": no person is somewhere.
        places = {r.tokens[-1] for st in self.sents for r in st.runs if r.after in _IN_PLACE}
        for key in places:
            people.pop(key, None)
        cued = {r.tokens[-1] for st in self.sents for r in st.runs
                if r.tokens[-1] in people and _person_cue(st.text, r)} if people else set()
        for key, p in people.items():
            # "Sergey Kislyak" ... "Kislyak said", "Kislyak, 66,", "Ambassador ... Sergey Kislyak": a second
            # reference alone is not enough ("Occupy Philadelphia" ... "Philadelphia").
            if p.full and key in cued:
                p.cue = True
        return {k: p for k, p in people.items() if p.cue and (p.full or k in singles)}

    def _mention(self, r: _Run) -> str | None:
        """Whom a name run stands for: a person's key, or the run itself
        when it is a name of unknown kind that may be a person (two or more
        words, not a place or organisation by its last word)."""
        key = r.tokens[-1]
        if r.after_the and len(r.tokens) == 1:
            return None  # "the Vegas crime"
        if key in self.people:
            return key
        if len(r.tokens) == 1:
            # A first name alone ("Krystal"), or an unknown name as the subject ("Brooks is also ..."),
            # may be anyone: never a referent, but it makes the sentence's people ambiguous.
            if any(key == f.split(" ")[0] for p in self.people.values() for f in p.first):
                return "?" + key
            if r.initial and key.lower() not in STOP_WORDS and not key.isupper() and key.lower() not in CALENDAR \
                    and key.lower() not in NOT_SURNAMES and r.next_lower:
                return "?" + key
            return None
        if r.after_the or key.lower() in NOT_SURNAMES or key.isupper() or r.after in _PLACE_PREPOSITIONS:
            return None  # "the White House", "in Ann Arbor": a place or an organisation
        return "?" + " ".join(r.tokens)

    # --- reference ---------------------------------------------------------------

    def referent(self, i: int, pronoun: str, speech: bool = False) -> _Person | None:
        """The one person a "he"/"she" in sentence ``i`` can stand for: the
        only person the sentence before names (or, through a chain of
        sentences opening with the same pronoun, the one before that), whose
        gender the article shows to match. A person named only as the
        source of the sentence before (", Salazar said.") is its speaker,
        not its subject: they qualify only for a speech verb ("he added")."""
        want = "m" if pronoun in MALE else "f" if pronoun in FEMALE else None
        j = i - 1
        while j >= 0 and i - j <= 4:
            st = self.sents[j]
            cands = st.mentions
            if cands:
                if len(cands) > 1 and not cands[0].startswith("?") and all(c.startswith("?") for c in cands[1:]) \
                        and any(r.who == cands[0] and r.initial for r in st.runs):
                    cands = cands[:1]  # the subject opening the sentence, beside names that are not known people
                if len(cands) != 1 or cands[0].startswith("?") or (cands[0] in st.speakers and not speech):
                    return None
                at = min(r.start for r in st.runs if r.who == cands[0])
                if _PRONOUN_BEFORE.search(st.outside[:at]) or _OTHER_REFERENT.search(st.outside[at:]):
                    # "He said he wasn't interested in Spacey": the subject is someone else; "Buchanan mounted a
                    # challenge to his re-election": someone unnamed is about too.
                    return None
                p = self.people[cands[0]]
                return p if self.gender(p) == want else None
            p = self.topic[j]
            if p is not None:
                return p if self.gender(p) == want else None
            first = self.sents[j].text.lstrip("\"“‘' ").split(" ", 1)[0].lower()
            if first not in PERSON_PRONOUNS or ("m" if first in MALE else "f") != want:
                return None
            j -= 1
        return None

    def quote_source(self, i: int) -> str | None:
        """Who speaks in a quotation that names nobody ("“We believe this
        girl to be in imminent danger.”"), when the sentence next to it in
        the paragraph is a quotation that names one person as its source
        ("“...,” Salazar said."): a quote continues with its speaker."""
        sents = self.article.sentences
        paragraph = sents[i].paragraph
        # A paragraph that only quotes, with no source of its own, goes on with the speaker of the quotation
        # that closed the paragraph before (news style never leaves a new speaker unnamed).
        unsourced = not any(self.sents[k].speakers or _SPEECH.search(self.sents[k].outside)
                            for k in range(len(sents)) if sents[k].paragraph == paragraph)
        for j in (i - 1, i + 1):
            if not 0 <= j < len(self.sents):
                continue
            if sents[j].paragraph != paragraph and not (j < i and unsourced and sents[j].paragraph == paragraph - 1):
                continue
            st = self.sents[j]
            if not st.quoted_words or (st.quoted_words < 0.5 * st.words and st.words > 12):
                continue  # not a quotation with its attribution
            source = self.source(st)
            if source:
                return source
            p = self.topic[j]
            if j < i and p is not None:
                return p.name()  # "“...,” he said." with "he" resolved
        return None

    def source(self, st: _Sent) -> str | None:
        """The one named source of a quotation's attribution: the name next
        to its speech verb ("..., Greig told the Nine network", "said Dave
        Joyce", "Ince, a teacher, said"), or a described one ("the
        sheriff said" -> "the sheriff"). None for a pronoun, two names, or
        a surname two people of the story share."""
        m = None
        for m in _SPEECH.finditer(st.outside):
            pass  # the last speech verb: a quotation's attribution closes it
        if m is None:
            return None
        before, after = st.outside[:m.start()].rstrip(), st.outside[m.end():]
        before = _APPOSITION.sub("", before)
        if before.rsplit(" ", 1)[-1].lower() in ("he", "she", "they", "it", "i", "we"):
            return None  # "she told The Telegraph": the speaker is a pronoun, the name the listener
        inverted = m.group().lower() in _INVERTED  # "said Dave Joyce"; but "told Mashable" names the listener
        for r in st.runs:
            if r.tokens[-1].lower() in STOP_WORDS:
                continue
            if r.end == len(before) or (inverted and r.start > m.end()
                                        and not _TITLE_GAP.sub("", st.outside[m.end():r.start]).strip()):
                if r.who and r.who in self.people:
                    return self.people[r.who].name()
                if r.after_the or r.tokens[-1].isupper():
                    return None  # "told PEOPLE", "the Post said": an outlet, not the speaker
                return r.tokens[-1] if not r.initial or r.end == len(before) else None
        d = _DESCRIBED_BEFORE.search(before) or _DESCRIBED_AFTER.match(after.strip())
        return d.group(0) if d else None

    def gender(self, p: _Person) -> str | None:
        """A person's gender as the article shows it: a title ("Mr.",
        "Congresswoman"), else the pronouns that take them up where no one
        else is in view: "Ross said he ...", or a sentence that opens with
        them, names no one else, and is followed by one opening "He" (never
        guessed from a first name). Conflicting signs give none."""
        if p.gender is None and p.evidence is None:
            said = re.compile(rf"\b{re.escape(p.key)}(?:,[^,]{{1,80}},)? (?:{_VERBS}) (?:that )?(he|she)\b", re.I)
            signs = [m.group(1).lower() for m in said.finditer(self.article.text)]
            for j in self.alone.get(p.key, ()):
                if any(r.who == p.key and r.initial for r in self.sents[j].runs):
                    first = _WORD.findall(self.sents[j + 1].outside)[:1]
                    signs += [w.lower() for w in first if w.lower() in ("he", "she")]
            male, female = signs.count("he"), signs.count("she")
            p.evidence = "m" if male and not female else "f" if female and not male else ""
        return p.gender or p.evidence or None

    def described(self, i: int, noun: str) -> str | None:
        """The name a description ("the ambassador") stands for: the one name
        that an earlier sentence of the article puts beside that noun
        ("Ambassador Sergey Kislyak", "Kevin Spacey, the actor")."""
        org = noun in ORG_ROLES
        found: set[str] = set()
        n = re.escape(noun)
        name = rf"((?:{_TOKEN} ){{0,3}}{_TOKEN})"
        pats = (re.compile(rf"\b(?i:{n}) (?:[a-z]+ ){{0,3}}?(?:[A-Z][\w.'’-]* )?{name}"),
                re.compile(rf"{name},? (?:(?:who|which) (?:[a-z]+ ){{1,4}}?)?(?:a|an|the|its|his|her|[A-Z][\w.'’-]*['’]s) "
                           rf"(?:[\w-]+ ){{0,5}}?{n}\b"))
        for st in self.sents[:i]:
            for pat in pats:
                for m in pat.finditer(st.text):
                    toks = m.group(1).split(" ")
                    key = _POSSESSIVE.sub("", toks[-1]) if len(toks[-1]) > 3 else toks[-1]
                    if org:
                        words = [t for t in toks if t.lower().rstrip(".") not in TITLES]
                        # A proper name, not "the University": one word that is no generic noun.
                        if key not in self.people and key[:1].isupper() and any(
                                t.lower() not in NOT_SURNAMES and t.lower() not in STOP_WORDS for t in words):
                            found.add(" ".join(words))
                    elif key in self.people and self.people[key].name():
                        found.add(key)
        return found.pop() if len(found) == 1 else None


def genders(article: Article) -> dict[str, str]:
    """Each person's gender as the article shows it ("m" or "f", keyed by
    the surname; see ``_Context.gender``): what a reader tells "he" from
    "she" by. People it does not show are left out."""
    ctx = _Context(article)
    return {k: g for k, p in ctx.people.items() if (g := ctx.gender(p))}


def _gender(title: str | None) -> str | None:
    return "m" if title in MALE_TITLES else "f" if title in FEMALE_TITLES else None


# --- the rules ---------------------------------------------------------------------

def quote_share(text: str) -> float:
    """Share of a sentence's words inside quotation marks."""
    _, quoted, _ = _quotes(text, False)
    n = len(text.split())
    return quoted / n if n else 0.0


_UNJUDGED = Verdict("not judged")


def judge(article: Article, wanted: Sequence[bool] | None = None) -> list[Verdict]:
    """A verdict for every sentence of a segmented article, in order; only
    the ``wanted`` ones are judged (a summary never takes a fragment or a
    heading, whatever it says), the others get the fault "not judged"
    (they still give the context of the ones after them)."""
    if not article.sentences:
        return []
    ctx = _Context(article)
    out = []
    for i in range(len(ctx.sents)):
        out.append(_judge(ctx, i) if wanted is None or wanted[i] else _UNJUDGED)
        if ctx.topic[i] is None and len(ctx.sents[i].mentions) == 1 and not ctx.sents[i].mentions[0].startswith("?"):
            ctx.topic[i] = ctx.people[ctx.sents[i].mentions[0]]
    return out


def _judge(ctx: _Context, i: int) -> Verdict:
    st = ctx.sents[i]
    text, outside = st.text, st.outside
    low = text.lower()
    if (any(map(low.__contains__, _FURNITURE_HINTS)) and _FURNITURE.search(text)) \
            or ("this " in low and is_caption_formula(text)):
        return Verdict("furniture")
    if ": " in outside and _TRANSCRIPT.search(outside):
        return Verdict("transcript")
    if _is_dek(ctx, i):
        return Verdict("dek")
    if _TEASER.match(outside) or "?" in outside or text.rstrip().endswith(":"):
        return Verdict("teaser")
    vocab = set(_LOWER_WORD.findall(outside.lower()))  # (one pass: the word-class checks are set look-ups)
    if not vocab.isdisjoint(SECOND_PERSON):
        return Verdict("addresses the reader")
    edits: list[Edit] = []
    begin = _lead_in(text)
    if begin is None:
        return Verdict("dangling connective")
    if begin:
        edits.append(Edit(0, begin, text[:begin], "", "connective"))
    head = text[begin:]
    if _DANGLING_TIME.match(head):
        return Verdict("dangling time")
    first = (_WORD.match(head.lstrip(" -–—•*(")) or _WORD.match("x")).group().lower()  # (a quote's "It" is its speaker's)
    first = first[:-2] if first.endswith(("'s", "’s")) else first
    if first in ("it", "its") and not _EXPLETIVE_IT.match(head[:1].upper() + head[1:]):
        return Verdict("dangling pronoun")
    if first in PLURAL_PRONOUNS or (first in ("this", "these") and not _DEICTIC.match(head[:1].upper() + head[1:])) \
            or first in ("that", "those", "such") or (first == "both" and _next_lower(head)):
        return Verdict("dangling pronoun")
    fault = _description(ctx, i, begin, edits)
    if fault:
        return Verdict(fault)
    st = ctx.sents[i]
    first_person = not vocab.isdisjoint(FIRST_PERSON)
    if not (st.quoted_words >= 4 or st.starts_inside or first_person or not vocab.isdisjoint(_SUBJECT_PRONOUNS)):
        return _verdict(ctx, i, _finish(text, edits, begin))  # no speaker, "I" or "he" to look into
    words = [(m.group(), m.start()) for m in _WORD.finditer(outside)]
    fault = _speaker(ctx, i, words, edits)
    if fault:
        return Verdict(fault)
    fault = _first_person(ctx, words, edits) if first_person else None
    if fault:
        return Verdict(fault)
    fault = _pronoun(ctx, i, words, edits, begin)
    if fault:
        return Verdict(fault)
    return _verdict(ctx, i, _finish(text, edits, begin))


def _verdict(ctx: _Context, i: int, edits: tuple[Edit, ...]) -> Verdict:
    """A sentence that stands alone, with its edits and the people it names
    (by a name in it, or one an edit puts in)."""
    names = []
    for r in ctx.sents[i].runs:
        if r.who in ctx.people and not any(e.start <= r.start < e.end for e in edits):
            names.append((r.start, r.who, ctx.people[r.who].first_name() if len(r.tokens) == 1 else ""))
    for e in edits:
        key = _BRACKETED.sub("", e.inserted)
        if e.kind == "referent" and key in ctx.people:
            names.append((e.start, key, ctx.people[key].first_name()))
    return Verdict(None, edits, tuple(sorted(names)))


# "KUALA LUMPUR, Malaysia (AP) — ", "SAN DIEGO - ": where the story was filed.
_DATELINE = re.compile(r"^[A-Z][A-Z .,'’/-]{2,40}(?:, [A-Z][\w.]+(?: [A-Z][\w.]+)?)?(?: \([\w. ]{1,20}\))? ?(?:--|[—–-]) (?=[A-Z])")


def dateline(text: str) -> Edit | None:
    """The edit that drops a sentence's dateline: it belongs to a lede, not
    to the middle of a summary."""
    m = _DATELINE.match(text)
    if not m or m.end() >= len(text):
        return None
    return Edit(0, m.end(), text[:m.end()], "", "dateline")


def _next_lower(head: str) -> bool:
    nxt = head.split(" ", 2)[1:2]
    return bool(nxt) and nxt[0][:1].islower()


def _is_dek(ctx: _Context, i: int) -> bool:
    """A short one-sentence paragraph before the lede (a dek or standfirst),
    with only such paragraphs before it."""
    sents = ctx.article.sentences
    if ctx.sents[i].words >= DEK_WORDS or sents[i].paragraph > 1:
        return False
    para = sents[i].paragraph
    same = [s for s in sents if s.paragraph == para]
    if len(same) != 1 or sents[-1].paragraph == para:
        return False
    return all(len([s for s in sents if s.paragraph == p]) == 1 and ctx.sents[s.index].words < DEK_WORDS
               for p in range(para) for s in sents if s.paragraph == p)


def _lead_in(text: str) -> int | None:
    """Where the sentence starts once leading connectives are dropped
    (0: none); None when a connective cannot be dropped and leaves the
    sentence leaning on the one before."""
    pos = 0
    for _ in range(2):
        rest = text[pos:]
        low = rest.lower()
        if low[:low.find(" ")].rstrip(",") not in _CONNECTIVE_STARTS:
            return pos
        conn = next((c for c in CONNECTIVES if low.startswith(c) and low[len(c):len(c) + 1] in (" ", ",")), None)
        if conn is None:
            return pos
        after = rest[len(conn):]
        if after.startswith(","):
            if conn in _TEMPORAL or _ASIDE.match(after):
                return None
            pos += len(conn) + 1 + (len(after) - len(after[1:].lstrip()) - 1)
            continue
        nxt = after.lstrip().split(" ", 1)[0].strip(",;:")
        if conn in BARE_CONNECTIVES:
            if conn == "so" and nxt.lower() in _NOT_CONNECTIVE_AFTER_SO:
                return pos
            if nxt.lower() in CLAUSE_OPENERS or nxt[:1].isupper() or nxt[:1].isdigit() or nxt[:1] in "“\"$":
                pos += len(conn) + 1
                continue
            return None
        if conn in _ALWAYS_CONNECTIVE:
            if conn == "later" and nxt.lower() == "this":
                return pos
            return None
        return pos
    return pos


def _description(ctx: _Context, i: int, begin: int, edits: list[Edit]) -> str | None:
    """"The ambassador also served ...": a definite description at the
    start, of a person or organisation, needs the name it stands for."""
    st = ctx.sents[i]
    m = re.match(r"(?:The|the) ((?:[\w-]+ ){0,2}?)([a-z]+)(['’]s)?\b", st.text[begin:])
    if not m or m.group(2) not in ROLE_NOUNS:
        return None
    rest = st.outside[begin + m.end():]
    if re.match(r",? (?:[A-Z][\w.'’-]+ ){0,3}[A-Z][\w.'’-]+", rest) and not re.match(r",? [A-Z][a-z]+ (?:[a-z])", rest):
        return None  # an apposition names it: "The ambassador, Sergey Kislyak, ..."
    if any(k and not k.startswith("?") for k in (r.who for r in st.runs if r.start >= begin + m.end())):
        return None  # the sentence names a person itself; the description may be theirs
    name = ctx.described(i, m.group(2))
    if name is None:
        return "dangling description"
    s = begin + m.start(2)
    if m.group(3):  # "The diplomat's first stint" -> "[Kislyak's] first stint"
        edits.append(Edit(begin, begin + m.end(), st.text[begin:begin + m.end()], f"[{name}{m.group(3)[0]}s]", "referent"))
    else:
        e = s + len(m.group(2))
        edits.append(Edit(e, e, "", f" [{name}]", "referent"))
    return None


def _speaker(ctx: _Context, i: int, words: list[tuple[str, int]], edits: list[Edit]) -> str | None:
    """A sentence that is mostly a quotation must say who speaks: a name or
    a description beside a speech verb; "he said" is repaired with the name
    when the sentences before make it certain."""
    st = ctx.sents[i]
    if st.quoted_words < 4 or st.quoted_words < 0.5 * st.words:
        if not (st.starts_inside and st.quoted_words >= 0.5 * st.words):
            return None
    if "according to" in st.outside:
        return None
    pron: tuple[str, int] | None = None
    lows = [w.lower() for w, _ in words]
    for k, w in enumerate(lows):
        if w not in SPEECH_VERBS:
            continue
        j = k - 1
        while j >= 0 and _ADVERB.match(lows[j]):
            j -= 1
        if _DESCRIBED_SUBJECT.search(_without_adverbs(st.outside[:words[k][1]])):
            return None  # "the pope said", "The 44-year-old IT manager added": a described speaker
        cands = [words[j]] if j >= 0 else []
        if k + 1 < len(words) and words[k + 1][0].lower() not in ("he", "she", "they"):
            cands.append(words[k + 1])  # "said Smith"; but in "said he would" the "he" is not the speaker
        for cw, cpos in cands:
            lw = cw.lower()
            if lw in ("he", "she") and cpos < words[k][1]:
                pron = pron or (cw, cpos)
            elif lw in PLURAL_PRONOUNS or lw in FIRST_PERSON or lw == "it":
                continue
            elif cw[:1].isupper() or lw in _SPEAKER_DET or lw in ROLE_NOUNS or lw.endswith(("ers", "ists", "ians")):
                return None
    if pron is None:
        # A sentence with its own attribution ("..., the source shared") is not a bare continuation.
        source = None if any(w in SPEECH_VERBS for w in lows) else ctx.quote_source(i)
        if source is None:
            return "quote without speaker"
        edits.append(Edit(0, 0, "", f"[{source[:1].upper()}{source[1:]} said:] ", "referent"))
        return None
    p = ctx.referent(i, pron[0].lower(), speech=True)
    name = p.name() if p else None
    if name is None or p.key in ctx.sents[i].mentions:
        return "quote without speaker"
    edits.append(Edit(pron[1], pron[1] + len(pron[0]), pron[0], f"[{name}]", "referent"))
    ctx.topic[i] = p
    return None


def _without_adverbs(text: str) -> str:
    """``text`` without the adverbs that end it ("Smith also", "she later")."""
    text = text.rstrip()
    while True:
        head, _, last = text.rpartition(" ")
        if not head or not _ADVERB.match(last.lower()):
            return text
        text = head.rstrip()


def _first_person(ctx: _Context, words: list[tuple[str, int]], edits: list[Edit]) -> str | None:
    """The reporter's own voice outside quotation marks. "told me" becomes
    "told [Outlet]" when the outlet is known; anything else is a fault."""
    hits = []
    for k, (w, pos) in enumerate(words):
        lw = w.lower()
        if lw not in FIRST_PERSON or (w == "US"):
            continue
        if w == "I" and k > 0 and words[k - 1][0][:1].isupper() and words[k - 1][1] > 0:
            continue  # "World War I", "Title I"
        if lw == "us" and w != "us" and pos > 0:
            continue  # "US" is the country
        hits.append((k, w, pos))
    if not hits:
        return None
    outlet = ctx.article.outlet
    if len(hits) == 1 and outlet and hits[0][1] in ("me", "us"):
        k, w, pos = hits[0]
        if k > 0 and words[k - 1][0].lower() in ("told", "tells", "wrote", "emailed", "texted"):
            edits.append(Edit(pos, pos + len(w), w, f"[{outlet}]", "outlet"))
            return None
    return "reporter's first person"


def _pronoun(ctx: _Context, i: int, words: list[tuple[str, int]], edits: list[Edit], begin: int) -> str | None:
    """A "he" or "his" outside quotation marks before any name in the
    sentence, as its subject, points back; so does the "she" of a closing
    ", she says.": replaced by the one name it can stand for, or a fault."""
    st = ctx.sents[i]
    fault = _subject_pronoun(ctx, i, words, edits, begin)
    if fault:
        return fault
    tail = _TAIL_PRONOUN.search(st.outside) if ("he " in st.outside or "He " in st.outside) else None
    if tail and not _QUOTE_AROUND.search(st.text) and not any(e.kind == "referent" for e in edits):
        return _replace(ctx, i, tail.group(1), tail.start(1), edits, speech=True) and "dangling pronoun"
    return None


def _subject_pronoun(ctx: _Context, i: int, words: list[tuple[str, int]], edits: list[Edit], begin: int) -> str | None:
    st = ctx.sents[i]
    names = [r.start for r in st.runs if r.who or not r.initial or len(r.tokens) > 1]
    first_name = min(names) if names else len(st.text)
    done = {e.start for e in edits}
    slot = _slot_end(st.outside[begin:])
    if slot is None:
        return None
    for w, pos in words:
        if pos < begin:
            continue
        if pos >= first_name or pos > begin + slot:
            return None
        lw = w.lower()
        if lw in PLURAL_PRONOUNS and not lw.endswith("selves"):
            return "dangling pronoun"
        if lw not in PERSON_PRONOUNS:
            continue
        if pos in done:
            return None
        comma = st.outside.find(", ", begin)
        if 0 <= comma < first_name and pos < comma and names and not st.outside[comma + 2:first_name].strip() \
                and _INTRO.match(st.outside[begin:]):
            return None  # "When he was 14, Rapp ...", "In his role, Kislyak ...": the name follows
        after = st.outside[pos + len(w):].split(None, 2)
        speech = bool(after) and (after[0].lower() in SPEECH_VERBS
                                  or (len(after) > 1 and _ADVERB.match(after[0].lower()) and after[1].lower() in SPEECH_VERBS))
        if _replace(ctx, i, w, pos, edits, speech):
            return "dangling pronoun"
        return None
    return None


def _slot_end(text: str) -> int | None:
    """Where the subject slot of a sentence ends (see _SLOT_START), or None
    when no pronoun is in it."""
    m = _SLOT_START.match(text)
    if m:
        return m.end()
    cut = _CLAUSE_END.search(text, 0, 170)
    if cut is None or text[cut.start():cut.start() + 2] != ", ":
        return None
    k = cut.start()
    if _PRONOUN_WORD.search(text, 0, k) and k <= 170:
        return k + 2  # in the opening phrase: "Prior to his posting, ..."
    m = _SLOT_AFTER_COMMA.match(text, k + 2) if k <= 80 else None
    return m.end() if m else None  # right after it: "On Wednesday, he said"


def _replace(ctx: _Context, i: int, w: str, pos: int, edits: list[Edit], speech: bool) -> bool:
    """Put the name in for the pronoun ``w`` at ``pos``; False when no one
    name is certain (the caller's fault)."""
    st = ctx.sents[i]
    lw = w.lower()
    p = ctx.referent(i, lw, speech)
    name = p.name() if p else None
    if name is None or p.key in st.mentions:
        return True
    if lw in ("his", "hers") or (lw == "her" and _possessive_her(st.text, pos)):
        apos = "’" if ctx.curly else "'"
        name = f"{name}{apos}s"
    # One name a sentence: a later "he" (a speaker's, say) refers back to this one.
    edits[:] = [e for e in edits if e.kind != "referent" or e.start < pos]
    edits.append(Edit(pos, pos + len(w), w, f"[{name}]", "referent"))
    if speech or not st.outside[:pos].strip(" \"“‘'"):
        ctx.topic[i] = p  # the sentence is about them: a "he" in the next one may be them too
    return False


def _possessive_her(text: str, pos: int) -> bool:
    nxt = text[pos + 3:].lstrip().split(" ", 1)[0].strip(".,;:!?\"”")
    return bool(nxt) and nxt.lower() not in STOP_WORDS and nxt[:1].islower()


def _finish(text: str, edits: list[Edit], begin: int) -> tuple[Edit, ...]:
    """Merge the dropped connective with what follows it: a name put in at
    the new start, or the capital letter the new start needs."""
    if not edits:
        return ()
    out = sorted(edits, key=lambda e: (e.start, e.end))
    if out[0].kind == "connective":
        conn = out.pop(0)
        if out and out[0].start == begin:
            nxt = out.pop(0)
            out.insert(0, Edit(0, nxt.end, text[:nxt.end], nxt.inserted, nxt.kind))
        elif begin < len(text) and text[begin].islower():
            out.insert(0, Edit(0, begin + 1, text[:begin + 1], text[begin].upper(), "connective"))
        else:
            out.insert(0, conn)
    return tuple(out)
