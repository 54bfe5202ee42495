"""The cleaner's rules: what counts as boilerplate in scraped news text.

Each rule names its reason; the reason is what the briefing shows beside the
dropped text. Rules err on keeping: a sentence of the story lost is worse
than a stray "Advertisement" kept, because only the first is invisible.

The rules were tuned by reading ``bench/clean_audit.py`` over the Multi-News
dev set; most patterns are anchored to the whole line and capped in length,
so that a story sentence that merely mentions Twitter or a photo survives.
"""

from __future__ import annotations

import re

from ..model import Dropped
from ..text.segment import word_count

_END = re.compile(r"[.!?:;\"”’')\]]$")
_SENT_END = re.compile(r"[.!?…][\"”’')\]]*$")
_AGENCIES = (
    r"Getty Images|Getty|AP|AP Photo|Associated Press|Reuters|AFP|EPA|TASS|Bloomberg|Shutterstock|Corbis|ZUMA|"
    r"Zuma Press|Sipa|Sipa USA|NPR|NASA|WireImage|FilmMagic|Redux|Polaris|iStock|iStockphoto|Alamy|"
    r"Rex Features|REX|PA|PA Images|AAP|Xinhua|Anadolu|NurPhoto|SOPA Images|LightRocket|Pool|Handout|Courtesy|"
    r"European Pressphoto Agency|EPA-EFE|Invision|Splash News|Wikimedia Commons|Staff Photographer"
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"

NAV_WORDS = frozenset(
    """clock menu more-arrow more arrow no yes mobile share shares tweet email e-mail facebook twitter pinterest
    linkedin reddit whatsapp print comment comments close search subscribe login log sign in out home next
    previous prev skip to content main navigation toggle icon expand collapse open back top like follow
    save copy link play pause video audio photo photos gallery slideshow menu-icon hamburger caret chevron
    instagram youtube flipboard sms messenger google+ google plus text size - + a|a x post pin embed on this
    article loading... loading related listen live donate""".split()
)
# Words that alone make a row of buttons; "on", "this" and the like only count beside them.
_NAV_CORE = NAV_WORDS - {"on", "this", "article", "in", "out", "to", "no", "yes", "a|a", "-", "+", "more", "like",
                         "open", "close", "back", "top", "next", "main", "content", "text", "size", "x"}
_NUMBERISH = re.compile(r"^[\d.,:]+[km]?$", re.I)

# (reason, pattern, max words[, hints]) matched against a whole line,
# case-insensitively. Hints (lower case) are for patterns that scan the line:
# every match contains one of them, and looking for them first (at C speed,
# on ASCII lines, where re.I folds nothing else) skips most scans.
_RAW_PATTERNS: list[tuple] = [
    ("navigation", r"^filed under:?(\s.{0,80})?$", 20),
    ("navigation", r"^(top of page|skip to (main )?content|back to top|text size\s*[-+]?|jump to .{0,40})$", 8),
    ("navigation", r"^(play|watch|listen)( (video|facebook|now|again))?$", 3),
    ("navigation", r"^click to (email|share|print|tweet|open).{0,60}$", 15),
    ("navigation", r"^(tweet|share|email|print|comment|comments|twitter|facebook|photo|video|photos)$", 1),
    ("navigation", r"^(topics|tags|categories|read more about|more about)\s*:.{1,300}$", 40),
    ("navigation", r"^search the web\b.*$", 10),
    ("navigation", r"^(back to|return to) [“\"]?[\w ]{1,40}[”\"]?$", 8),
    ("share buttons", r"^(share this|like this)\s*:.{0,60}$", 8),
    ("share buttons", r"^.{0,40}\b(share this article|share on more|\d[\d,.]*k? shares)\b.{0,80}$", 20, ("share",)),
    ("share buttons", r"^(message: \*|\*? ?a friend wanted you to see this item).*$", 30),
    ("share buttons", r"^thank you for your interest in spreading the word\b.*$", 20),
    ("share buttons", r"^note: we only request your email address so that the person you are recommending.*$", 60),
    ("notice", r"^this (story|article|post) is (over|more than) \d+ (years?|months?) old\.?$", 12),
    ("notice", r"^this (story|article) appears in the .{3,60} (issue|edition) of .{0,60}$", 20),
    ("notice", r"^(enlarge this image|hide caption|show caption|image \d+ of \d+)$", 6),
    ("advertisement", r"^(advertisement\s*)+$|^(sponsored( content)?|ad|ads by .{1,30}|paid content)$", 10),
    ("advertisement", r"^(photo )?(advertisement )?continue reading the main story$", 8),
    ("notice", r"^story continue[sd] (below|after).{0,30}$|^continue reading.{0,60}$|^\(?continued (below|on|from).{0,40}$", 12),
    ("video caption", r"^media playback is unsupported on your device.*$", 60),
    ("video caption", r"^just watched\b.*\bmust watch\b.*$", 60),
    ("video caption", r"^embed\b.*\bcopy this code to your website\b.*$", 40),
    ("video caption", r"^video loading\b.*$|^now playing:?$|^scroll down for (the )?video\.?$", 25),
    ("video caption", r"^(the interactive transcript could not be loaded|rating is available when the video has been rented"
                      r"|this feature is not available right now)\b.*$", 20),
    ("video caption", r"^.{5,160} \| \d{1,2}:\d{2}$", 30),
    ("notice", r"^(this|the) (material|article|content) may not be (published|broadcast|rewritten|redistributed).*$", 40),
    ("notice", r"^.{0,80}\b(all rights reserved|copyright ©?\s*\d{4}|© ?\d{4}).{0,120}$", 40,
     ("all rights reserved", "copyright", "©")),
    ("notice", r"^(update|updated|posted|published|last updated|editor'?s note)\s*:?\s*.{0,60}\d{4}.{0,30}$", 20),
    ("notice", r"^(update|also|see also|full coverage|watch|listen|exclusive|online|more)\s*:?$", 2),
    ("notice", r"^you must enter the characters\b.*$", 20),
    ("notice", r"^heard on [A-Z][\w .&'’-]{1,40}$", 8),
    ("notice", r"^information from: .{1,80}$", 12),
    ("notice", r"^an? (expanded|earlier|shorter|longer|different) version of this (report|story|article) (appears|appeared|ran)\b.*$", 20),
    ("notice", r"^source: \S+.{0,120}$|^•?\s*for confidential support,? call\b.*$|^\*{3}.{1,80}\*{3}$", 20),
    ("link prompt", r"^read .{1,40} here\.?$", 8),
    ("media link", r"^(listen to|watch) (the )?[^.:]{1,60}$", 10),
    ("related link", r"^(read or share this story|read more|more from|more on|see also|also read|recommended|"
                     r"related( stories| articles| links| coverage| content| video)?( on [\w.]+)?\s*:|full coverage:|"
                     r"more:|also on [\w. ]{1,30}:)(?:\b|(?<=:)).{0,200}$", 40),
    ("related link", r"^\[(related|also|see also|read more|more)\s*:.{1,150}\]$", 30),
    ("related link", r"^\((also on [\w. ]{1,30}|watch|photos?|video|related|see also|more|read more)\s*:.{1,150}\)$", 30),
    ("related link", r"^\(.{1,80} full coverage\)$", 12),
    ("related link", r"^>>.{1,100}$", 20),
    ("media link", r"^(photos|video|watch|listen|slideshow|gallery|interactive|storify|graphic|map|podcast|infographic)"
                   r"\s*:\s*\S.{0,150}$", 25),
    ("media link", r"^view graphic\b.{0,100}$", 20),
    ("link prompt", r"^.{0,100}\bclick (here|to play|for more)\b.{0,100}$", 15),
    ("link prompt", r"^(click|tap) (here|to|for)\b.*$|^investigate this!.*$", 40),
    ("sign-up prompt", r"^.{0,120}\b(sign up (for|to|here)|subscribe (to|for|now|today|here)|our (daily |weekly |free )?newsletters?|"
                       r"(in|to) your inbox|get (our|the) .{0,40}(newsletter|emails?|alerts?)|thank(s| you) for subscribing|"
                       r"could not subscribe)\b.{0,400}$", 80,
     ("sign up", "subscri", "newsletter", "inbox", "email", "alert")),
    ("sign-up prompt", r"^(have a (news )?tip|got a tip|send us a tip|submit your .{0,20}tips|contact us at|like us on|"
                       r"join (us|the conversation)|download (our|the) app|support (the|our) .{0,40}!$).{0,160}$", 30),
    ("sign-up prompt", r"^interested in .{1,60}\? add .{1,60} as an interest\b.*$", 50),
    ("sign-up prompt", r"^get curated picks of the best .{0,120}$", 30),
    ("social-media prompt", r"^(tweet with a location|add a location to your tweets|you can add location information to your tweets|when you tweet with a location).*$", 60),
    ("archive notice", r"^.{0,40}(alexa internet has been donating|these crawls are part of an effort to archive|wayback machine|this page (is|has been) archived).*$", 80,
     ("alexa internet", "these crawls", "wayback machine", "this page")),
    ("archive notice", r"^this is a set of web collections\b.*$|^.{0,80}\bweb captures (of|are available)\b.*$", 80,
     ("this is a set of web", "web captures")),
    ("cookie notice", r"^.{0,80}\b(we use cookies|uses cookies|cookie policy|accept (all )?cookies|enable javascript|javascript is disabled|your browser does not support).*$", 40,
     ("cookie", "javascript", "browser does not support")),
    ("contributor line", r"^.{0,600}\bcontributed (to )?(to )?this (report|story|article)\b.{0,200}$", 90, ("contributed",)),
    ("contributor line", r"^(contributing|additional reporting( by)?|with assistance( by| from)?)\s*:?.{1,200}$|^[-—–]+ ?with assistance by .{1,100}$", 30),
    ("dateline", rf"^((mon|tues|wednes|thurs|fri|satur|sun)day,? )?{_MONTH} \d{{1,2}},? \d{{4}}(,? \d{{1,2}}:\d{{2}} ?([ap]\.?m\.?)?( [A-Z]{{2,4}})?)?( by .{{1,60}})?$", 14),
    ("separator", r"^[\W_]+$", 40),
]
LINE_PATTERNS: list[tuple[str, re.Pattern[str], int, tuple[str, ...]]] = [
    (reason, re.compile(pat, re.I), n, hints[0] if hints else ()) for reason, pat, n, *hints in _RAW_PATTERNS
]

# Case-sensitive: the capitals are what tells them apart from prose.
_NAME = r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}"
# (reason, pattern, max words, hints): as above, the hints case-sensitive.
_CASED_PATTERNS: list[tuple[str, re.Pattern[str], int, tuple[str, ...]]] = [
    ("related link", re.compile(r"^(?:Related|RELATED) [A-Z]{3,}\b.*$"), 40, ()),
    ("byline", re.compile(rf"^(?i:by|written by|reporting by|story by|posted by)\s+{_NAME}(?:,? (?:and|&) {_NAME})?"
                          rf"(?:(?:,| of| for|/) ?(?:the )?[A-Z].{{0,40}})?$"), 12, ()),
    ("byline", re.compile(rf"^(?:--|—|–)\s*{_NAME}(?:(?:,| and) {_NAME})*(?: (?:at|in|from) [A-Z].{{0,40}})?$"), 14, ()),
    ("contributor line", re.compile(r"^[A-Z][\w'’-]+(?: and [A-Z][\w'’-]+)? reported from [A-Z][\w .,'-]{1,40}\.$"), 10, ()),
    ("dateline", re.compile(r"^[A-Z][A-Z .'’-]{2,30}(?:, [A-Z][a-z]{1,4}\.?)? ?[-—–|]+$"), 6, ()),
    # USA Today video blurbs: "CLOSE Actor Tom Sizemore is accused ... Buzz60"
    ("video caption", re.compile(r"^CLOSE [A-Z].*$"), 80, ()),
    # Guardian related links end in "Read more"
    ("related link", re.compile(r"^.{5,200} Read more$"), 40, (" Read more",)),
    # Galleries: "2/18 On Senator McCain ...", "18 show all ..."
    ("photo caption", re.compile(r"^\d{1,3}/\d{1,3} [A-Z].*$|^\d{1,3} show all [\w' ]{1,80}$"), 120, ()),
    ("photo caption", re.compile(r"^(Photos|Slideshow): (.{5,80}?) (Photos|Slideshow): \2\b.*$|^.{0,2000}\b\d+ of \d+ Show Caption\b"), 2000,
     ("Photos: ", "Slideshow: ", " Show Caption")),
    ("photo caption", re.compile(r"^(Getty Images|AP|Reuters|AFP)( Photo)? [A-Z][\w.'’-]+( [A-Z][\w.'’-]+){0,5}$"), 8, ()),
]

# Photo captions that carry a credit or a caption formula of their own.
_CAPTION_LINE = re.compile(
    r"^(?:.{0,40}\bImage copyright\b.{1,60}\bImage caption\b|Image caption\b|Enlarge Image\b|FILE\s*[-–—]\s|\(?FILE\)?\s*[-–—]\s|"
    r"(?:Facebook )?Twitter Pinterest\b|.{0,200}\bimage:\d+:)", re.I)
# NPR: "Enlarge this image toggle caption Jay Reed/NPR Jay Reed/NPR" holds only the credit.
NPR_CREDIT = re.compile(r"^(?:i ?)?(?:enlarge this image )?i?toggle caption\b", re.I)
_CAPTION_TAIL = re.compile(
    r"(?:\bPhotograph(?:s|ed)?: .{2,80}|\bCredit: .{2,80}|\bPhoto(?:graph)?s? (?:by|courtesy of) [A-Z].{1,60}|"
    r"\b(?:REUTERS|AP Photo|AFP PHOTO)/.{2,60}|\((?:AP )?Photo: .{2,80}\))$")
_CAPTION_TAIL_MAX = 100
_CAPTION_FORMULA_HINTS = ("photo", "image", "picture", "frame grab")
_CAPTION_FORMULA = re.compile(
    r"\b(?:in this|this) (?:\w+ )?(?:\d{4} |\w+\.? \d{1,2}, \d{4},? |\w+ \d{4} )?(?:undated |handout |file |aerial )*"
    r"(?:photo|image|picture|photograph|frame grab|still image|video image)\b"
    r"(?:.{0,120}\b(?:shows?|taken|released|provided|made available|distributed))?", re.I)

_CREDIT_LINE = re.compile(
    rf"^\(?(?:(?:photo|image|picture|photograph|credit|photo credit|image credit|image copyright|image|listing image)s?"
    rf"\s*(?:by|:|–|-)\s*)?"
    rf"(?:[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){{0,4}}\s*/\s*)*"
    rf"(?:[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){{0,4}}\s*/\s*(?:[A-Z][\w.'’ -]*)|(?:{_AGENCIES})(?: \(\d+\))?)\)?$"
)
_CREDIT_PREFIX = re.compile(
    r"^\(?(photo|image|picture|photograph|credit|photo credit|image credit|image copyright|image caption|caption|"
    r"listing image|lead image|top image|courtesy)s?\s*(by\b|:|–|-|of\b|(?=\s[A-Z]))", re.I)
# A credit in brackets, e.g. "(Alexander Shcherbak/TASS/Getty Images)", with
# the white space before it. Searched from its "(": a pattern that starts
# with \s* is tried at every position of the paragraph (~20 ns a character).
_INLINE_CREDIT = re.compile(
    rf"\((?:(?:(?:AP |Reuters |AFP )?Photo(?: by)?[:/ ]\s*)?[A-Z][^()\n/]{{0,60}}/\s*(?:[A-Z][^()\n]{{0,60}})\)"
    rf"|(?:Photo|Image|Credit)s?:\s*[^()\n]{{1,80}}\)"
    rf"|(?:{_AGENCIES})\)(?=\s*$))"
)
_INLINE_LINK = re.compile(r"\s*(?:https?://)?(?:pic\.)?twitter\.com/\S+(?:\s*…)?\s*$")
_INLINE_LABEL = re.compile(r"^(?:Story highlights|STORY HIGHLIGHTS|Story Highlights)\s+(?=\S)")
_INLINE_CLICK = re.compile(
    r"(?:\s*\([^()]*\bclick here\b[^()]*\)|(?:^|(?<=[.!?]))\s*[^.!?]*\bclick here\b[^.!?]*[.!?]?)"
    r"(?=\s*(?:\([^()]{1,40}\))?\s*$)", re.I)
_INLINE_STAMP = re.compile(
    r"\s+Posted: (?:\w+, )?\w+ \d{1,2}, \d{4}(?: \d{1,2}:\d{2} [AP]M(?: [A-Z]{2,4})?)?"
    r"(?: Updated: (?:\w+, )?\w+ \d{1,2}, \d{4}(?: \d{1,2}:\d{2} [AP]M(?: [A-Z]{2,4})?)?)?$")

# (pattern, reason, hints, folded): every match contains one of the hint
# literals. Looking for them first skips the pattern's scan of most
# paragraphs (the scans, which try every position, were 15% of a briefing's
# CPU); "(" does so for credits. A literal is tested with ``in`` (C speed);
# for a pattern that ignores case it is lower case and tested on the
# lower-cased ASCII paragraph, other text going to the ``folded`` regex
# (re.I folds more than ``str.lower`` undoes, e.g. "İ" matches "i").
_INLINE_RULES = (
    (_INLINE_LABEL, "label", ("Story", "STORY"), None),
    (_INLINE_LINK, "link", ("twitter.com/",), None),
    (_INLINE_STAMP, "timestamp", ("Posted: ",), None),
    (_INLINE_CLICK, "link prompt", ("click here",), re.compile("click here", re.I)),
)

# Embedded tweets: "text — Name (@handle) Month D, YYYY", or a tweet card "Name (@handle) text".
_TWEET_SIGNATURE = re.compile(rf"(?:^|\s)[—–-]{{1,2}}\s*[^\n()]{{1,60}}\(@\w{{1,15}}\)\s+{_MONTH} \d{{1,2}}, \d{{4}}\s*$")
_TWEET_CARD = re.compile(r"^[^()\n.!?]{1,50} \(@\w{1,15}\) \S")

_CONTACT = re.compile(
    r"^(?:(?:for (?:more|the latest|outside|the top)[^,]{0,40},\s*)?follow\b.{0,80}(?:\bon (?:twitter|facebook|instagram)\b|@\w)"
    r"|write to .{1,60}\bat \S+@|contact .{1,60}\bat \S+@|.{1,60}\b(?:can|may) be reached at\b"
    r"|reach (?:him|her|them) at\b|.{1,40} on twitter:?\s*:?\s*\S*(?:twitter\.com|@\w)"
    r"|twitter:?\s*@\w+|[\w.+-]+@[\w-]+\.[\w.]+|(?:https?://|www\.)\S+|(?:twitter|facebook|instagram)\.com/\S+)", re.I)
_CONTACT_TOKEN = re.compile(r"@\w|https?://|www\.|\.com\b", re.I)

_BIO = re.compile(
    r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3} (?:is|was|has been|serves as) (?:a|an|the|our) "
    r"[^.]{0,100}\b(?:correspondent|reporter|writer|editor|journalist|columnist|contributor|producer|anchor|"
    r"blogger|critic|staff writer|fellow)\b"
)
_BIO_HINT = re.compile(
    r"\b(where (he|she|they) (covers|writes|reports|edits)|(he|she|they) (covers|writes about|previously worked)|"
    r"before (joining|coming to)|follow (him|her|them) on|you can (reach|follow|email)|reach (him|her|them) at|@\w{2,})", re.I)

# Labels that introduce a list of links to other stories.
RELATED_LABEL = re.compile(
    r"^(related|related stories|related articles|related coverage|also|see also|more|more from .{1,40}|"
    r"more on .{1,40}|read more|recommended|related stories on .{1,30}|you might also like|most popular)\s*:?$", re.I)


def _by_length(patterns: list[tuple[str, re.Pattern[str], int, tuple[str, ...]]]) -> list[tuple]:
    """For each word count up to the largest limit, the patterns (in order)
    that a line of that many words may match: a story paragraph is longer
    than every limit and skips the loop."""
    top = max((limit for _, _, limit, _ in patterns), default=0)
    return [tuple(p for p in patterns if n <= p[2]) for n in range(top + 1)]


_LINE_BY_LENGTH = _by_length(LINE_PATTERNS)
_CASED_BY_LENGTH = _by_length(_CASED_PATTERNS)


def line_reason(line: str) -> str | None:
    """Why a whole line is boilerplate, or None when it is (or may be) story text."""
    n = word_count(line)
    if (2 <= n <= 20 and _is_navigation(line.split(), line)) or _is_pipe_menu(line):
        return "navigation"
    if n <= 80 and "(@" in line and (_TWEET_SIGNATURE.search(line) or _TWEET_CARD.match(line)):
        return "embedded tweet"
    low = line.lower() if line.isascii() else None  # for hints; None: no hint is safe
    for reason, pat, _, hints in _LINE_BY_LENGTH[n] if n < len(_LINE_BY_LENGTH) else ():
        if (not hints or low is None or any(map(low.__contains__, hints))) and pat.match(line):
            return reason
    for reason, pat, _, hints in _CASED_BY_LENGTH[n] if n < len(_CASED_BY_LENGTH) else ():
        if (not hints or any(map(line.__contains__, hints))) and pat.match(line):
            return reason
    if n <= 20 and NPR_CREDIT.match(line):
        return "photo credit"
    if n <= 80 and ((low is None or "image" in low or "file" in low or "twitter pinterest" in low)
                    and _CAPTION_LINE.match(line)
                    # a tail match is at most 94 characters long
                    or _CAPTION_TAIL.search(line, max(0, len(line) - _CAPTION_TAIL_MAX))):
        return "photo caption"
    if n <= 60 and (low is None or ("this " in low and any(h in low for h in _CAPTION_FORMULA_HINTS))) \
            and is_caption_formula(line):
        return "photo caption"
    if n <= 12 and (_CREDIT_LINE.match(line) or (_CREDIT_PREFIX.match(line) and not _END.search(line))):
        return "photo credit"
    if n <= 25 and _CONTACT.match(line) and (_CONTACT_TOKEN.search(line) or n <= 12):
        return "contact line"
    if n <= 2 and not _END.search(line) and not any(ch.isdigit() for ch in line):
        return "fragment"
    return None


def _is_pipe_menu(line: str) -> bool:
    """"Election Calendar | WSJ/NBC Polls | Poll Standings": a row of menu links."""
    if " | " not in line:
        return False
    parts = line.split(" | ")
    return len(parts) >= 3 and not _SENT_END.search(line) and all(1 <= len(p.split()) <= 5 for p in parts)


def is_caption_formula(line: str) -> bool:
    """AP/Reuters photo captions ("In this Oct. 28, 2008 file photo, ...", "... in this
    file photo taken January 24, 2013."). The formula sits near the start, or
    the caption ends with the photo's date."""
    m = _CAPTION_FORMULA.search(line)
    if not m:
        return False
    return m.start() < 40 or bool(re.search(r"\bin this (?:\w+ )*(?:photo|picture|image)(?: taken)? .{0,30}\d{4}\.?$", line))


def _is_navigation(words: list[str], line: str) -> bool:
    if not 2 <= len(words) <= 20 or _SENT_END.search(line):
        return False
    toks = [w.lower().strip(".,|:!") for w in words]
    core = sum(1 for t in toks if t in _NAV_CORE)
    nav = sum(1 for t in toks if t in NAV_WORDS or _NUMBERISH.match(t) or not t)
    return core >= 1 and nav / len(words) >= 0.7 and (core >= 2 or len(words) <= 3)


_CAPTION_HINT = re.compile(
    r"\((?:L|R|C|left|right|center|centre|top|bottom|front|back|pictured)\)|\b(?:pictured|in this (?:file )?photo|"
    r"file photo|photographed|is seen|are seen|poses?|posing)\b", re.I)


def ends_sentence(line: str) -> bool:
    return bool(_END.search(line))


def is_caption(line: str) -> bool:
    """Only the short line before a credit, or one with a caption tell-tale:
    pages often put a credit under a photo with no caption at all, and the
    paragraph above it is then story text (as is a line that points at what
    follows: "Read part of the conversation below.")."""
    n = len(line.split())
    if line.endswith(("\"", "”", ":")) or re.search(r"\b(below|following|here)\b", line, re.I):
        return False
    return (n <= 12 or (n <= 40 and bool(_CAPTION_HINT.search(line)))
            or (n <= 20 and not _REPORTING.search(line)))


# Story sentences report ("said", "was", "had"); captions describe a picture
# in the present tense ("Traffic cones block the west approach ...").
_REPORTING = re.compile(
    r"\b(said|says|told|tells|was|were|had|has|have|would|will|could|according|did|been|ago|last)\b", re.I)


def is_bio(line: str, index: int, total: int) -> bool:
    """An author bio names a journalist's job and where they work; it sits near
    the top or the bottom of the page, or carries a bio tell-tale."""
    if not _BIO.match(line):
        return False
    return index < 8 or index >= total - 3 or bool(_BIO_HINT.search(line))


def is_headline(line: str, following: list[str]) -> bool:
    if not 2 <= word_count(line) <= 22 or not (line[:1].isalnum() or line[:1] in "\"'“‘"):
        return False
    if not _END.search(line):
        return True
    # "Who is X? Here's what to know." followed by a section label such as "Impact"
    return bool(following) and line_reason(following[0]) == "fragment"


def is_subheading(line: str, prev: str | None, nxt: str | None) -> bool:
    """A short label between two story paragraphs ("Race against time",
    "'Bars ransacked'"). Longer subheads read as sentences and are kept."""
    core = line.strip("\"'“”‘’ ")
    words = core.split()
    if not 1 <= len(words) <= 5 or _SENT_END.search(core) or any(ch.isdigit() for ch in core) or core.endswith((":", ",", ";")) or not core[:1].isupper():
        return False
    return (prev is not None and len(prev.split()) >= 8 and bool(_SENT_END.search(prev))
            and nxt is not None and len(nxt.split()) >= 12)


def is_related_link(line: str) -> bool:
    """A headline-like line in a run of links after "Related:" or "ALSO:"."""
    n = len(line.split())
    return 2 <= n <= 20 and not _SENT_END.search(line) and not line.endswith(":")


def strip_inline(para: str) -> tuple[str, list[Dropped]]:
    """Remove credits, labels and links glued into a paragraph, e.g. a caption
    ending in "(Alexander Shcherbak/TASS/Getty Images)"."""
    spans = [(len(para[:m.start()].rstrip()), m.end()) for m in _INLINE_CREDIT.finditer(para)] if "(" in para else []
    dropped = [Dropped(para[a:b].strip(), "photo credit") for a, b in spans]
    if spans:
        ends = [0] + [b for _, b in spans]
        para = "".join(para[e:a] for e, (a, _) in zip(ends, spans)) + para[spans[-1][1]:]
        para = para.strip()
    for pat, reason, hints, folded in _INLINE_RULES:
        if folded is None:
            hinted = any(map(para.__contains__, hints))  # (no generator frame per rule)
        else:
            hinted = any(map(para.lower().__contains__, hints)) if para.isascii() else bool(folded.search(para))
        if not hinted:
            continue
        m = pat.search(para)
        if m and m.end() - m.start() < len(para):
            dropped.append(Dropped(m.group(0).strip(), reason))
            para = (para[:m.start()] + para[m.end():]).strip()
    return para, dropped
