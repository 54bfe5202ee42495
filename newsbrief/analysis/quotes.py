"""Direct quotes, who said them, and every source that carried them.

Pure regular expressions over the cleaned text (no parser): quotes are found
by their marks, so the rules that matter are the news conventions around
them, applied in this order:

* A quote is the text between an opening and a closing mark, straight
  (``"``) or curly (``“ ”``). An opening mark at a paragraph start with no
  closing mark continues into the next paragraph when that one opens with a
  quote mark (the convention for quotes of several paragraphs).
* Pieces of one statement interrupted only by an attribution (“First,” he
  said, “second.”) are one quote, joined with " … ".
* Partial quotes (a phrase inside the reporter's sentence) are kept;
  :func:`is_partial` tells them apart from the text alone (fewer than four
  words, or starting in lower case), so the data model needs no new field.
* Scare quotes: a quote of one or two words with no speaker found is dropped
  (nicknames, titles, "so-called" words are no one's statement).
* The speaker comes from the quote's own sentence ("X said", "said X",
  "X, a former ..., told CNN", "according to X", "X described Y as"), a
  pronoun resolved to the nearest person, or, for a quote that is a sentence
  of its own, the speaker of the sentence before. The quote belongs to the
  nearest reporting verb ("X stated a man who told him “...”" is not X's).
  A quote away from its verb takes the one speaker its sentence's reporting
  clauses name ("Lott said the deputies fired because ... “in fear”");
  two speakers, or a subject no one can name, and it takes none. Titles of
  several words are stripped ("Richland County Sheriff Leon Lott"). A role
  noun ("the sheriff said") names a speaker only through ``resolve``
  (the one entity with that role). Precision first: None
  rather than a guess. A news outlet that relays ("told CNN", "the New York
  Times reported", "in an interview with the Guardian") becomes ``via``.
* The same quote in several sources (equal after normalising case, marks,
  punctuation and spaces, or one containing the other) is one Quote with a
  citation and exact spans from each source.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

from ..model import Article, Citation, Entity, Mention, Quote, Sentence
from ..text.lexicon import NAME_ABBREVIATIONS, ROLE_WORDS, SPEAKER_TITLES, TITLE_HEADS, role_words
from ..text.standalone import genders as standalone_genders

__all__ = ["extract_quotes", "is_partial", "normalize"]

Resolver = Callable[[str], "tuple[str, str] | None"]

_OPEN, _CLOSE = "“", "”"
_VERBS = (r"said|says|say|told|tells|tell|added|adds|wrote|writes|noted|notes|explained|explains|argued|argues|"
          r"tweeted|tweets|stated|states|asked|asks|continued|recalled|recalls|insisted|insists|warned|warns|"
          r"declared|claimed|claims|acknowledged|admitted|admits|conceded|replied|responded|remarked|observed|"
          r"suggested|posted|commented|announced|testified|joked|quipped|urged|predicted|cautioned|agreed|"
          r"emphasized|stressed|concluded|described|describes|called|calls|termed|added|saying|telling|writing|"
          r"adding|noting|explaining|arguing|tweeting|calling|describing|reported|reports|reporting|shouted|"
          r"reiterated|repeated|yelled|wondered|boasted|complained|lamented|mused|vowed|promised|pleaded|screamed|whispered|"
          r"read|reads|answered|answers|retorted|countered|shot back|fired back|interjected|snapped")
_REPORT = {"reported", "reports", "reporting"}
_TOK = rf"(?:(?:al|el|ad|as|ash|abu|bin|ibn)-[A-Z][\w-]*|(?:{'|'.join(NAME_ABBREVIATIONS)})\.|(?![AP]\.M\.)[A-Z]\.(?:[A-Z]\.)*|[A-Z][\w-]*(?:['’](?!s\b)[A-Za-z]+)?)"  # "K.", "U.S.", "O'Brien", not "Trump's"
_PART = r"(?:de|van|von|der|da|del|al|bin|la|le|di)"
_NAME = rf"{_TOK}(?:[ \t]+(?:{_TOK}|{_PART}(?=[ \t]+[A-Z])))*"
_PRON = r"(?:[Hh]e|[Ss]he|[Tt]hey)"
# ", a former U.S. ambassador to Georgia," (starting in lower case, so that
# "the Guardian, Evelyn Farkas, ..." is not read as the Guardian's appositive)
_APPOS = r"(?:[ \t]+\([^()\n]{1,40}\))?(?:,[ \t]+(?:[a-z0-9]|The |A |An |[A-Z]{2,}\b)[^,\"“”\n]{0,160}?(?:,[ \t]+[^,\"“”\n]{1,100}?)?,)?"
_OUTLET_SUFFIX = r"(?:Times|Post|Journal|News|Herald|Tribune|Guardian|Telegraph|Globe|Magazine|Daily|Gazette|Star|Sun|Independent|Mail|Express|Reporter|Chronicle|Observer|Examiner|Register|Inquirer|Bee|Republic|Today|Week|Wire|Press|Radio|TV|Network|Monitor|Standard)"
_OUTLETS = {"cnn", "nbc", "abc", "cbs", "fox", "msnbc", "npr", "bbc", "reuters", "ap", "afp", "associated press",
            "politico", "newsweek", "time", "vox", "vice", "buzzfeed", "bloomberg", "axios", "huffpost", "huffington post",
            "the hill", "people", "tmz", "slate", "salon", "the atlantic", "the new yorker", "rolling stone", "variety",
            "the guardian", "guardian", "cnbc", "espn", "pbs", "nbc news", "abc news", "cbs news", "fox news",
            "usa today", "foreign policy", "mic", "the daily beast", "daily beast", "mother jones", "breitbart",
            "the intercept", "propublica", "yahoo news", "sky news", "al jazeera", "the economist", "forbes", "wired",
            "bustle", "mashable", "gizmodo", "the verge", "techcrunch", "deadline", "e! news", "us weekly",
            "entertainment weekly", "60 minutes", "good morning america", "today", "the today show", "kyodo",
            "xinhua", "tass", "ria novosti", "interfax", "der spiegel", "le monde"}
# A role noun as a speaker ("the sheriff said", "her attorney said", "the
# 49-year-old father said"): a determiner, up to four words, the head.
_DET = r"(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)"
_ROLE = rf"{_DET}(?:[ \t]+[\w.'’-]+){{0,4}}?[ \t]+[A-Za-z][\w-]*"
_NOT_ROLE = {"statement", "report", "letter", "post", "tweet", "email", "release", "complaint", "lawsuit", "suit",
             "document", "documents", "filing", "message", "note", "sign", "article", "story", "study", "survey",
             "poll", "order", "memo", "affidavit", "indictment", "website", "site", "page", "video", "footage",
             "headline", "caption", "label", "notice", "ruling", "decision", "verdict", "book", "film", "show",
             "one", "first", "last", "same", "other", "next", "way", "time", "fact", "brochure", "flyer", "ad",
             "advertisement", "banner", "sign", "placard", "slogan", "motto", "title", "inscription", "text",
             "transcript", "warrant", "policy", "rule", "law", "bill", "agreement", "contract", "plan", "proposal",
             "paper", "newspaper", "magazine", "network", "channel", "blog", "account", "feed", "board"}
_NOT_PERSON = {"the", "a", "an", "but", "and", "in", "on", "at", "as", "it", "this", "that", "these", "those", "there",
               "when", "while", "after", "before", "if", "so", "yet", "still", "now", "then", "last", "next", "his",
               "her", "their", "our", "my", "we", "i", "you", "he", "she", "they", "what", "who", "why", "how",
               "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
               "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
               "according", "others", "some", "many", "both", "one", "two", "no", "not", "all", "also", "for",
               "from", "with", "by", "of", "to", "or", "during", "since", "under", "over", "though", "although",
               "meanwhile", "however", "yes", "oh", "well", "like", "three", "four", "five", "six", "seven", "eight",
               "nine", "ten"}
_ORG_WORDS = {"ministry", "council", "institute", "university", "center", "centre", "house", "department",
              "embassy", "party", "committee", "times", "post", "news", "journal", "association", "agency",
              "office", "administration", "court", "congress", "senate", "police", "church", "company", "corp",
              "inc", "group", "foundation", "school", "college", "union", "bank", "service", "commission",
              "board", "army", "navy", "force", "kremlin", "pentagon", "state", "states", "nations", "street",
              "city", "county", "airport", "hospital", "network", "club", "team", "league", "project"}


@dataclass(slots=True)
class _Piece:
    """One run of quoted text inside one paragraph (offsets exclude the marks)."""

    start: int
    end: int
    para: int
    closed: bool


@dataclass(slots=True)
class _Raw:
    """A quote found in one article, before merging across sources."""

    article: Article
    pieces: list[_Piece]
    speaker: str | None = None
    via: str | None = None
    attributed_by: str = ""  # how: "name", "pronoun", "previous", "" (none)

    @property
    def text(self) -> str:
        return " … ".join(self.article.text[slice(*_trim(self.article.text, p))] for p in self.pieces)


def _trim(text: str, p: _Piece) -> tuple[int, int]:
    """The piece without surrounding spaces and the comma that hands over to
    the attribution ("..., " he said)."""
    start, end = p.start, p.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


def normalize(text: str) -> str:
    """Case, quote marks, punctuation and spacing removed: the key two
    sources' copies of one quote share (one outlet writes "U.S.", another "US")."""
    return " ".join(re.sub(r"[^\w\s]|_", "", re.sub(r"[-–—…/]", " ", text.lower())).split())


def is_partial(quote: Quote | str) -> bool:
    """A partial quote is a phrase inside the reporter's own sentence: fewer
    than four words, or starting in lower case (a sentence would start with
    a capital)."""
    text = quote.text if isinstance(quote, Quote) else quote
    first = re.search(r"[A-Za-z]", text)
    return len(text.split()) < 4 or bool(first and first.group().islower() and not text.lstrip().startswith("["))


def extract_quotes(articles: list[Article], entities: list[Entity] | None = None) -> list[Quote]:
    """All direct quotes of prepared articles, attributed and merged across
    sources, in order of first appearance. With the story's ``entities``
    a speaker is linked to its entity (``speaker_id``, canonical name), a
    role noun ("the sheriff") names the one person with that role, places
    and things are never speakers, and "he" or "she" is only a person the
    story knows; without them the speaker is the name as written, titles
    stripped."""
    from . import name_resolver

    resolve = name_resolver(entities) if entities is not None else None
    story_names = _names(entities)
    raws = [r for a in articles for r in _article_quotes(a, resolve, entities, story_names)]
    return [_to_quote(g, resolve) for g in _merge(raws)]


# --- finding the quoted pieces -------------------------------------------------


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _pieces(text: str) -> list[list[_Piece]]:
    """Quoted runs, grouped into quotes that cross paragraphs. Within a
    paragraph a straight mark opens when nothing is open and closes otherwise;
    a quote left open at the end of a paragraph that it opened continues when
    the next paragraph opens with a quote mark."""
    groups: list[list[_Piece]] = []
    carry = False
    for pi, (ps, pe) in enumerate(_paragraphs(text)):
        # ‘‘doubled single marks’’ (some outlets' double quotes), read as “ ”
        # with offsets unchanged: otherwise a quote opened earlier runs on
        line = text[ps:pe].replace("‘‘", " “").replace("’’", "” ")
        lead = len(line) - len(line.lstrip())
        opens_here = line.lstrip().startswith(('"', _OPEN))
        cont = carry and opens_here
        carry = False
        opened: int | None = None
        for i, ch in enumerate(line):
            if ch not in '"“”':
                continue
            if opened is None:
                if ch != _CLOSE:
                    opened = i + 1
                continue
            closed = ch != _OPEN  # a second opening mark: the previous piece was never closed
            piece = _Piece(ps + opened, ps + i, pi, closed)
            opened = None if closed else i + 1
            if cont:
                groups[-1].append(piece)
                cont = False
            else:
                groups.append([piece])
        if opened is not None and len(line.rstrip()) > opened:
            piece = _Piece(ps + opened, ps + len(line.rstrip()), pi, False)
            if cont:
                groups[-1].append(piece)
            else:
                groups.append([piece])
            carry = opened == lead + 1 or (len(groups[-1]) > 1 and groups[-1][-2].para < pi)
    return [g for g in groups if any(text[p.start:p.end].strip() for p in g)]


# --- grouping and attribution --------------------------------------------------


def _sentence_at(a: Article, pos: int) -> Sentence | None:
    starts = [s.start for s in a.sentences]
    i = bisect.bisect_right(starts, pos) - 1
    return a.sentences[i] if i >= 0 else None


def _strip_titles(name: str) -> str:
    """"Former U.S. Ambassador Michael McFaul" -> "Michael McFaul"."""
    toks = name.replace("’s", "").split()
    while len(toks) > 2 and (toks[0].lower().rstrip(".") in SPEAKER_TITLES or re.fullmatch(r"[A-Z]{2,5}|[A-Z][a-z]{1,4}\.", toks[0])
                             or "-" in toks[0] and all(w.lower() in SPEAKER_TITLES or w.lower() in TITLE_HEADS
                                                       for w in toks[0].split("-"))):
        toks.pop(0)  # "LAPD Cmdr. Andy Smith", "Secretary-General Ban Ki-moon"
    while len(toks) > 1 and toks[0].lower().rstrip(".") in SPEAKER_TITLES:
        toks.pop(0)
    while len(toks) > 1 and toks[-1].lower().rstrip(".,") in {"jr", "sr"} | _NOT_PERSON:
        toks.pop()
    cut = max((i for i, t in enumerate(toks[:-1]) if t.lower().rstrip(".") in TITLE_HEADS), default=-1)
    toks = toks[cut + 1:]  # "Richland County Sheriff Leon Lott" -> "Leon Lott"
    return " ".join(toks).strip(" ,.")


def _outlet(name: str) -> str | None:
    """The outlet a name refers to, or None."""
    n = name.strip().rstrip(".,")
    low = re.sub(r"^the\s+", "", n.lower())
    if re.fullmatch(r"[KW][A-Z]{2,3}(?:-(?:TV|FM|AM|DT))?", n):
        return n  # a US broadcaster's call letters ("WOFL", "KTLA-TV")
    if low in _OUTLETS or n.lower() in _OUTLETS:
        return re.sub(r"^[Tt]he\s+", "the ", n)
    if re.fullmatch(rf"(?:[Tt]he\s+)?(?:[A-Z][\w.&'-]*\s+){{0,4}}{_OUTLET_SUFFIX}(?:\s+magazine)?", n):
        return n
    if re.fullmatch(r"(?:[Tt]he\s+)?[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*)*\s+magazine", n):
        return n
    return None


@dataclass(slots=True)
class _Names:
    """Who can be a speaker in one article. ``people``: person-like runs of
    its text; ``kinds``: what the story's entities say a name is (the regex
    alone takes "Texas Rangers" or "Lacey Act" for people); ``given``: a
    given name alone, for the one person of the story who has it."""

    people: set[str]
    kinds: dict[str, str] = field(default_factory=dict)
    given: dict[str, str] = field(default_factory=dict)
    orgs: list[str] = field(default_factory=list)
    roles: dict[str, set[str]] = field(default_factory=dict)  # a person's names -> the nouns of their roles


def _names(entities: list[Entity] | None) -> _Names:
    """What the story's entities say of names, once per story (``people``,
    which each article fills from its own text, left empty)."""
    kinds: dict[str, str] = {}
    given: dict[str, list[str]] = {}
    weight: dict[str, int] = {}
    for e in entities or ():
        for n in [e.name, *e.aliases]:  # one name, two types ("Hamas" tagged a person once): the more mentioned
            if len(e.mentions) > weight.get(n.lower(), -1):
                kinds[n.lower()], weight[n.lower()] = e.type, len(e.mentions)
        if e.type == "PERSON" and " " in e.name:
            for n in {n for n in e.aliases if " " not in n and n == e.name.split()[0]}:
                given.setdefault(n, []).append(e.name)
    orgs = [n for e in entities or () if e.type == "ORG" for n in [e.name, *e.aliases]]
    roles = {n.lower(): role_words(e.roles)
             for e in entities or () if e.type == "PERSON" for n in [e.name, *e.aliases]}
    return _Names(set(), kinds, {n: fs[0] for n, fs in given.items() if len(fs) == 1}, orgs, roles)



def _persons(a: Article) -> set[str]:
    """Person-like names of an article: runs of two or more capitalised words
    (titles stripped, no organisation word); a single word counts when it
    is the surname of one of them ("Courtney" after "William Courtney")."""
    out: set[str] = set()
    for m in re.finditer(_NAME, a.text):
        name = _strip_titles(m.group())
        toks = name.split()
        if len(toks) >= 2 and not _outlet(name) and not any(t.lower().strip(".,’'") in _ORG_WORDS | _NOT_PERSON for t in toks) \
                and all(len(t) > 1 for t in toks[-1:]):
            out.add(name)
    return out


def _person(name: str, names: _Names, strong: bool = False, pronoun: bool = False, org: bool = False) -> str | None:
    """The person (or organisation the story knows) a capitalised run names,
    or None (a place, an unknown org, a month).
    ``strong``: right after a quote ("...," said Grieg) a lone unknown
    surname is taken too. ``pronoun``: the candidate is who "he" or "she"
    is, so no organisation either. ``org``: the run is the subject of a
    reporting verb, where an organisation the story knows, as written,
    speaks for itself ("The LSE said:", "the Navy said in a statement")."""
    name = re.sub(r"^(?:\d{1,2}:\d\d\s+)?[AaPp]\.[Mm]\.\s+", "", name.strip())  # "4:25 P.M. Hamas ...": a timestamp
    written = re.sub(r"^[Tt]he\s+", "", name)
    if org and not _outlet(written):
        if names.kinds.get(written.lower()) == "ORG":
            return written
        longer = {k for k, t in names.kinds.items() if t == "ORG" and k.endswith(" " + written.lower())}
        if len(longer) == 1 and written.lower() in _ORG_WORDS:  # "the Navy said": the story's one "South Korean Navy"
            return next(e for e in names.orgs if e.lower() == longer.pop())
    toks = name.split()
    while len(toks) > 1 and toks[0].lower() in _NOT_PERSON:
        toks.pop(0)  # "But Juszkiewicz says"
    toks = _strip_titles(" ".join(toks)).split()
    name = " ".join(toks)
    if not toks or toks[0].lower() in _NOT_PERSON or _outlet(name):
        return None
    kind = names.kinds.get(name.lower())
    if kind not in (None, "PERSON", "ORG"):
        return None  # a place, a nationality: no one's words
    if pronoun and kind != "PERSON" and name not in names.given:
        return None  # "he" is a person the story knows, not any capitalised run ("the Lacey Act")
    if kind == "ORG" and not org:
        return None  # "a member of Hamas' bureau said": the organisation is not the one speaking
    if len(toks) > 1 and names.kinds and kind is None and name not in names.given.values():
        end = next((" ".join(toks[i:]) for i in range(1, len(toks))
                    if names.kinds.get(" ".join(toks[i:]).lower()) == "PERSON"), None)
        if end:  # "Human Rights Navi Pillay": the person the run ends with
            return end
        if not any(k.endswith(" " + name.lower()) and t == "PERSON" for k, t in names.kinds.items()):
            return None  # the story's parser saw no one of that name ("Pearl Harbor"); "Abu Zuhri" is Sami Abu Zuhri
    if name in names.people:
        return name
    if len(toks) == 1:
        if name in names.given:
            return names.given[name]  # "Hilario says": the one Hilario of the story
        full = [p for p in names.people if p.split()[-1] == name]
        ok = strong and name.lower() not in _ORG_WORDS | SPEAKER_TITLES and len(name) > 2
        return name if full or ok else None
    if any(t.lower().strip(".,’'") in _ORG_WORDS for t in toks):
        return None
    return name


_LEAD = r"^[\s,.!?:;—–’-]*"  # what may stand between a quote's closing mark and its attribution
_TAIL_NAME_VERB = re.compile(rf"{_LEAD}({_NAME}|{_PRON}){_APPOS}\s+(?:also\s+|later\s+|then\s+|(?:was|is) quoted as\s+)?"
                             rf"({_VERBS})\b")
_TAIL_VERB_NAME = re.compile(rf"{_LEAD}({_VERBS})\s+((?:[a-z][\w-]*\s+){{0,5}}?{_NAME})")
# "said the lead author, Dr. Sripal Bangalore, an associate professor": a role, then its holder's name
_TAIL_VERB_ROLE_NAME = re.compile(rf"{_LEAD}({_VERBS})\s+(?:{_DET}\s+)?(?:[a-z][\w-]*\s+){{0,3}}?"
                                  rf"(?:{'|'.join(sorted(ROLE_WORDS))}),\s+({_NAME})(?=,)")
# after an organisation named as the subject: its person ("the EIA's Andrea
# Johnson", "White House lawyer Ty Cobb")
_ROLE_THEN_NAME = re.compile(rf"(['’]s)?\s+((?:[a-z][\w-]*\s+){{0,3}})({_NAME})")
# The subject of a sentence, after any opening subordinate clause ("As her
# colleagues grilled Stumpf, Warren lit into ..."): who "he" or "she" in the
# next sentence most likely is.
_SUBJECT_FIRST = re.compile(rf"\s*(?:(?:And|But|So|Yet)\s+)?(?:(?i:as|when|while|after|before|although|though|if|because|"
                            rf"since|once|until|in|on|at|during|despite)\b[^,;]{{2,120}},\s+)?((?:[a-z][\w-]*\s+){{0,3}}{_NAME}){_APPOS}"
                            rf"\s+(?:[a-z]+ly\s+)?[a-z]")


def _role_words_ok(subject: str) -> bool:
    """Lower-case words before a subject's name are a role ("consultant
    plastic surgeon Neil Bulstrode"), not a clause ("police arrested Smith")."""
    lower = re.match(r"(?:[a-z][\w-]*\s+)*", subject).group(0).split()
    return not lower or lower[-1] in ROLE_WORDS


def _after_role(subject: str) -> str:
    return re.sub(r"^(?:[a-z][\w-]*\s+)+", "", subject)
_ACCORDING = re.compile(rf"according to\s+((?:[Tt]he\s+)?{_NAME})")
_HEAD_NAME_VERB = re.compile(rf"({_NAME}|{_PRON}){_APPOS}\s+(?:[a-z]+ly\s+|also\s+|has\s+|had\s+|have\s+|later\s+|then\s+|once\s+)?({_VERBS})\b([^\"“”]*)$")
_VIA = [
    re.compile(rf"\b(?:told|tells|telling|said to|speaking to|in an interview with|in an email to|in a statement to|on|to)\s+((?:[Tt]he\s+)?{_NAME}(?:\s+magazine)?)"),
    re.compile(rf"\b((?:[Tt]he\s+)?{_NAME}(?:\s+magazine)?)\s+(?:reported|reports|first reported|has reported|was first to report)\b"),
    re.compile(rf"according to\s+((?:[Tt]he\s+)?{_NAME}(?:\s+magazine)?)"),
    re.compile(rf"\b(?:cited by|citing|quoted by|quoted in|in an? (?:op-ed|interview|column|article|piece|essay|post) (?:for|in|with|on))\s+((?:[Tt]he\s+)?{_NAME})"),
]


def _via(text: str) -> str | None:
    for pat in _VIA:
        for m in pat.finditer(text):
            name = m.group(1)
            for cut in range(len(name.split()), 0, -1):  # "CNN in" -> the longest prefix that is an outlet
                out = _outlet(" ".join(name.split()[:cut]))
                if out:
                    return out
    return None


_FINITE_VERB = re.compile(rf"\b(?!\w+ing\b)(?!call(?:ed|s)?\s+(?:for|on|off|up)\b)(?:{_VERBS})\b")
_SAME_SUBJECT = re.compile(r"\b(?:and|but|or|then|was|were|is|are|be|been|being|to)\s+(?:[a-z]+ly\s+)?$")


def _new_speaker_verb(text: str, pos: int = 0) -> re.Match[str] | None:
    """A finite reporting verb with a subject of its own (not "... and
    stressed", not a passive "was told")."""
    return next((v for v in _FINITE_VERB.finditer(text, pos) if not _SAME_SUBJECT.search(text[max(0, v.start() - 40):v.start()])),
                None)


_SUBJECT = re.compile(rf"(?:({_NAME})|({_PRON})|({_ROLE})){_APPOS}[ \t]+(?:[a-z]+ly[ \t]+|also[ \t]+|has[ \t]+|had[ \t]+|"
                      rf"have[ \t]+|later[ \t]+|then[ \t]+|once[ \t]+|earlier[ \t]+|again[ \t]+)?$")
_WHO_SAID = re.compile(rf"({_NAME}){_APPOS}\s+who\s+(?:also\s+|later\s+)?(?:{_VERBS})\b[^“”\"]*$")
# "a BP spokesman said", "a spokeswoman for the Navy, Ann Lee, said"
_SPOKESPERSON = re.compile(rf"{_LEAD}(?:[Aa]n?|[Tt]he|[Oo]ne)\s+(?:({_NAME})(?:['’]s)?\s+)?(?:spokes(?:man|woman|person)|"
                           rf"representative)(?:\s+for\s+(?:the\s+)?({_NAME}))?(?:,\s+({_NAME}),)?\s+(?:{_VERBS})\b")
_TAIL_ROLE_VERB = re.compile(rf"{_LEAD}({_ROLE}){_APPOS}\s+(?:[a-z]+ly\s+|also\s+|later\s+|then\s+)?({_VERBS})\b")


def _person_of(before: str, names: _Names) -> str | None:
    """The person right before "of" an organisation that is a reporting
    verb's subject ("Charles Lago of DTLA Entertainment Group, ..., said")."""
    m = re.search(rf"({_NAME})\s+of\s+(?:the\s+)?$", before)
    return m.group(1) if m and _person(m.group(1), names) else None


def _role(phrase: str) -> str | None:
    """A role phrase that can name a person ("the sheriff", "her attorney"),
    or None for a document or a thing ("the statement", "the sign")."""
    head = phrase.split()[-1].lower()
    return None if head in _NOT_ROLE or head in _NOT_PERSON else phrase


def _clause_speakers(masked: str, persons: _Names, resolve: Resolver | None) -> list[str | None]:
    """Who the reporting verbs of a sentence (quotes blanked out) name, one
    entry a verb: a person, "role:<phrase>" for a role noun no resolver
    named, or None for a subject that is no one we can name ("who told him",
    "the statement read", "officials said")."""
    out: list[str | None] = []
    for v in _FINITE_VERB.finditer(masked):
        before = masked[max(0, v.start() - 240):v.start()]
        if _SAME_SUBJECT.search(before):
            continue  # the same subject again ("said ... and stated"), or a passive ("was told")
        m = _SUBJECT.search(before)
        if m and m.group(1):
            toks = m.group(1).split()
            while len(toks) > 1 and toks[0].lower() in _NOT_PERSON:
                toks.pop(0)  # "While Lott said"
            name = " ".join(toks)
            name = _person_of(before[:m.start(1)], persons) or name
            if _outlet(name):
                continue  # an outlet reporting: via, not a speaker
            p = _person(name, persons, org=True)
            if p is None and (r := _role_of_name(name)):
                got = resolve(r) if resolve else None
                out.append(got[1] if got else f"role:{r}")
            else:
                out.append(p)
        elif m and m.group(2):
            out.append(None)  # "he said": who he is is a guess here, precision first
        elif m and m.group(3):
            r = _role(m.group(3))
            got = resolve(r) if r and resolve else None
            out.append(got[1] if got else f"role:{r}" if r else None)
        elif re.search(r"(?:^|[,\"“”])\s*$", before) and (n := re.match(rf"\s+({_NAME})", masked[v.end():])):
            out.append(_person(n.group(1), persons, strong=True))  # “...,” said Ann Lee
        else:
            out.append(None)
    return out


def _role_of_name(name: str) -> str | None:
    """"The Bexar County Sheriff": a capitalised run that ends in a title is a
    role, not a name."""
    toks = name.split()
    if toks and toks[-1].lower().rstrip(".") in TITLE_HEADS:
        return name if toks[0].lower() in {"the", "his", "her", "their", "its"} else "the " + name
    return None


def _speaker(raw: str, persons: _Names, pron_ctx: Callable[[str | None], str | None], verb: str,
             strong: bool = False) -> tuple[str | None, str]:
    """A name from an attribution: a person, an outlet that speaks for itself
    ("Newsweek termed him"), or a pronoun resolved by ``pron_ctx``."""
    if re.fullmatch(_PRON, raw):
        gender = {"he": "m", "she": "f"}.get(raw.lower())
        return (pron_ctx(gender), "pronoun") if raw.lower() != "they" else (None, "")
    out = _outlet(raw)
    if out:
        return (None, "") if verb in _REPORT else (re.sub(r"^the\s+", "", out, flags=re.I), "name")
    p = _person(raw, persons, strong, org=True)
    if p:
        return p, "name"
    return None, ""


def _article_quotes(a: Article, resolve: Resolver | None, entities: list[Entity] | None,
                    story_names: _Names) -> list[_Raw]:
    return _ArticleQuotes(a, resolve, entities, story_names).quotes()


def _join_statements(text: str, groups: list[list[_Piece]]) -> list[list[_Piece]]:
    """Pieces of one statement split only by an attribution (“A,” he said, “B.”) as one quote."""
    joined: list[list[_Piece]] = []
    for g in groups:
        if joined:
            prev = joined[-1][-1]
            gap = text[prev.end + 1:g[0].start - 1]
            if prev.para == g[0].para and prev.closed and text[prev.start:prev.end].rstrip().endswith(",") \
                    and len(gap.split()) <= 30 and _is_attribution(gap):
                joined[-1].extend(g)
                continue
        joined.append(g)
    return joined


@dataclass(slots=True)
class _Site:
    """Where one quote sits: its first sentence, the reporter's words before
    it in that sentence (``head``), after it (``tail``, up to ``tail_end``:
    the next sentence too when it is the attribution, “...!” he said.) and
    between its pieces (``gaps``)."""

    s0: Sentence | None
    head: str
    tail: str
    tail_end: int
    gaps: list[str]


@dataclass(slots=True)
class _Found:
    """What the attribution steps found so far: a speaker and how, or a role
    noun no one could name (``role``), which ends the search: precision first."""

    speaker: str | None = None
    how: str = ""
    role: str | None = None


class _ArticleQuotes:
    """The quotes of one article and who said them. Attribution is a list of
    steps (``_STEPS``) tried in order; each handles one news convention and
    returns what it found, or None when its convention does not apply."""

    def __init__(self, a: Article, resolve: Resolver | None, entities: list[Entity] | None,
                 story_names: _Names) -> None:
        self.a, self.text, self.resolve = a, a.text, resolve
        self.groups = _pieces(a.text)
        self.persons = replace(story_names, people=_persons(a))
        self.labels = _speaker_labels(a, self.persons)
        self.known = entities is not None
        self.genders = _genders(a, self.persons)
        self.all_pieces = [p for g in self.groups for p in g]
        self.last_speaker: list[tuple[int, str]] = []  # (end of a quote, its speaker), in article order

    def quotes(self) -> list[_Raw]:
        """The article's quotes, attributed; scare quotes, titles and words talked about left out."""
        raws: list[_Raw] = []
        for g in _join_statements(self.text, self.groups):
            q = self._site(g)
            via = _via(q.tail) or _via(q.head) or next((v for gp in q.gaps if (v := _via(gp))), None)
            found = self._attribute(q)
            r = _Raw(self.a, g, found.speaker, via, found.how)
            if found.speaker:
                self.last_speaker.append((g[-1].end, found.speaker))
            if len(r.text.split()) <= 2 and not found.speaker or _is_title(r.text) or _MENTIONED.search(q.head):
                continue  # an unattributed scare quote, a title, a word talked about ("the word “verify”"), a sign's text
            raws.append(r)
        return raws

    def _site(self, g: list[_Piece]) -> _Site:
        """The words around quote ``g`` that the attribution steps read."""
        a, text = self.a, self.text
        first, last = g[0], g[-1]
        s0 = _sentence_at(a, first.start)
        s1 = _sentence_at(a, max(last.end - 1, last.start))
        head = text[s0.start:max(first.start - 1, s0.start)] if s0 else ""
        tail_end = s1.end if s1 else last.end
        if s1 and last.end + 1 >= s1.end and s1.index + 1 < len(a.sentences):
            nxt = a.sentences[s1.index + 1]  # attribution after a quote that ends its sentence: “...!” he said.
            if nxt.paragraph == s1.paragraph and re.match(r"[a-z]", nxt.text):
                tail_end = nxt.end
        tail = text[min(last.end + 1, tail_end):tail_end]
        gaps = [text[p.end + 1:q.start - 1] for p, q in zip(g, g[1:]) if p.para == q.para]
        return _Site(s0, head, tail, tail_end, gaps)

    def _attribute(self, q: _Site) -> _Found:
        """The first step to find a speaker wins; after a role noun no one
        could name only "according to X" still names one."""
        found = _Found()
        for step in self._STEPS:
            if found.speaker:
                break
            if not found.role or step is _ArticleQuotes._according_to:
                found = step(self, q, found) or found
        return found

    # --- "he" and "she" ---------------------------------------------------------

    def _pron(self, q: _Site, before: str | None = None) -> Callable[[str | None], str | None]:
        """Who "he" or "she" is for this quote, reading ``before`` (the quote's head) as the words before it."""
        return partial(self._he_or_she, before=q.head if before is None else before, s0=q.s0)

    def _fits(self, name: str, gender: str | None) -> bool:
        """``name`` is not shown by the article to be of another gender than ``gender``."""
        return not gender or self.genders.get(name, self.genders.get(name.split()[-1], gender)) == gender

    def _he_or_she(self, gender: str | None = None, before: str = "", s0: Sentence | None = None) -> str | None:
        """He/she: the speaker of an earlier quote in the same sentence, else
        the last person named before it in the sentence, else the subject
        of the sentence before, else the last speaker; never someone the
        article shows to be of the other gender ("she said" is not Stumpf's)."""
        last = self.last_speaker
        if s0 and last and last[-1][0] >= s0.start and self._fits(last[-1][1], gender):
            return last[-1][1]
        names = [p for m in re.finditer(_NAME, before)
                 if (p := _person(m.group(), self.persons, pronoun=self.known)) and self._fits(p, gender)]
        if names:
            return names[-1]
        return self._subject_before(s0, gender) if s0 else None

    def _subject_before(self, s0: Sentence, gender: str | None) -> str | None:
        """The speaker or subject of the nearest sentence before ``s0`` that
        names someone (at most three looked at); None when no one is in view:
        the last speaker, further back, would be a guess."""
        persons, known = self.persons, self.known
        looked = 0
        for k in range(s0.index - 1, max(s0.index - 9, -1), -1):
            if looked == 3:
                break
            prev = self.a.sentences[k]
            said = [n for e, n in self.last_speaker if prev.start <= e <= prev.end and self._fits(n, gender)]
            if said:
                return said[0]
            if _PRONOUN_SUBJECT.match(prev.text):
                continue  # "He said Jane ... went ahead", "Still, she can see why ... Kaczynski's saw": the one of before
            looked += 1
            plain = _unquoted(prev.text)
            talking = {c for c in _clause_speakers(plain, persons, self.resolve) if c and not c.startswith("role:")}
            talking = {c for c in talking if (p := _person(c, persons, pronoun=known)) and self._fits(p, gender)}
            if len(talking) == 1:
                return talking.pop()  # "..., Mr Sorkin added.": the one speaking in the sentence before
            if (m := _SUBJECT_FIRST.match(plain)) and _role_words_ok(m.group(1)) \
                    and (p := _person(_after_role(m.group(1)), persons, pronoun=known)) and self._fits(p, gender):
                return p  # "As her colleagues grilled Stumpf, Warren lit into ...": its subject
            names = [p for m in re.finditer(_NAME, plain)
                     if (p := _person(m.group(), persons, pronoun=known)) and self._fits(p, gender)]
            full = {n for n in names if " " in n}
            if known and len(full | {n for n in names if not any(f.split()[-1] == n for f in full)}) > 1:
                return None  # "Mollie Olgin ..., Mario Olgin knew": two people, "he" is a guess
            if names:
                return names[0]
        return None

    # --- the attribution steps, in order ----------------------------------------

    def _after_quote(self, q: _Site, found: _Found) -> _Found | None:
        """An attribution right after the quote or between its pieces (“...,” Ann Lee said / said Ann Lee)."""
        for ctx in [*q.gaps, q.tail]:
            found = self._attribution_in(ctx, q) or found
            if found.speaker or found.role:
                break
        return found

    def _attribution_in(self, ctx: str, q: _Site) -> _Found | None:
        """The attribution that opens ``ctx``: name and verb either way round, a spokesperson, a role noun."""
        m = _TAIL_NAME_VERB.match(ctx)
        if m:
            pron = self._pron(q, q.head + ctx[:m.start(1)])
            return _Found(*_speaker(m.group(1), self.persons, pron, m.group(2), strong=True))
        m = _TAIL_VERB_NAME.match(ctx) or _TAIL_VERB_ROLE_NAME.match(ctx)
        if m:
            name = re.sub(r"^(?:[a-z][\w-]*\s+)+", "", m.group(2))
            if (n := _ROLE_THEN_NAME.match(ctx, m.end())) and (n.group(1) or n.group(2).split()[-1:] and
                                                              n.group(2).split()[-1] in ROLE_WORDS):
                name = n.group(3)  # "said White House lawyer Ty Cobb": the person, not the employer
            return _Found(*_speaker(name, self.persons, self._pron(q), m.group(1), strong=True))
        if sp := _SPOKESPERSON.match(ctx):
            # “...,” a BP spokesman said: the organisation speaks (a named one is the person)
            named = _person(sp.group(3), self.persons) if sp.group(3) else None
            org = sp.group(1) or sp.group(2)
            speaker = named or (_person(org, self.persons, org=True) if org else None)
            return _Found(speaker, "spokesperson" if speaker else "", None if speaker else sp.group(0))
        if (m := _TAIL_ROLE_VERB.match(ctx)) and (role := _role(m.group(1))):
            got = self.resolve(role) if self.resolve else None  # “...,” the sheriff said.
            if got and q.s0 and q.s0.index > 0 and self._someone_else_in_view(role, got[1], q.s0):
                got = None
            return _Found(got[1], "role", role) if got else _Found(None, "", role)
        return None

    def _someone_else_in_view(self, role: str, holder: str, s0: Sentence) -> bool:
        """"The senator asked Stumpf ... “No,” the executive answered": a
        description is someone in the sentence before, not another holder of
        the role; "One student ... says ... “...,” the student said" is that unnamed one."""
        prev = _unquoted(self.a.sentences[s0.index - 1].text)
        view = {p.split()[-1] for m in re.finditer(_NAME, prev) if (p := _person(m.group(), self.persons))}
        head_noun = role.split()[-1]
        return bool(view and holder.split()[-1] not in view or
                    re.search(rf"\b(?:[Aa]n?|[Oo]ne|[Aa]nother)\s+(?:[\w-]+\s+){{0,2}}{re.escape(head_noun)}\b", prev))

    def _said_before(self, q: _Site, found: _Found) -> _Found | None:
        """The "X said" nearest before the quote in its sentence (not when a document attributes it after)."""
        m = _last_attribution(q.head) if not _DOC_ATTRIBUTION.search(q.tail) else None  # ", the complaint adds"
        if m and len(m.group(3).split()) <= 25 and not _new_speaker_verb(m.group(3)):
            subject = _person_of(q.head[:m.start(1)], self.persons) or m.group(1)
            return _Found(*_speaker(subject, self.persons, self._pron(q, q.head[:m.start(1)]), m.group(2)))
        return None

    def _according_to(self, q: _Site, found: _Found) -> _Found | None:
        """"according to X", after the quote or before it."""
        m = _ACCORDING.search(q.tail) or _ACCORDING.search(q.head)
        if m:
            return _Found(*_speaker(m.group(1), self.persons, self._pron(q), "according"), found.role)
        return None

    def _introduced(self, q: _Site, found: _Found) -> _Found | None:
        """A sentence's subject introducing the quote with a colon ("..., Martin supports it: “I think ...”")."""
        if q.head.rstrip().endswith(":") and (m := _SUBJECT_FIRST.match(_unquoted(q.head))) \
                and _role_words_ok(m.group(1)) and (p := _person(_after_role(m.group(1)), self.persons, org=True)):
            return _Found(p, "introduced")
        return None

    def _document(self, q: _Site, found: _Found) -> _Found | None:
        """A document's words (“...,” the iSight report says): its authors', or no one we can name."""
        owner = _document_owner(self.text, q.s0.start if q.s0 else 0, q.head, q.tail, self.persons)
        if owner:
            return _Found(owner, "document")
        doc = _DOC_ATTRIBUTION.search(q.tail)
        return _Found(None, "", doc.group(0)) if doc else None  # "the complaint adds": of no known author

    def _who_said(self, q: _Site, found: _Found) -> _Found | None:
        """"Arnelle Simpson, his oldest daughter, who said her father was “...”"."""
        if (w := _WHO_SAID.search(q.head)) and (p := _person(w.group(1), self.persons)):
            return _Found(p, "name")
        return None

    def _one_name_before_verb(self, q: _Site, found: _Found) -> _Found | None:
        """The one person named before a reporting verb of the head ("Kislyak hasn't sugarcoated ..., saying ... “...”")."""
        head = q.head
        if (v := re.search(rf"\b(?:{_VERBS})\b", head)) \
                and not re.search(r"\b(?:which|who|that)\s+(?:\w+ly\s+)?$", head[:v.start()]) \
                and not _new_speaker_verb(head, v.end()):
            names = {p for m in re.finditer(_NAME, head[:v.start()])
                     if not re.match(r"['’]s\b", head[m.end():]) and (p := _person(m.group(), self.persons))}
            if len(names) == 1:
                return _Found(names.pop(), "name")
        return None

    def _clause_speaker(self, q: _Site, found: _Found) -> _Found | None:
        """The one speaker the sentence's reporting clauses name, wherever the
        quote sits (“Still, Lott said, people shouldn't "lose sight"”)."""
        if not q.s0:
            return None
        lo, hi = q.s0.start, q.tail_end
        chars = list(self.text[lo:hi])
        for p in self.all_pieces:
            for i in range(max(p.start, lo), min(p.end, hi)):
                chars[i - lo] = " "
        cands = _clause_speakers("".join(chars), self.persons, self.resolve)
        keys = {c.split()[-1].lower() if c else None for c in cands}
        if len(keys) != 1 or not cands[0]:
            return None
        if not cands[0].startswith("role:"):
            return _Found(cands[0], "clause")
        role = cands[0][5:]
        if (p := _described_in_view(role, q.s0, self.a, self.persons)):
            return _Found(p, "role")  # "Warren moved on ... The senator asked Stumpf, “...?”"
        return _Found(None, found.how, role)

    def _previous_speaker(self, q: _Site, found: _Found) -> _Found | None:
        """A quote that is a sentence of its own: the speaker of the sentence before, or of this paragraph."""
        s0 = q.s0
        if not s0 or s0.index == 0 or not _bare_head(q.head) or not _unattributed(q.tail):
            return None
        prev = self.a.sentences[s0.index - 1]
        if s0.paragraph - prev.paragraph > 1:
            return None
        since = min(prev.start, next(x.start for x in self.a.sentences if x.paragraph == s0.paragraph))
        before = [(e, n) for e, n in self.last_speaker if e >= since]
        if before:
            return _Found(before[-1][1], "previous")
        m = re.search(rf"({_NAME}){_APPOS}\s+(?:{_VERBS})\b", prev.text)
        if m and (p := _person(m.group(1), self.persons)):
            return _Found(p, "previous")
        if self.known and (m := re.match(rf"(?:And\s+|But\s+)?(He|She)\s+(?:also\s+)?(?:{_VERBS})\b", prev.text)):
            # "He says they're worried ..." then the quote: who "he" is there
            return _Found(self._he_or_she("m" if m.group(1) == "He" else "f", "", prev), "previous")
        if prev.text.rstrip().endswith(":") and (m := _SUBJECT_FIRST.match(_unquoted(prev.text))) \
                and _role_words_ok(m.group(1)):
            # "Warren used the rest of her time to question Stumpf:" introduces what follows
            return _Found(_person(_after_role(m.group(1)), self.persons, pronoun=self.known), "introduced")
        return None

    def _section_label(self, q: _Site, found: _Found) -> _Found | None:
        """An oral history's "JON STEWART:" section: “...,” I said / I thought (the words right around this quote)."""
        near = re.split(r"[”\"]", q.head)[-1] + " " + re.split(r"[“\"]", q.tail)[0]
        if q.s0 and (who := self.labels.get(q.s0.index)) and _first_person_speech(near):
            return _Found(who, "label")
        return None

    _STEPS = (_after_quote, _said_before, _according_to, _introduced, _document, _who_said, _one_name_before_verb,
              _clause_speaker, _previous_speaker, _section_label)


def _unattributed(tail: str) -> bool:
    """Nothing after a quote that opens its sentence, or the reporter going on (“...,” which allowed them to ...)."""
    return not tail.strip(" .,!?\n") or (not re.search(rf"\b(?:{_VERBS})\b", tail) and not re.search(_NAME, tail))


def _bare_head(head: str) -> bool:
    """Nothing before a quote in its sentence but the reporter's few words ("And it's “the earliest ...”")."""
    return not head.strip() or (len(head.split()) <= 4 and not re.search(rf"\b(?:{_VERBS})\b", head)
                                and not re.search(_NAME, head[1:]) and not re.search(r"[“”\"]", head))


_LABEL_ALONE = re.compile(r"((?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w'’-]*)(?:\s*\([^)]{0,200}\))?:")
_LABEL_INLINE = re.compile(r"((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'’-]*):\s")
_FIRST_PERSON = re.compile(r"\b(?:I|I’m|I'm|I’d|I'd|my|me|we)\b")
_SPEECH_OR_THOUGHT = re.compile(rf"\b(?:{_VERBS}|thought|think|like|told)\b")


def _first_person_speech(near: str) -> bool:
    """The words around a quote tell the narrator's own words or thoughts:
    the speech verb nearest the quote has "I" or "we" for subject ("I just
    said to him", "It always struck me as"), not someone else ("a call from
    my agent saying", "I was told")."""
    if re.search(r"\b(?:was|were) told\b", near):
        return False
    verbs = list(_SPEECH_OR_THOUGHT.finditer(near))
    if not verbs:
        return bool(_FIRST_PERSON.search(near))
    v = verbs[-1]
    return bool(re.search(r"\b(?:I|we)\b", " ".join(near[:v.start()].split()[-3:])))


def _speaker_labels(a: Article, names: _Names) -> dict[int, str]:
    """Sentence index -> the speaker an oral history or a transcript labels
    its section with ("JON STEWART (host, 1999-2015):" on a line of its own,
    "Ricks: Yeah, I read each one.", an interview's "MD:"), until the next label. Only labels
    that name a person the article knows count ("UPDATE:" and "Photo:" do
    not)."""
    out: dict[int, str] = {}
    who, para = None, -1
    for st in a.sentences:
        if st.paragraph != para:
            para = st.paragraph
            m = _LABEL_ALONE.fullmatch(st.text.strip()) or _LABEL_INLINE.match(st.text)
            if m:
                name = m.group(1)
                if re.fullmatch(r"[A-Z]{2,3}", name):  # "MD:" in an interview: the one person of those initials
                    by = [p for p in names.people if "".join(w[0] for w in p.split()) == name]
                    name = by[0] if len(by) == 1 else name
                elif name.isupper():  # "CINDY MCCAIN": the person of that name, as the article spells it
                    name = next((p for p in names.people if p.lower() == name.lower()), name.title())
                who = _person(name, names) if name.lower() in names.kinds or name in names.people \
                    or name.split()[-1] in {p.split()[-1] for p in names.people} else None
        if who:
            out[st.index] = who
    return out


# A sentence whose subject is "he" or "she" (after an opening word or phrase:
# "Still, she ...", "In 2009 she ...")
_PRONOUN_SUBJECT = re.compile(r"(?:(?:But|And|Still|Yet|So|Then|Now|Also|Later|Instead)\s+|[^,;\"“”]{1,60},\s+|In \d{4}\s+)?"
                              r"(?:[Hh]e|[Ss]he)\b")
_CLAUSE_PRONOUN = re.compile(r"(?:,|;|\band|\bbut|\bwhen|\bas|\bbecause|\bthat|\bsaid|\bsays)\s+(he|she)\b")


def _genders(a: Article, names: _Names) -> dict[str, str]:
    """Name -> "m" / "f" as the article shows it: the signs context repair
    reads (:func:`~newsbrief.text.standalone.genders`, by surname, kept
    only for a surname one person of the article has: Mollie and Mario
    Olgin are not one gender), and for the quotes also a subject pronoun
    that takes up a sentence's opening person before anyone else is named
    ("Mollie Olgin dreamed ..., but when she didn't show up ..."; by full
    name; possessives are not read: "Trump praised her")."""
    shared = {k for k, n in Counter(p.split()[-1] for p in names.people).items() if n > 1}
    out = {k: g for k, g in standalone_genders(a).items() if k not in shared}
    signs: dict[str, set[str]] = {}
    for st in a.sentences:
        text = _unquoted(st.text)
        m = _SUBJECT_FIRST.match(text)
        who = _person(m.group(1), names) if m else None
        if not who or m.start(1) > 0 and text[:m.start(1)].strip():
            continue
        rest = text[m.end(1):]
        other = next((n.start() for n in re.finditer(_NAME, rest) if n.start() > 0 and _person(n.group(), names)), len(rest))
        if (p := _CLAUSE_PRONOUN.search(rest[:other])):
            signs.setdefault(who, set()).add("m" if p.group(1) == "he" else "f")
    for key, got in signs.items():
        if len(got) == 1 and key not in out:
            out[key] = got.pop()
    return out


_MENTIONED = re.compile(r"\b(?:the (?:word|words|term|terms|phrase|name|label|title|slogan|hashtag)|so-called|dubbed|"
                        r"nicknamed|known as|titled|entitled|headlined|"
                        r"(?:signs?|banners?|placards?|posters?|(?:t-)?shirts?)(?: that)? (?:read|reads|reading|said|saying)"
                        r",?)\s*$", re.I)
_DOC_NOUNS = r"report|statement|study|letter|notice|release|filing|memo|complaint|lawsuit|paper"
_DOC_ATTRIBUTION = re.compile(rf"(?:according to\s+|{_LEAD}|,\s+)(?:the|its|a)\s+(?:([A-Za-z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*)"
                              rf"(?:['’]s)?\s+)?(?:[a-z]+\s+){{0,2}}?({_DOC_NOUNS})\b\s*(?:{_VERBS}|$|[,.])")
_DOC_OWNER = re.compile(rf"\b(?:the|a|an|its)\s+([A-Za-z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*)(?:['’]s)?\s+(?:[a-z]+\s+){{0,2}}?({_DOC_NOUNS})\b")


def _document_owner(text: str, start: int, head: str, tail: str, names: _Names) -> str | None:
    """Who a document speaks for, when the quote's attribution is one ("the
    report says", "according to the iSight report", "the statement
    said"): the organisation or person named with it, or the one named with
    the last mention of that kind of document before the quote. Only names
    the story knows as an organisation or a person."""
    m = _DOC_ATTRIBUTION.search(tail) or _DOC_ATTRIBUTION.search(re.split(r"[”\"]", head)[-1])
    if not m:
        return None

    def known(name: str | None) -> str | None:
        if not name or name.lower() in _NOT_PERSON or name.islower() or _outlet(name):
            return None  # "the January report", "the Times report" (an outlet relays)
        kind = names.kinds.get(name.lower())
        if kind in ("ORG", "PERSON") or kind is None and len(re.findall(rf"\b{re.escape(name)}\b", text)) >= 2:
            return name  # a name the story knows, or one the article keeps naming ("iSight")
        return None

    if m.group(1):
        return known(m.group(1))
    owners = [o.group(1) for o in _DOC_OWNER.finditer(text[:start]) if o.group(2) == m.group(2) and known(o.group(1))]
    return owners[-1] if owners else None


def _described_in_view(role: str, s0: Sentence, a: Article, names: _Names) -> str | None:
    """The one person named in the sentence before (or this one) whose
    roles carry the description's noun ("the senator" after "Warren moved
    on ...", when Sen. Elizabeth Warren is the one senator in view)."""
    noun = role.split()[-1].lower()
    texts = [_unquoted(a.sentences[s0.index - 1].text)] if s0.index > 0 else []
    view = {p for t in texts + [_unquoted(s0.text)] for m in re.finditer(_NAME, t) if (p := _person(m.group(), names))}
    fits = {p for p in view if noun in names.roles.get(p.lower(), set()) | names.roles.get(p.split()[-1].lower(), set())}
    return fits.pop() if len(fits) == 1 else None


def _unquoted(text: str) -> str:
    """The reporter's words of a sentence: a name inside a quote ("… this
    was Kieran's decision") is someone spoken of, not a speaker."""
    return re.sub(r"[“\"][^”\"]*(?:[”\"]|$)", " ", text)


def _last_attribution(head: str) -> re.Match[str] | None:
    """The "X said" nearest the quote: the latest verb, and for it the
    earliest name (the subject before its appositive, not a word inside it)."""
    found, pos = [], 0
    while (m := _HEAD_NAME_VERB.search(head, pos)) is not None:
        found.append(m)
        pos = m.start() + 1
    return min(found, key=lambda m: (-m.start(2), m.start(1)), default=None)


def _is_title(text: str) -> bool:
    """“Two Fat Ladies”, “A History of English Food”: every longer word
    capitalised, no inner sentence end; a title, not a statement."""
    words = re.findall(r"[\w'’]+", text)
    if re.search(r"\b[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)* vs?\. [A-Z]", text) and len(words) <= 8:
        return True  # "The People v. O.J. Simpson": a case or a show
    return 2 <= len(words) <= 8 and not re.search(r"[.!?]\s", text) \
        and all(w[0].isupper() or w[0].isdigit() for w in words if len(w) > 3 or w == words[0])


def _is_attribution(gap: str) -> bool:
    """Only an attribution between two pieces: ``, he said, `` or
    ``, Mark Galeotti, a Russia expert, told me. ``"""
    g = gap.strip()
    if not g or not g.rstrip(" ").endswith((",", ".", ":", "—", ";")):
        return False
    return bool(_TAIL_NAME_VERB.match(gap) or _TAIL_VERB_NAME.match(gap) or _TAIL_ROLE_VERB.match(gap))


# --- merging across sources -----------------------------------------------------


def _merge(raws: list[_Raw]) -> list[list[_Raw]]:
    """Group copies of one quote: equal normalised text, or one containing
    the other when the shorter has four words or more."""
    groups: list[tuple[list[str], list[_Raw]]] = []
    for r in raws:
        key = normalize(r.text)
        for keys, members in groups:
            if any(key == k or (min(len(key.split()), len(k.split())) >= 4 and (key in k or k in key)) for k in keys):
                keys.append(key)
                members.append(r)
                break
        else:
            groups.append(([key], [r]))
    return [m for _, m in groups]


def _to_quote(group: list[_Raw], resolve: Resolver | None) -> Quote:
    best = max(group, key=lambda r: len(r.text))
    speaker = next((r.speaker for r in group if r.speaker and r.attributed_by == "name"), None) \
        or next((r.speaker for r in group if r.speaker), None)
    speaker_id = None
    if speaker and resolve:
        got = resolve(speaker)
        if got:
            speaker_id, speaker = got
    citations, spans, seen = [], [], set()
    for r in group:
        for p in r.pieces:
            s = _sentence_at(r.article, p.start)
            t = r.article.text
            start, end = _trim(t, p)
            spans.append(Mention(r.article.id, s.index if s else 0, start, end, t[start:end]))
            if s and r.article.id not in seen:
                seen.add(r.article.id)
                citations.append(Citation.of(s))
    via = next((r.via for r in group if r.via), None)
    return Quote(best.text, speaker, speaker_id, citations, via=via, spans=spans)
