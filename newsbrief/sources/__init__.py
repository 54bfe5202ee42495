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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Article, Cluster, LoadError
from .decode import SourceError, decode
from .html import from_html
from .meta import guess_outlet, guess_published

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")

__all__ = ["Loaded", "load", "iter_clusters", "article_from_text", "SourceError"]


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
            files = sorted(p for p in path.rglob("*") if p.is_file() and _kind(p) and not _hidden(p, path))
            if not files:
                out.errors.append(LoadError(str(path), "directory holds no .txt, .md, .html or .jsonl files"))
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
        if kind == "jsonl":
            for item in iter_clusters(path):
                if isinstance(item, LoadError):
                    out.errors.append(item)
                elif isinstance(item, Cluster):
                    out.clusters.append(item)
                else:
                    _add(out, seen_ids, item)
            return
        data = path.read_bytes()
        text = decode(data)
        if kind == "html" or (kind == "text" and _looks_like_html(text)):
            art = from_html(text, id=_unique(path.stem, seen_ids), path=str(path))
        else:
            art = article_from_text(text, id=_unique(path.stem, seen_ids), path=str(path))
        _add(out, seen_ids, art)
    except SourceError as e:
        out.errors.append(LoadError(str(path), str(e)))
    except (OSError, ValueError) as e:
        out.errors.append(LoadError(str(path), f"unreadable: {e.__class__.__name__}: {e}"))


def _add(out: Loaded, seen_ids: set[str], item: Article | LoadError) -> None:
    if isinstance(item, LoadError):
        out.errors.append(item)
    else:
        seen_ids.add(item.id)
        out.articles.append(item)


def _unique(base: str, seen: set[str]) -> str:
    base = re.sub(r"[^\w.-]+", "-", base).strip("-") or "article"
    cand, n = base, 2
    while cand in seen:
        cand, n = f"{base}-{n}", n + 1
    seen.add(cand)
    return cand


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def _from_stdin(stream) -> Article | LoadError:
    try:
        data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        text = decode(data)
    except SourceError as e:
        return LoadError("<stdin>", str(e))
    if _looks_like_html(text):
        return from_html(text, id="stdin", path="-")
    return article_from_text(text, id="stdin", path="-")


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


def iter_clusters(path: str | Path) -> Iterator[Cluster | Article | LoadError]:
    """Stream a JSONL(.gz) file: a row with ``documents`` is a cluster, a row
    with ``text`` is one article. A malformed row yields a LoadError naming its
    line number and the rest go on."""
    path = Path(path)
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        fh = opener(path, "rt", encoding="utf-8", errors="strict")
        lines = iter(fh)
        lineno = 0
        while True:
            try:
                line = next(lines)
            except StopIteration:
                break
            except (UnicodeDecodeError, EOFError, gzip.BadGzipFile, OSError) as e:
                yield LoadError(f"{path}:{lineno + 1}", f"unreadable: {e.__class__.__name__}: {e}")
                break
            lineno += 1
            if not line.strip():
                continue
            yield _row(path, lineno, line)
        fh.close()
    except OSError as e:
        yield LoadError(str(path), f"unreadable: {e.strerror or e}")


def _row(path: Path, lineno: int, line: str) -> Cluster | Article | LoadError:
    where = f"{path}:{lineno}"
    try:
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
        cid = str(row.get("id", f"{path.stem}-{lineno}"))
        arts = [
            article_from_text(d.replace("NEWLINE_CHAR", "\n"), id=f"{cid}/{i}", path=f"{where}#{i}")
            for i, d in enumerate(docs)
            if d.strip()
        ]
        if not arts:
            return LoadError(where, "cluster has no non-empty documents")
        ref = row.get("summary")
        return Cluster(id=cid, articles=arts, reference=ref if isinstance(ref, str) else None)
    if isinstance(row.get("text"), str) and row["text"].strip():
        return article_from_text(
            row["text"], id=str(row.get("id", f"{path.stem}-{lineno}")), path=where,
            title=row.get("title"), outlet=row.get("outlet"), published=row.get("published"), url=row.get("url"),
        )
    return LoadError(where, "row has neither 'documents' (a cluster) nor a non-empty 'text' (an article)")
