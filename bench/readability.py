"""Readability of summaries as a news reader judges them: the share of summary
sentences that do not read on their own, rule by rule.

    .venv/bin/python bench/readability.py --data ../shared/data/multinews/dev.jsonl [-m ranker -m lead ...]
        [--limit N] [--json bench/results/readability_dev.json] [--exclude-ids FILE.json] [--show RULE]
    .venv/bin/python bench/readability.py --briefings a.jsonl b.jsonl [--show RULE]

The measuring stick of issue 14, written apart from the summarizer's own rules
(it imports nothing of newsbrief's text handling), so that it does not share
the blind spots of what it measures. Each displayed summary sentence is
checked against the rules below (a sentence may break several); a summary's
opening sentence must also be a lead sentence. Quotation marks are tracked
(straight and curly; apostrophes ignored), and a sentence cited from the
middle of a quotation that was opened earlier in its paragraph counts as
inside it. Words the summarizer added for context are in square brackets and
count as a shown referent or speaker.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RULES = ("furniture", "no_final_punct", "dek", "transcript", "teaser", "first_person", "quote_no_speaker",
         "dangling_pronoun", "dangling_connective", "dangling_description")
SHORT = {"furniture": "furn", "no_final_punct": "punct", "dek": "dek", "transcript": "trans", "teaser": "tease",
         "first_person": "1st", "quote_no_speaker": "quote", "dangling_pronoun": "pron",
         "dangling_connective": "conn", "dangling_description": "desc"}

# General English, no story's words: function words (a capitalised one is not a name), speech verbs, pronouns.
FUNCTION = set("""a an the and or but nor so yet for of in on at to from by with without about as into onto upon
over under after before since until while when where why how what who whom whose which that this these those
there here then than if though although because unless whether not no yes all any both each either neither every
some such many much more most few less least other another own same also only just even still again too very
is are was were be been being am has have had do does did will would shall should can could may might must
he she it they we you i me him her us them my his its our your their mine hers ours yours theirs
one two three four five six seven eight nine ten first last next new according said says
mr mrs ms dr meanwhile however instead moreover furthermore nevertheless nonetheless besides plus thus therefore
hence indeed later afterward afterwards additionally likewise similarly otherwise now today yesterday tomorrow
tonight despite during among between against through across around within via per like unlike""".split())
CALENDAR = set("""monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec""".split())
SPEECH = set("""said says say saying told tells tell added adds asked asks wrote writes tweeted tweets posted posts
stated states explained explains noted notes continued continues recalled recalls insisted insists argued argues
claimed claims declared declares announced announces replied replies responded responds answered answers warned
warns acknowledged acknowledges admitted admits conceded concedes confirmed confirms denied denies joked jokes
quipped remarked remarks observed observes commented comments shouted yelled whispered cried exclaimed testified
alleged alleges suggested suggests predicted predicts promised promises vowed vows urged urges pleaded reported
reports concluded concludes described describes emailed texted blogged read reads recounted recounts according
mused muses complained complains boasted boasts stressed stresses countered counters agreed agrees called calls
demanded demands captioned shared chanted sang quote quoted quoting puts put statement adding noting explaining
writing telling asking stating arguing claiming insisting warning""".split())
THIRD = {"he", "him", "his", "she", "her", "hers", "they", "them", "their", "theirs", "himself", "herself",
         "themselves"}
SUBJECT_PRONOUNS = {"he", "she", "they", "it", "him", "her", "them"}
OPENING_PRONOUNS = {"he", "she", "they", "it", "his", "her", "their", "its", "him", "them", "this", "that", "these",
                    "those", "such", "both"}
PERSON_NOUNS = set("""man men woman women boy boys girl girls child children baby teen teens teenager teenagers couple
pair two three four trio family father mother son daughter husband wife brother brothers sister sisters parents
suspect suspects victim victims driver pilot gunman shooter attacker officer officers soldier soldiers company firm
group agency department organization organisation official officials spokesman spokeswoman spokesperson ambassador
president senator congressman congresswoman lawmaker lawmakers governor mayor minister actor actress singer star
rapper player players coach team judge jury lawyer lawyers attorney attorneys prosecutor prosecutors defendant
plaintiff doctor doctors student students teacher researcher researchers scientist scientists author director
executive chief candidate campaign administration government court network newspaper paper magazine site band
club league pontiff leader leaders king queen prince princess retailer maker bank owner owners founder chairman
host comedian musician witness witnesses neighbor neighbors friend friends latter former""".split())
COLLECTIVE = {"police", "people", "staff", "crew", "public", "military", "army", "navy", "media", "management",
              "government", "family", "team", "jury", "committee", "board", "council", "party", "company", "firm"}
LEADING = set("""in after before during since when while although though as despite with without upon on at for
unlike like until once if asked from given following amid""".split())  # words that open a leading phrase
STOPS = THIRD | {"and", "but", "or", "so", "yet", "it", "i", "we", "you", "who", "which", "that"}
POSTMODIFIERS = set("""who whom whose which that under over with without in at from on of aged between above below among
near inside outside we i you""".split())
PERSON_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "ee")
TIME_NOUNS = set("""week weekend weeks year years month months morning afternoon evening season summer winter spring
fall autumn days decade century""".split()) | CALENDAR
CONNECTIVES = re.compile(
    r"(?:But|And|Yet|Or|So(?!\s+(?:far|many|much|long|called)\b)(?!-)|However|Still|Also|Meanwhile|Instead|Moreover"
    r"|Furthermore|Nevertheless|Nonetheless|Besides|Plus|Thus|Therefore|Hence|Indeed|Then(?!-)|Later|Afterwards?"
    r"|In addition|Additionally|As a result|Even so|After all|On the other hand|In fact|Otherwise|Likewise|Similarly"
    r"|Again)\b")
EXPLETIVE_IT = re.compile(
    r"It(?:'s|’s| is| was| will be| would be| has been| had been| remains| remained| seems| seemed| appears"
    r"| appeared)(?: not| still| also| now| far)?(?: \w+ly)? "
    r"(?:(?:clear|unclear|likely|unlikely|expected|possible|impossible|uncertain|unknown|known|true|hard|difficult"
    r"|easy|important|necessary|too early|too soon|time|rare|unusual|believed|thought|estimated|understood|feared"
    r"|hoped|alleged|reported|said)\b"
    r"|the (?:first|second|third|fourth|fifth|latest|last|only|largest|biggest|worst|best|most|highest|lowest)\b"
    r"|\w+ (?:that|whether|if|how|when|why|what|who) "
    r"|(?:\w+ ){0,2}(?:seconds|minutes|hours|days|weeks|months|years|decades) (?:before|since|after|until|ago)\b)")
FURNITURE = [re.compile(p) for p in (
    r"\bBuy Photo\b", r"(?i)\bphoto(?:graph)?s?:", r"\b(?:Photo|Image|Picture)s? (?:by|courtesy|credit)\b",
    r"\((?:[^()]*[/|]\s*)?[^()]*\b(?:Photo|Photos|Photograph|Photographer|Images?|Pictures?|Video)\b[^()]*\)",
    r"\b(?:AP|Reuters|REUTERS|AFP|Getty|EPA)(?: Photo)?/[A-Z]", r"(?i)\bimage (?:copyright|caption)\b",
    r"\bGetty Images\b", r"(?i)\bclick here\b", r"^\W*Advertisement\b", r"\bShare (?:this|on)\b", r"\bFollow us\b",
    r"\bSign up\b", r"(?i)\bsubscribe to\b", r"^\W*In this (?:[\w.,'’-]+ ){0,10}?(?:photo|image|picture|photograph)",
    r"(?i)\b(?:file|handout|undated|staff) (?:photo|image|picture)\b", r"\bPictured:", r"(?i)\(L-R\)|\(L to R\)",
    r"\((?:left|right|center|centre|top|bottom|above|inset|pictured)\)",
    r"\b(?:Updated|Published|Posted|Last updated|First published)\b:? (?:at |on )?\d", r"©", r"(?i)\bcopyright \d{4}",
    r"(?i)\ball rights reserved\b", r"(?i)\bmay not be (?:published|reproduced|broadcast)",
    r"\bThis (?:story|article|report|post) (?:has been|was|is being) (?:updated|corrected|amended)",
    r"(?i)\bcontributed (?:to )?(?:this|the) report\b|\boriginally (?:appeared|published) (?:on|in)\b",
    r"^\W*(?:RELATED|Related|READ MORE|Read more|MORE|More|SEE ALSO|See also|VIDEO|Video|WATCH|EDITOR'S NOTE"
    r"|Editor's note|UPDATE|Update|CORRECTION|Correction|Caption|Credit|CLOSE)\b\s*(?::|—|-|\|)",
    r"\b\d[\d.]*[kKM] (?:votes|voters|views|followers|shares|comments|likes)\b",
    r", (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}\.?$",
)]
CAPITALS = re.compile(r"^\W*(?:\b[A-Z][A-Z'’.&-]*[A-Z]\b[\s,]+){3}[A-Z][A-Z'’.&-]*[A-Z]\b")  # a stamp, a headline
LABEL = re.compile(  # "RYAN:", "MR. SMITH:", or Q: and A:
    r"(?:^|(?<=[\s\"“(—–-]))([A-Z][A-Z'’.-]*[A-Z.](?:\s+[A-Z][A-Z'’.-]*[A-Z.]){0,3})\s?:(?=\s+[^\d\s]|$)"
    r"|(?:^|(?<=[.!?\"”]\s))\W*[QA]:\s")
FURNITURE_LABELS = {"SEE ALSO", "EDITOR'S NOTE", "CAPTION", "CREDIT", "SOURCE", "CLOSE", "BOTTOM LINE", "WHY",
                    "WHAT", "PLUS", "ALSO", "THE BOTTOM LINE", "IMPORTANT", "WARNING", "SPOILER", "UPDATED"}
NOT_SPEAKER_LABELS = {"UPDATE", "EDITOR'S NOTE", "NOTE", "RELATED", "VIDEO", "WATCH", "PHOTOS", "PHOTO", "READ MORE",
                      "MORE", "CORRECTION", "BREAKING", "P.M.", "A.M."}
NAME_LABEL = re.compile(r"\W*((?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\. )?[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,2}):\s+[\"“A-Z]")
TIME_ZONES = {"ET", "PT", "CT", "MT", "GMT", "BST", "EST", "EDT", "PST", "PDT", "CST", "CDT", "UTC"}
TEASER_START = re.compile(r"(?:Here(?:'s|’s| is| are)|Check out|Watch\b|Read\b|See below|Scroll down|Take a look"
                          r"|Meet\b|Click\b|Listen\b|Find out|Learn more|Don't miss|Don’t miss|Sign up)")
TEASER_ANY = re.compile(r"(?i)\b(?:see below|scroll down|the following:|below:|in the video above|watch the video)")
TOKEN = re.compile(r"\[[^\]]*\]|\w+(?:['’.\-]\w+)*")
VERBISH = SPEECH | set("""is are was were be been has have had will would can could may might must should did does do
made took got went came left found became began won lost ran saw gave met sent kept held paid sold brought""".split())


def quote_mask(text: str, inside: bool = False) -> list[bool]:
    """Per character, whether it is inside a quotation (marks included).
    Straight double quotes toggle, curly ones open and close, a curly single
    quote opens only at a word start and not before a digit (so apostrophes
    and ‘98 are ignored); doubled single marks (’’ ‘‘ '' ``) and the mojibake
    "\ufffd?" count as double ones. ``inside`` is the state the sentence
    starts in: a sentence cut from the middle of a quotation may carry no
    mark at all."""
    for pair, double in (("’’", "””"), ("‘‘", "““"), ("''", "””"), ("``", "““"), ("\ufffd?", "””")):
        text = text.replace(pair, double)  # same length: the mask stays aligned
    mask, single = [], False
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if ch == '"':
            mask.append(True)
            inside = not inside
            continue
        if ch == "“":
            inside = True
        elif ch == "‘" and not inside and not prev.isalnum() and not nxt.isdigit():  # not ‘98
            single = True
        mask.append(inside or single)
        if ch == "”":
            inside = False
        elif ch == "’" and single and not nxt.isalnum():
            single = False
    return mask


def outside(text: str, inside: bool = False) -> str:
    """The reporter's words: ``text`` with quoted characters blanked."""
    return "".join(" " if q else c for c, q in zip(text, quote_mask(text, inside)))


def quoted_share(text: str, inside: bool = False) -> tuple[int, float]:
    """(quoted words, share of words quoted), a word counting by its first
    character."""
    mask = quote_mask(text, inside)
    starts = [m.start() for m in re.finditer(r"\S+", text) if re.search(r"\w", m.group())]
    quoted = sum(1 for s in starts if mask[s] or (text[s] in "\"“‘" and s + 1 < len(mask) and mask[s + 1]))
    return quoted, quoted / len(starts) if starts else 0.0


def opens_inside(source: str, start: int) -> bool:
    """Whether a quotation opened earlier in the paragraph is still open at
    ``start``: quotations do not cross a paragraph break unclosed in
    news copy (a continued quote reopens with a mark)."""
    para = source.rfind("\n", 0, start) + 1
    mask = quote_mask(source[para:start] + "x")
    return mask[-1]


def _first_word(text: str) -> str:
    """The sentence from its first word: leading marks, and a speaker shown
    in brackets before a quotation ("[Smith said:] He..."), left out."""
    text = re.sub(r"^\s*\[[^\]]*:\]", "", text)
    return re.sub(r"^[\s\"“”‘’'(—–\-…*•]+", "", text)


def _base(tok: str) -> str:
    """A word without a contraction ("He’s" -> "He") or the brackets of a
    word that was already a pronoun ("[It]" -> "It")."""
    if tok.startswith("[") and tok[1:-1].lower() in FUNCTION:
        tok = tok[1:-1]
    return re.split(r"['’](?=[a-z]{1,2}$)", tok)[0]


def _is_name(tok: str, first: bool, lower: frozenset[str]) -> bool:
    """A capitalised word that is not a function word or a day or month; at
    the start of the sentence only when its article never writes it lower
    case (``lower``), since every first word is capitalised. Words added in
    brackets count when they hold a name ("[Kislyak]", "[Smith said:]")."""
    if tok.startswith("["):
        return any(_is_name(t, False, lower) for t in TOKEN.findall(tok[1:-1]))
    if not tok[:1].isupper() or tok.lower() in FUNCTION or tok.lower() in CALENDAR or tok == "I":
        return False
    return not first or tok.lower() not in lower


def furniture(text: str) -> bool:
    """Page furniture, captions and credits ("Buy Photo", "(AP Photo/...)",
    "In this file photo, ...", "Updated 3:45 p.m."): text about the page,
    not the story, which a reader takes as a slip of the scissors; so is an
    opening run of four words in capitals outside quotation marks (a stamp,
    a running head: "FOR MOVEMENT FRIDAY ...")."""
    return any(p.search(text) for p in FURNITURE) or bool(CAPITALS.search(outside(text)))


def no_final_punct(text: str) -> bool:
    """A sentence must end in . ! or ? (perhaps before a closing quote or
    bracket); one that does not is a headline, label or cut-off fragment, and
    so is one trailing off in an ellipsis ("... with witnesses saying...") or
    one starting with a lower-case word (the tail of a sentence cut in two;
    "iPhone" and "eBay" are spared)."""
    t = re.sub(r"[\"”’'\])]+$", "", text.rstrip())
    if re.match(r"[a-z]+\b", _first_word(text)):
        return True  # "particularly as it relates to...": the tail of a sentence cut in two
    return not t.endswith((".", "!", "?")) or t.endswith(("...", ". . .")) and not t.endswith("....")


def dek(source: str, spans: list[list[int]], index: int) -> bool:
    """A subheading or dek: the cited sentence comes before the lede (the
    first paragraph holding a punctuated sentence of 12+ words), or is a
    single-sentence paragraph of fewer than 8 words; unless it attributes
    words to a named speaker ('"No," Smith said.': a quote lede, not a dek).
    Cut out of the page a dek reads as a slogan, not as news."""
    paras = [source.count("\n", 0, a) for a, _ in spans]
    words = [len(source[a:b].split()) for a, b in spans]
    lede = next((paras[i] for i, (a, b) in enumerate(spans)
                 if words[i] >= 12 and not no_final_punct(source[a:b])), None)
    p, (a, b) = paras[index], spans[index]
    if _attributed(outside(source[a:b])):
        return False
    return lede is not None and p < lede or words[index] < 8 and paras.count(p) == 1


def transcript(text: str) -> bool:
    """Speaker labels of a transcript ("RYAN: ...", "Q:", "MR. SMITH:",
    and a name opening the sentence: "Robert Ricks: I would..."): an exchange
    cut out of an interview, with no context."""
    mask = quote_mask(text)
    named = NAME_LABEL.match(text)  # "Robert Ricks: I would...", "CINDY McCAIN: I still..."
    if named and named.group(1).upper() not in NOT_SPEAKER_LABELS | FURNITURE_LABELS:
        return True
    for m in LABEL.finditer(text):
        label = (m.group(1) or "Q").strip()
        if mask[m.start()] or (label in TIME_ZONES and re.search(r"(?:\d|[ap]\.?m\.?)\s*$", text[:m.start()])):
            continue  # a title in quotes ("O.J.: Made in America"), a clock time ("10 a.m. ET:")
        if m.group(1) is None or label not in NOT_SPEAKER_LABELS and not re.fullmatch(r"[A-Z]\.?", label):
            return True
    return False


def teaser(text: str, inside: bool = False) -> bool:
    """Lines aimed at the reader: list teasers ("Here are nine quotes..."),
    "Watch"/"Read"/"See below", a line ending in a colon, a question the
    reporter asks, or "you"/"your" outside quotation marks."""
    if TEASER_START.match(_first_word(text)) and not inside or TEASER_ANY.search(outside(text, inside)):
        return True
    t = text.rstrip()
    mask = quote_mask(t, inside)
    if t.endswith(":") or (t.endswith("?") and not mask[-1]):
        return True
    return any(w.lower() in {"you", "your", "yours", "yourself", "yourselves", "y'all"}
               for w in TOKEN.findall(outside(text, inside)))


def first_person(text: str, inside: bool = False) -> bool:
    """The reporter's own voice outside quotation marks ("..., told me", "we
    visited"): I, me, my, mine, myself, we, us, our, ours. Not "US" (the
    country), not a Roman numeral ("World War I", "Title I": "I" right after
    a capitalised word), not the noun "mine" (only "of/is/was mine")."""
    toks = list(TOKEN.finditer(outside(text, inside)))
    for k, m in enumerate(toks):
        w = m.group()
        base = re.split(r"['’]", w)[0]
        if base == "I":
            prev = toks[k - 1] if k else None
            roman = (prev is not None and prev.group()[:1].isupper() and prev.group().lower() not in FUNCTION | CALENDAR
                     and text[prev.end():m.start()] == " ")
            if not roman and not re.match(r"\.\s?[A-Z]", text[m.end():m.end() + 3]):
                return True
        elif base in {"me", "my", "myself", "we", "us", "our", "ours"} or base in {"My", "We", "Our", "Ours"}:
            return True
        elif base == "mine" and k and toks[k - 1].group().lower() in {"of", "is", "was", "are", "were"}:
            return True
    return False


def _attributed(out: str, lower: frozenset[str] = frozenset()) -> bool:
    """Whether the reporter's words ``out`` name a speaker: a speech verb
    whose subject (the words before it, or after it when inverted: "said
    Smith") is not a bare pronoun, or is one whose referent is named earlier
    in the sentence ("When Smith..., as he puts it, ...")."""
    lead = len(out) - len(out.lstrip(" \"“‘'(—–-"))
    names = [m.start() for m in TOKEN.finditer(out) if _is_name(m.group(), m.start() == lead, lower)]
    for frag in re.finditer(r"[^;:]+?(?=\s{2,}|[;:]|$)", out):
        toks = [(m.group(), frag.start() + m.start()) for m in TOKEN.finditer(frag.group())]
        for k, (w, pos) in enumerate(toks):
            lw = w.lower()
            if lw not in SPEECH or (lw == "read" and k == 0):
                continue
            if lw == "according":
                after = [t for t, _ in toks[k + 1:k + 4] if t.lower() != "to"]
                if after and after[0].lower() not in SUBJECT_PRONOUNS | {"his", "her", "their"}:
                    return True
                continue
            before = [(t, p) for t, p in toks[max(0, k - 6):k]
                      if t.lower() not in {"also", "later", "then", "has", "had", "have", "would", "will", "did",
                                           "once", "previously", "recently", "again", "further", "and", "who"}
                      and not t.lower().endswith("ly")]
            after = [t for t, _ in toks[k + 1:k + 3]]
            if before:
                subject, at = before[-1]
                if _base(subject).lower() not in SUBJECT_PRONOUNS | {"i", "we"} or any(n < at for n in names):
                    return True
            elif after and after[0].lower() not in SUBJECT_PRONOUNS | {"in", "on", "at"}:
                return True
    return False


def quote_no_speaker(text: str, inside: bool = False, lower: frozenset[str] = frozenset()) -> bool:
    """A direct quotation (4+ quoted words, at least half the sentence, or a
    sentence wholly inside an ongoing quotation) whose reporter's words name
    no speaker, or only a pronoun ("he said") with no bracketed name: the
    reader hears a voice and cannot tell whose. With no speech verb at all,
    a quotation woven into the reporter's own clause (it opens in lower case:
    'The bill would "rename the center..."', or the reporter's words run to
    8+ words with a name) has its source in that clause."""
    quoted, share = quoted_share(text, inside)
    if quoted < 4 or share < 0.5:
        return False
    out = outside(text, inside)
    if any(_is_name(b, False, lower) for b in re.findall(r"\[[^\]]+\]", out)) or any(
            w.lower() in SPEECH and _is_name(b, False, lower) for b in re.findall(r"\[[^\]]+\]", text)
            for w in TOKEN.findall(b[1:-1])):
        return False  # a bracketed name outside the quotation, or "[Smith said:]" shown before it
    if not any(w.lower() in SPEECH for w in TOKEN.findall(out)):
        mask = quote_mask(text, inside)
        first = next((i for i, c in enumerate(text) if mask[i] and c.isalpha()), None)
        words = TOKEN.findall(out)
        woven = not inside and first is not None and text[first].islower() and len(out[:first].split()) >= 3
        framed = len(words) >= 8 and any(_is_name(w, False, lower) for w in words[1:])
        return not (woven or framed)
    return not _attributed(out, lower)


def _opens_with_pronoun(clause: str, lower: frozenset[str]) -> bool:
    """Whether ``clause`` opens with a pronoun or demonstrative that needs a
    referent; deictic time ("This week"), "those who", "such as", "Both
    Smith and..." and expletive it ("It was not clear...") do not."""
    toks = [_base(t) for t in TOKEN.findall(clause)]
    if not toks or toks[0].lower() not in OPENING_PRONOUNS or not toks[0][0].isupper():
        return False
    w, nxt = toks[0].lower(), toks[1] if len(toks) > 1 else ""
    deictic = w in {"this", "these"} and nxt.lower() in TIME_NOUNS or w == "such" and nxt == "as" or (
        w == "those" and (nxt.lower() in POSTMODIFIERS or nxt.endswith(("ed", "ing"))))  # "those who", "those hurt"
    both = w == "both" and (_is_name(nxt, False, lower) or re.match(r"Both (?:the )?\w+ of\b", clause))
    return not (deictic or both or (w == "it" and EXPLETIVE_IT.match(clause)))


def dangling_pronoun(text: str, inside: bool = False, lower: frozenset[str] = frozenset()) -> bool:
    """Opens (after quote marks; or its main clause after a short leading
    phrase with no name: "On Monday, it said...") with a third-person pronoun
    or demonstrative ("He had to deal with...", "That's bad news") whose
    referent was in the article's previous sentence, not in the summary; or
    has he/she/they... outside quotation marks before any name. Spared:
    deictic time ("This week"), expletive it ("It was not immediately
    clear..."), a bracketed referent ("[Obama] had to..."), a leading phrase
    resolved by the name after its comma ("After his arrest, Smith..."), an
    antecedent in the sentence ("A teacher said she...", "Officials said
    they...")."""
    first = _first_word(text)
    if _opens_with_pronoun(first, lower):
        return True
    lead = re.match(r"([^,\"“]*), ", first)  # "On Monday, it said...": the clause after a short leading phrase
    if lead and len(lead.group(1).split()) <= 8 and not any(
            _is_name(t, k == 0, lower) for k, t in enumerate(TOKEN.findall(lead.group(1)))):
        clause = first[lead.end():]
        indefinite = re.search(r"\b(?:a|an)\b", lead.group(1))  # "If a movie is ever perfect, it..."
        if _opens_with_pronoun(clause[:1].upper() + clause[1:], lower) and not (
                indefinite and re.match(r"(?:it|its|they|their|he|his|she|her)\b", clause)):
            return True
    out = outside(text, inside)
    opener = [t for t in TOKEN.findall(out)[:2] if t.lower() not in {"but", "and", "yet", "so", "still"}][:1]
    commas = re.finditer(r", (?:(?:the|a|an) )?((?:[a-z][\w’'-]* ){0,2})(\[?[A-Z][\w’'.-]*|[a-z][\w’'-]*)", out)
    for m in commas if opener and (opener[0].lower() in LEADING or opener[0].endswith(("ing", "ed"))) else ():
        pre, head = m.group(1).split(), m.group(2)
        if (pre[:1] or [head])[0].lower() in STOPS:
            break  # a new clause: the pronoun was in a main clause, not in a leading phrase
        if any(w in FUNCTION for w in pre):
            continue
        if _is_name(head, False, lower) or head in PERSON_NOUNS or head in COLLECTIVE or (
                m.group(0)[2:5] in ("the", "a ", "an ") and head.endswith("s") and head.islower()):
            out = " " * m.start(2) + out[m.start(2):]  # "After his arrest, Smith...": resolved after the comma
            break
    start, seen = len(text) - len(text.lstrip(" \"“‘'(—–-")), []
    for m in TOKEN.finditer(out):
        w, lw = m.group(), _base(m.group()).lower()
        if _is_name(w, m.start() == start, lower):
            return False
        if lw in THIRD and w != "US" and not _antecedent(lw, seen):
            return True
        seen.append(lw)
    return False


def _antecedent(pronoun: str, seen: list[str]) -> bool:
    """An antecedent among the words before a pronoun: a plural noun for
    they/them/their ("Officials said they"), a person noun after an article
    for he/she ("A teacher said she")."""
    seen = [re.sub(r"['’]s$", "", w) for w in seen]
    nouns = [w for w in seen if w not in FUNCTION or w in PERSON_NOUNS]
    if pronoun.startswith("the"):
        return any(w in PERSON_NOUNS or w in COLLECTIVE or w.endswith("s") and not w.endswith(("ss", "us", "is"))
                   for w in nouns)
    for k, w in enumerate(seen):
        person = w in PERSON_NOUNS - {"two", "three", "four", "pair", "couple", "trio"} or (
            w.endswith(PERSON_SUFFIXES) and w not in FUNCTION)
        if person and any(d in {"a", "an", "the", "one", "another", "each", "every"} for d in seen[max(0, k - 3):k]):
            return True
    return False


def dangling_connective(text: str) -> bool:
    """Opens with a connective that leans on the sentence before it ("But",
    "However", "In fact", "As a result"), which the summary does not hold."""
    return bool(CONNECTIVES.match(_first_word(text)))


def dangling_description(text: str, lower: frozenset[str] = frozenset()) -> bool:
    """Opens with a definite description of a person or organisation ("The
    company said...", "The two were arrested") and names nobody before the
    verb: out of its article the reader cannot tell which. The softest rule
    ("The president" often reads fine)."""
    m = re.match(r"The\s+(?:[a-z0-9][\w’'-]*\s+){0,2}?([a-z][\w’'-]*)(?![\w-])", _first_word(text))
    if not m or m.group(1).lower() not in PERSON_NOUNS:
        return False
    for tok in TOKEN.findall(_first_word(text)[m.end():]):
        if _is_name(tok, False, lower):
            return False
        if tok.lower() in VERBISH or (tok.islower() and tok.endswith("ed")):
            return True
    return True


@dataclass
class Checked:
    cluster: str
    position: int
    text: str
    faults: list[str]
    words: int
    lead: bool  # cited from the article's lede (sentence 0-2 or first two paragraphs)
    quote: bool  # opens with a quote mark or is mostly quoted


@lru_cache(maxsize=64)
def _lower_words(body: str) -> frozenset[str]:
    """The words an article writes in lower case somewhere (so its "Police"
    at a sentence start is no name)."""
    return frozenset(w for w in TOKEN.findall(body) if w.islower())


DANGLING = frozenset({"dangling_pronoun", "dangling_connective", "dangling_description"})
# Faults of leaning on the sentence before: none when the summary shows that sentence right before it.
CONTEXT_RULES = frozenset({"quote_no_speaker", "dangling_pronoun", "dangling_connective", "dangling_description"})


def check_sentence(item: dict, sources: dict[str, dict], cluster: str = "", position: int = 0,
                   previous: dict | None = None) -> Checked:
    """One displayed summary sentence of a briefing dict, checked against
    every rule in its article's context. ``previous`` is the summary
    sentence shown before it, when that one reads in its own right: if it
    is the sentence before this one in the same article, a "He" or "But"
    has its referent in the summary."""
    text = item["text"]
    cite = item["citations"][0]
    src = sources.get(cite["source"]) or {}
    body, spans = src.get("text", ""), src.get("sentences", [])
    inside = opens_inside(body, cite["start"]) if body else False
    lower = _lower_words(body)
    idx = cite["sentence"]
    faults = [name for name, hit in (
        ("furniture", furniture(text)),
        ("no_final_punct", no_final_punct(text)),
        ("dek", bool(spans) and idx < len(spans) and dek(body, spans, idx)),
        ("transcript", transcript(text)),
        ("teaser", teaser(text, inside)),
        ("first_person", first_person(text, inside)),
        ("quote_no_speaker", quote_no_speaker(text, inside, lower)),
        ("dangling_pronoun", dangling_pronoun(text, inside, lower)),
        ("dangling_connective", dangling_connective(text)),
        ("dangling_description", dangling_description(text, lower)),
    ) if hit]
    before = previous["citations"][0] if previous and previous.get("citations") else None
    if before and before["source"] == cite["source"] and before["sentence"] == idx - 1:
        faults = [f for f in faults if f not in CONTEXT_RULES]
    para = body.count("\n", 0, cite["start"]) if body else 0
    quoted, share = quoted_share(text, inside)
    opening = re.match(r"\s*[\"“‘]([^\"”’]*)([\"”’]?)(.?)", text)
    title = opening and opening.group(2) and not re.search(r"[,.!?:;]$", opening.group(1)) \
        and opening.group(3) not in ",.!?:;"  # "“Saturday Night Live” star..." opens with a title
    quote = bool(opening and not title) or inside or (quoted >= 4 and share >= 0.5)
    return Checked(cluster, position, text, faults, len(text.split()), idx <= 2 or para <= 1, quote)


def check_briefing(b: dict) -> list[Checked]:
    sources = {s["id"]: s for s in b.get("sources", [])}
    out: list[Checked] = []
    summary = b.get("summary", [])
    for k, s in enumerate(summary):
        readable = k and not CONTEXT_RULES.intersection(out[-1].faults)
        out.append(check_sentence(s, sources, b.get("id") or "", k, summary[k - 1] if readable else None))
    return out


def score(briefings: list[list[Checked]], errors: int = 0) -> dict:
    """The figures of one method or file: each rule's rate over sentences,
    any fault, any fault but the soft description rule, the opener figures
    over summaries, mean words and sentences per summary."""
    sents = [c for b in briefings for c in b]
    firsts = [b[0] for b in briefings if b]
    n = max(len(sents), 1)
    row = {"summaries": len(briefings), "sentences": len(sents), "errors": errors}
    for r in RULES:
        row[r] = 100 * sum(r in c.faults for c in sents) / n
    row["any"] = 100 * sum(bool(c.faults) for c in sents) / n
    row["any_hard"] = 100 * sum(bool(set(c.faults) - {"dangling_description"}) for c in sents) / n
    # Out of context (issue 14's first list): every rule but the dangling ones.
    row["out_of_context"] = 100 * sum(bool(set(c.faults) - DANGLING) for c in sents) / n
    nf = max(len(firsts), 1)
    row["opener_ok"] = 100 * sum(c.lead and c.words >= 12 and not c.quote for c in firsts) / nf
    row["opener_faulty"] = 100 * sum(bool(c.faults) for c in firsts) / nf
    row["words"] = statistics.fmean(sum(c.words for c in b) for b in briefings) if briefings else 0.0
    row["sents"] = statistics.fmean(len(b) for b in briefings) if briefings else 0.0
    return row


def table(rows: dict[str, dict]) -> str:
    cols = [SHORT[r] for r in RULES] + ["ooc", "any", "any-d", "open_ok", "open_bad", "words", "sents"]
    keys = list(RULES) + ["out_of_context", "any", "any_hard", "opener_ok", "opener_faulty", "words", "sents"]
    out = ["| method | n | sentences | " + " | ".join(cols) + " |", "|---|---:|---:|" + "---:|" * len(cols)]
    for name, r in rows.items():
        out.append(f"| {name} | {r['summaries']} | {r['sentences']} | "
                   + " | ".join(f"{r[k]:.1f}" for k in keys) + " |")
    return "\n".join(out)


def _fail(msg: str) -> None:
    print(f"readability: {msg}", file=sys.stderr)
    raise SystemExit(2)


def _clusters(path: Path, limit: int | None, exclude: set[str]) -> tuple[list, int]:
    """The first ``limit`` rows of a cluster file that are clusters not
    excluded, and how many rows could not be read."""
    from newsbrief.model import Cluster, LoadError
    from newsbrief.sources import iter_clusters

    got, bad = [], 0
    for item in iter_clusters(path):
        if limit is not None and len(got) + bad >= limit:
            break
        bad += isinstance(item, LoadError)
        if isinstance(item, Cluster) and item.id not in exclude:
            got.append(item)
    return got, bad


def _brief_all(clusters: list, method: str, bad: int) -> tuple[list[dict], int]:
    """Each cluster's briefing dict by ``method``; one that raises is counted
    and skipped."""
    import newsbrief

    got, errors = [], bad
    for c in clusters:
        try:
            got.append(newsbrief.brief(c, method=method).to_dict())
        except Exception as e:  # noqa: BLE001 - any failure of one cluster
            print(f"readability: {method} {c.id}: {type(e).__name__}: {e}"[:200], file=sys.stderr)
            errors += 1
    return got, errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, help="Multi-News-style JSONL(.gz) of clusters")
    ap.add_argument("-m", "--method", action="append", dest="methods", help="summarizer (repeatable; default all)")
    ap.add_argument("--briefings", type=Path, nargs="+", help="score saved briefings (one JSON a line) instead")
    ap.add_argument("--limit", type=int, help="first N clusters only")
    ap.add_argument("--exclude-ids", type=Path, help='JSON list of cluster ids, or {"ids": [...]}, to leave out')
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--show", choices=[*RULES, "opener"], help="print the sentences that break RULE")
    args = ap.parse_args(argv)
    if not args.data and not args.briefings:
        _fail("give --data FILE or --briefings FILE...")
    exclude: set[str] = set()
    if args.exclude_ids:
        if not args.exclude_ids.is_file():
            _fail(f"no such file: {args.exclude_ids}")
        ids = json.loads(args.exclude_ids.read_text(encoding="utf-8"))
        exclude = set(ids["ids"] if isinstance(ids, dict) else ids)
    runs: dict[str, tuple[list[dict], int]] = {}
    if args.briefings:
        for p in args.briefings:
            if not p.is_file():
                _fail(f"no such file: {p}")
            rows = [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
            runs[p.name] = ([b for b in rows if (b.get("id") or "") not in exclude], 0)
    else:
        if not args.data.is_file():
            _fail(f"no such file: {args.data}")
        import newsbrief

        clusters, bad = _clusters(args.data, args.limit, exclude)
        for m in args.methods or newsbrief.methods.names():
            runs[m] = _brief_all(clusters, m, bad)
    figures = {}
    for name, (briefs, errors) in runs.items():
        checked = [check_briefing(b) for b in briefs]
        figures[name] = score(checked, errors)
        if args.show:
            for b in checked:
                for c in b:
                    hit = (c.position == 0 and not (c.lead and c.words >= 12 and not c.quote)) \
                        if args.show == "opener" else args.show in c.faults
                    if hit:
                        print(f"[{name}] {c.cluster} #{c.position} {','.join(c.faults)}: {c.text}")
    print(table(figures))
    print("rates in % of summary sentences (open_ok/open_bad: of summaries); ooc: out of context (any rule but the dangling ones); any-d: any but dangling_description;"
          " words, sents: per summary")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
