"""Sources: files, directories, HTML, JSONL clusters and stdin, in; raw
:class:`~newsbrief.model.Article` objects out.

Nothing here raises on a bad source: each one becomes a
:class:`~newsbrief.model.LoadError` with a one-line reason, so one bad file in
a batch never costs the good ones.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from ..model import Article, Cluster, LoadError
from . import decode as _decode
from .decode import SourceError, check_size, decode
from .html import from_html
from .meta import guess_outlet, guess_published

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")

__all__ = ["Loaded", "load", "iter_clusters", "iter_cluster_rows", "ClusterRow", "article_from_text", "article_from_content", "SourceError"]


@dataclass
class Loaded:
    """What :func:`load` found: usable articles, clusters from JSONL files,
    and one error per source that could not be used."""

    articles: list[Article] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)

    def all_articles(self) -> list[Article]:
        return self.articles + [a for c in self.clusters for a in c.articles]


def load(*sources: str | Path | Iterable[str | Path], stdin=None) -> Loaded:
    """Load files, directories (recursively), JSONL/JSONL.gz files and ``-``
    (stdin) into raw articles.

    Files from directories are taken in sorted order, so ids and citations are
    stable between runs.
    """
    out = Loaded()
    seen_ids: set[str] = set()
    for src in _flatten(sources):
        if str(src) == "-":
            _add(out, seen_ids, _from_stdin(stdin or sys.stdin))
            continue
        path = Path(src)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path))
            files = [p for p in found if _kind(p)]
            if not files:
                out.errors.append(LoadError(str(path), "directory holds no .txt, .md, .html or .jsonl files"))
            # Reported, not read: an image or PDF read as text would be noise,
            # and a silent skip would hide a file the user meant to include.
            for f in found:
                if not _kind(f):
                    out.errors.append(LoadError(str(f), f"not a supported file type ({f.suffix or 'no extension'};"
                                                        " newsbrief reads .txt, .md, .html, .jsonl[.gz])"))
            for f in files:
                _load_file(f, out, seen_ids)
        else:
            _load_file(path, out, seen_ids)
    return out


def _flatten(sources) -> Iterator[str | Path]:
    for s in sources:
        if isinstance(s, (str, Path)):
            yield s
        else:
            yield from s


def _hidden(p: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in p.relative_to(root).parts)


def _kind(p: Path) -> str | None:
    name = p.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if p.suffix.lower() in HTML_SUFFIXES:
        return "html"
    if p.suffix.lower() in TEXT_SUFFIXES:
        return "text"
    return None


def _load_file(path: Path, out: Loaded, seen_ids: set[str]) -> None:
    kind = _kind(path) or "text"  # a file named explicitly is tried as text
    try:
        if not path.exists():
            raise SourceError("no such file")
        if not path.is_file():
            raise SourceError("not a regular file")
        if kind == "jsonl":
            for item in iter_clusters(path):
                if isinstance(item, LoadError):
                    out.errors.append(item)
                elif isinstance(item, Cluster):
                    out.clusters.append(item)
                else:
                    _add(out, seen_ids, item)
            return
        check_size(path.stat().st_size)
        data = path.read_bytes()
        text = decode(data)
        art = article_from_content(text, id=_unique(path.stem, seen_ids), path=str(path),
                                   html=True if kind == "html" else None)
        _add(out, seen_ids, art)
    except SourceError as e:
        out.errors.append(LoadError(str(path), str(e)))
    except (OSError, ValueError) as e:
        out.errors.append(LoadError(str(path), f"unreadable: {e.__class__.__name__}: {e}"))


def _add(out: Loaded, seen_ids: set[str], item: Article | LoadError) -> None:
    if isinstance(item, LoadError):
        out.errors.append(item)
    else:
        if item.id in seen_ids:  # two JSONL rows with one id must not share citations
            item.id = _unique(item.id, seen_ids)
        seen_ids.add(item.id)
        out.articles.append(item)


def _unique(base: str, seen: set[str]) -> str:
    base = re.sub(r"[^\w.-]+", "-", base).strip("-") or "article"
    cand, n = base, 2
    while cand in seen:
        cand, n = f"{base}-{n}", n + 1
    return cand


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def _from_stdin(stream) -> Article | LoadError:
    try:
        src = stream.buffer if hasattr(stream, "buffer") else stream
        data = src.read(_decode.MAX_BYTES + 1)  # never more than the limit into memory
        if isinstance(data, str):
            data = data.encode("utf-8")
        text = decode(data)
    except SourceError as e:
        return LoadError("<stdin>", str(e))
    except (OSError, ValueError) as e:
        return LoadError("<stdin>", f"unreadable: {e.__class__.__name__}: {e}")
    try:
        return article_from_content(text, id="stdin", path="-")
    except SourceError as e:
        return LoadError("<stdin>", str(e))


def article_from_text(text: str, *, id: str, path: str | None = None, title: str | None = None,
                      outlet: str | None = None, published: str | None = None, url: str | None = None) -> Article:
    """Build a raw article from plain text, guessing outlet and date from the
    text (and file name) when they are not given."""
    return Article(
        id=id,
        raw=text,
        title=title,
        outlet=outlet or guess_outlet(text, path),
        path=path,
        url=url,
        published=published or guess_published(text),
    )


def article_from_content(text: str, *, id: str, path: str | None = None, url: str | None = None,
                         html: bool | None = None) -> Article:
    """A raw article from text that may be an HTML page (``html=None``: told
    by its look, so a pasted page source works too). Raises SourceError
    when an HTML page holds no article text."""
    if html or (html is None and _looks_like_html(text)):
        return from_html(text, id=id, path=path, url=url)
    return article_from_text(text, id=id, path=path, url=url)


def iter_clusters(path: str | Path) -> Iterator[Cluster | Article | LoadError]:
    """Stream a JSONL(.gz) file: a row with ``documents`` is a cluster, a row
    with ``text`` is one article. A malformed row yields a LoadError naming its
    line number and the rest go on; a truncated or corrupt .gz stops with a
    LoadError after the rows before the damage."""
    for item in iter_cluster_rows(path):
        yield item.cluster() if isinstance(item, ClusterRow) else item


@dataclass(frozen=True)
class ClusterRow:
    """A checked cluster row not yet made into articles: its id, where it is,
    and its non-empty documents. A batch parent reads these and leaves
    :meth:`cluster` (guessing each article's outlet and date, about half of
    the reading cost) to its workers: the parent is the serial part of a
    batch, so the less it does per row, the more workers it can keep busy."""

    id: str
    path: Path
    line: int
    documents: tuple[tuple[int, str], ...]  # (index in the row's list, text) of each non-empty document
    reference: str | None = None

    def cluster(self) -> Cluster:
        where = f"{self.path}:{self.line}"
        arts = [article_from_text(d.replace("NEWLINE_CHAR", "\n"), id=f"{self.id}/{i}", path=f"{where}#{i}")
                for i, d in self.documents]
        return Cluster(id=self.id, articles=arts, reference=self.reference)


def iter_cluster_rows(path: str | Path) -> Iterator[ClusterRow | Article | LoadError]:
    """:func:`iter_clusters`, with each cluster as the :class:`ClusterRow`
    it is made from: every check and error the same."""
    path = Path(path)
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    lineno = 0
    try:
        with opener(path, "rb") as fh:
            for raw in fh:
                lineno += 1
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as e:
                    yield LoadError(f"{path}:{lineno}", f"not UTF-8 at byte {e.start}")
                    continue
                if lineno == 1:
                    line = line.lstrip("\ufeff")
                if line.strip():
                    yield _row(path, lineno, line)
    except (EOFError, zlib.error, gzip.BadGzipFile) as e:
        yield LoadError(f"{path}:{lineno + 1}", f"truncated or corrupt gzip ({e.__class__.__name__}: {e})")
    except OSError as e:
        yield LoadError(str(path), f"unreadable: {e.strerror or e}")


def _row(path: Path, lineno: int, line: str) -> ClusterRow | Article | LoadError:
    where = f"{path}:{lineno}"
    try:
        row = orjson.loads(line)  # a third of json's cost, on the batch parent's serial path
    except orjson.JSONDecodeError:
        try:  # what orjson refuses and json takes (NaN, huge integers), or json's clearer message
            row = json.loads(line)
        except json.JSONDecodeError as e:
            return LoadError(where, f"malformed JSON: {e.msg} at column {e.colno}")
    if not isinstance(row, dict):
        return LoadError(where, "a row must be a JSON object")
    if "documents" in row:
        docs = row["documents"]
        if isinstance(docs, str):  # original Multi-News form
            docs = docs.split("|||||")
        if not isinstance(docs, list) or not all(isinstance(d, str) for d in docs):
            return LoadError(where, "'documents' must be a list of strings")
        kept = tuple((i, d) for i, d in enumerate(docs) if d.strip())
        if not kept:
            return LoadError(where, "cluster has no non-empty documents")
        ref = row.get("summary")
        return ClusterRow(str(row.get("id", f"{_stem(path)}-{lineno}")), path, lineno, kept,
                          ref if isinstance(ref, str) else None)
    if isinstance(row.get("text"), str) and row["text"].strip():
        return article_from_text(
            row["text"], id=str(row.get("id", f"{_stem(path)}-{lineno}")), path=where,
            title=_str(row.get("title")), outlet=_str(row.get("outlet")), published=_str(row.get("published")),
            url=_str(row.get("url")),
        )
    return LoadError(where, "row has neither 'documents' (a cluster) nor a non-empty 'text' (an article)")


def _stem(path: Path) -> str:
    name = path.name
    for suffix in JSONL_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _str(value) -> str | None:
    """Metadata from a JSONL row, when it is a non-empty string."""
    return value.strip() or None if isinstance(value, str) else None
