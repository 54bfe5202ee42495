"""Atom 1.0 feeds (RFC 4287) from plain data, so that a story can be
followed in any feed reader. The XML is written by feedgen (on lxml), which
escapes text; what lxml cannot hold (control characters, lone surrogates,
U+FFFE/U+FFFF: not XML 1.0 characters) is replaced first, so a hostile
headline costs a character, never the feed. Entry content is HTML built
here with every piece of text escaped and only http(s) links kept: a feed
reader renders it, and a ``javascript:`` URL from an article must not become
a link there.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from feedgen.feed import FeedGenerator

from .. import __version__
from ..sources.decode import scrub

__all__ = ["AtomCite", "AtomEntry", "AtomFeed", "AtomLine", "AtomSection", "atom_feed", "entry_html", "xml_text"]

# Characters XML 1.0 does not allow (tab, newline and carriage return it does), and C1 controls.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


@dataclass(slots=True)
class AtomCite:
    """A citation as a feed reader shows it: the outlet (or article) name,
    linked to the article when it has a web address."""

    label: str
    href: str | None = None


@dataclass(slots=True)
class AtomLine:
    """One sentence of an entry with its citations."""

    text: str
    cites: list[AtomCite] = field(default_factory=list)


@dataclass(slots=True)
class AtomSection:
    """Lines under a heading (None: no heading)."""

    heading: str | None
    lines: list[AtomLine] = field(default_factory=list)


@dataclass(slots=True)
class AtomEntry:
    """One entry: ``lead`` (a paragraph), the sections, then ``note``."""

    id: str
    title: str
    link: str
    updated: datetime
    sections: list[AtomSection] = field(default_factory=list)
    lead: str | None = None
    note: str | None = None


@dataclass(slots=True)
class AtomFeed:
    """A feed: ``link`` is the page it stands for, ``self_link`` its own address."""

    id: str
    title: str
    link: str
    self_link: str
    entries: list[AtomEntry]
    subtitle: str | None = None
    updated: datetime | None = None  # default: the newest entry's, else now


def xml_text(text: str) -> str:
    """``text`` with what XML 1.0 cannot carry replaced (U+FFFD for lone
    surrogates, a space for control characters)."""
    return _NOT_XML.sub(" ", scrub(text))


def _link(cite: AtomCite) -> str:
    label = html.escape(xml_text(cite.label))
    href = cite.href or ""
    if not re.match(r"https?://", href, re.IGNORECASE):
        return label
    return f'<a href="{html.escape(xml_text(href), quote=True)}">{label}</a>'


def entry_html(entry: AtomEntry) -> str:
    """The entry's content as HTML: a heading per section, each line a
    paragraph ending with its citations in brackets."""
    parts = [f"<p>{html.escape(xml_text(entry.lead))}</p>"] if entry.lead else []
    for section in entry.sections:
        if section.heading:
            parts.append(f"<h3>{html.escape(xml_text(section.heading))}</h3>")
        for line in section.lines:
            cites = f" [{', '.join(_link(c) for c in line.cites)}]" if line.cites else ""
            parts.append(f"<p>{html.escape(xml_text(line.text))}{cites}</p>")
    if entry.note:
        parts.append(f"<p><em>{html.escape(xml_text(entry.note))}</em></p>")
    parts.append(f'<p><a href="{html.escape(xml_text(entry.link), quote=True)}">Open the story in newsbrief</a></p>')
    return "\n".join(parts)


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def atom_feed(feed: AtomFeed) -> bytes:
    """The feed as UTF-8 Atom XML, entries in the order given."""
    fg = FeedGenerator()
    fg.id(xml_text(feed.id))
    fg.title(xml_text(feed.title) or "newsbrief")
    if feed.subtitle:
        fg.subtitle(xml_text(feed.subtitle))
    fg.link(href=xml_text(feed.link), rel="alternate", type="text/html")
    fg.link(href=xml_text(feed.self_link), rel="self", type="application/atom+xml")
    fg.author(name="newsbrief")
    fg.generator("newsbrief", version=__version__)
    newest = max((e.updated for e in feed.entries), default=None, key=_aware)
    fg.updated(_aware(feed.updated or newest or datetime.now(timezone.utc)))
    for e in feed.entries:
        fe = fg.add_entry(order="append")
        fe.id(xml_text(e.id))
        fe.title(xml_text(e.title) or "(untitled)")
        fe.link(href=xml_text(e.link), rel="alternate", type="text/html")
        fe.updated(_aware(e.updated))
        fe.content(entry_html(e), type="html")
    return fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
