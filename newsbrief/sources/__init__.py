"""Sources: files, directories, HTML, JSONL clusters and stdin, in; raw
:class:`~newsbrief.model.Article` objects out.

Nothing here raises on a bad source: each one becomes a
:class:`~newsbrief.model.LoadError` with a one-line reason, so one bad file in
a batch never costs the good ones.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from ..model import Article, Cluster, LoadError
from . import decode as _decode
from .decode import SourceError, check_size, decode_text, scrub_json
from .html import from_html
from .meta import check_date, guess_outlet, guess_published

TEXT_SUFFIXES = {".txt", ".md", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")

__all__ = ["Loaded", "load", "iter_clusters", "iter_cluster_rows", "ClusterRow", "RowError", "article_from_text", "article_from_content", "SourceError"]


@dataclass
class Loaded:
    """What :func:`load` found: usable articles, clusters from JSONL files,
    one error per source that could not be used, and one warning per source
    that was used but may be partly wrong (a file of mixed encodings)."""

    articles: list[Article] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    warnings: list[LoadError] = field(default_factory=list)

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
            _from_stdin(stdin or sys.stdin, out, seen_ids)
            continue
        path = Path(src)
        if path.is_dir():
            found, unreadable = _walk(path)  # unreadable folders, and special files: never read
            files = [p for p in found if _kind(p)]
            out.errors += unreadable
            if not files and not unreadable:
                out.errors.append(LoadError(shown(path), "directory holds no .txt, .md, .html or .jsonl files"))
            # Reported, not read: an image or PDF read as text would be noise,
            # and a silent skip would hide a file the user meant to include.
            for f in found:
                if not _kind(f):
                    out.errors.append(LoadError(shown(f), f"not a supported file type ({f.suffix or 'no extension'};"
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


def _walk(root: Path) -> tuple[list[Path], list[LoadError]]:
    """The regular files under ``root`` (sorted, hidden ones left out), and an
    error for each subdirectory that cannot be read and each entry that is not
    a regular file (a FIFO, a device, a link to one or to nothing): ``Path.rglob``
    skips those without a word, which hides articles the user meant to include."""
    files: list[Path] = []
    unreadable: list[LoadError] = []

    def report(e: OSError) -> None:
        where = Path(e.filename or root)
        if where == root or not _hidden(where, root):
            unreadable.append(LoadError(shown(where), f"unreadable directory: {e.strerror or e}"))

    seen: set[str] = set()
    for folder, dirs, names in os.walk(root, onerror=report, followlinks=True):
        if (real := os.path.realpath(folder)) in seen:  # a link back up the tree: once is enough
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for p in (Path(folder, n) for n in names if not n.startswith(".")):
            if p.is_file():
                files.append(p)
            else:
                unreadable.append(LoadError(shown(p), _not_regular(p)))
    unreadable.sort(key=lambda e: e.source)
    return sorted(files), unreadable


_SPECIAL = ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
            (stat.S_ISBLK, "block device"))


def _not_regular(p: Path) -> str:
    """Why ``p``, which is not a regular file, is not read: what it is."""
    try:
        mode = p.stat().st_mode
    except OSError:
        return "not a regular file (a symbolic link to nothing)" if p.is_symlink() else "no such file"
    kind = next((name for test, name in _SPECIAL if test(mode)), "special file")
    return f"not a regular file ({kind})"


def shown(path: str | Path) -> str:
    """A path as output can hold it: a file name's bytes that are not UTF-8
    (held as lone surrogates by Python) become U+FFFD, so JSON, a terminal or
    an ``-o`` file never gets a raw invalid byte, nor a crash for one."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


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
            raise SourceError(_not_regular(path))
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
        got = decode_text(path.read_bytes())
        art = article_from_content(got.text, id=_unique(path.stem, seen_ids), path=shown(path),
                                   html=True if kind == "html" else None)
        _add(out, seen_ids, art)
        if got.warning:
            out.warnings.append(LoadError(shown(path), got.warning))
    except SourceError as e:
        out.errors.append(LoadError(shown(path), str(e)))
    except (OSError, ValueError) as e:
        out.errors.append(LoadError(shown(path), f"unreadable: {e.__class__.__name__}: {shown(e)}"))


def _add(out: Loaded, seen_ids: set[str], item: Article | LoadError) -> None:
    if isinstance(item, LoadError):
        out.errors.append(item)
    else:
        item, bad_date = check_date(item)
        if bad_date is not None:
            out.warnings.append(bad_date)
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


def _from_stdin(stream, out: Loaded, seen_ids: set[str]) -> None:
    try:
        src = stream.buffer if hasattr(stream, "buffer") else stream
        data = src.read(_decode.MAX_BYTES + 1)  # never more than the limit into memory
        if isinstance(data, str):
            data = data.encode("utf-8")
        got = decode_text(data)
        _add(out, seen_ids, article_from_content(got.text, id="stdin", path="-"))
    except SourceError as e:
        out.errors.append(LoadError("<stdin>", str(e)))
    except (OSError, ValueError) as e:
        out.errors.append(LoadError("<stdin>", f"unreadable: {e.__class__.__name__}: {e}"))
    else:
        if got.warning:
            out.warnings.append(LoadError("<stdin>", got.warning))


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

    id: str | int | None  # the row's own id, its JSON type kept (see row_id); None when it has no usable one
    path: Path
    line: int
    documents: tuple[tuple[int, str], ...]  # (index in the row's list, text) of each non-empty document
    reference: str | None = None

    @property
    def name(self) -> str:
        """The cluster's id as text: its own, or ``<input name>-<line>`` for
        a row without one (what its articles' ids and ``--cluster`` use)."""
        return _name(self.id, self.path, self.line)

    def cluster(self) -> Cluster:
        where = f"{self.path}:{self.line}"
        arts = [article_from_text(d.replace("NEWLINE_CHAR", "\n"), id=f"{self.name}/{i}", path=f"{where}#{i}")
                for i, d in self.documents]
        return Cluster(id=self.name, articles=arts, reference=self.reference)


@dataclass(slots=True)
class RowError(LoadError):
    """A JSONL row that parsed but cannot be used, with the row's own id
    (see :func:`row_id`), so that a batch's errors file can name it."""

    id: str | int | None = None


def row_id(value: object) -> str | int | None:
    """A row's ``id`` when it can name the row: a string that is not blank,
    or an integer (a JSON number a JSON writer can give back exactly). None
    for anything else (null, "", a float, a boolean, a list...): such a row
    is named by its line instead, never by ``str(value)`` ("None" for every
    null, one name for 12345 and "12345")."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**64:
        return value
    return None


def _name(rid: str | int | None, path: Path, lineno: int) -> str:
    return f"{_stem(path)}-{lineno}" if rid is None else str(rid)


def iter_cluster_rows(path: str | Path, *, articles: bool = True) -> Iterator[ClusterRow | Article | LoadError]:
    """:func:`iter_clusters`, with each cluster as the :class:`ClusterRow`
    it is made from: every check and error the same. ``articles=False``
    (a batch, which briefs clusters only) makes an article row a
    :class:`RowError` with the row's id instead of an Article."""
    path = Path(path)
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    lineno = 0
    try:
        with opener(path, "rb") as fh:
            while raw := fh.readline(MAX_ROW_BYTES + 1):
                lineno += 1
                if len(raw) > MAX_ROW_BYTES and not raw.endswith(b"\n"):
                    size = len(raw) + _skip_rest_of_line(fh)
                    yield LoadError(f"{path}:{lineno}", f"row too large ({size / 1e6:.1f} MB; the limit is "
                                                        f"{MAX_ROW_BYTES / 1e6:.0f} MB a row, as for a file)")
                    continue
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as e:
                    yield LoadError(f"{path}:{lineno}", f"not UTF-8 at byte {e.start}")
                    continue
                if lineno == 1:
                    line = line.lstrip("\ufeff")
                if line.strip():
                    yield _row(path, lineno, line, articles)
    except (EOFError, zlib.error, gzip.BadGzipFile) as e:
        yield LoadError(f"{path}:{lineno + 1}", f"truncated or corrupt gzip ({e.__class__.__name__}: {e})")
    except OSError as e:
        yield LoadError(str(path), f"unreadable: {e.strerror or e}")


MAX_ROW_BYTES = _decode.MAX_BYTES  # one row is one story: never larger than a file may be


def _skip_rest_of_line(fh) -> int:
    """Read past the rest of an oversized line, a megabyte at a time (never
    the whole line in memory), and return its size."""
    n = 0
    while chunk := fh.readline(1 << 20):
        n += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return n


def _row(path: Path, lineno: int, line: str, articles: bool = True) -> ClusterRow | Article | LoadError:
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
    if "\\u" in line:  # only a \u escape makes a lone surrogate
        row = scrub_json(row)
    rid = row_id(row.get("id"))
    if "documents" in row:
        docs = row["documents"]
        if isinstance(docs, str):  # original Multi-News form
            docs = docs.split("|||||")
        if not isinstance(docs, list) or not all(isinstance(d, str) for d in docs):
            return RowError(where, "'documents' must be a list of strings", id=rid)
        kept = tuple((i, d) for i, d in enumerate(docs) if d.strip())
        if not kept:
            return RowError(where, "cluster has no non-empty documents", id=rid)
        ref = row.get("summary")
        return ClusterRow(rid, path, lineno, kept, ref if isinstance(ref, str) else None)
    if isinstance(row.get("text"), str) and row["text"].strip():
        if not articles:
            return RowError(where, "an article row ('text'), not a cluster ('documents')", id=rid)
        return article_from_text(
            row["text"], id=_name(rid, path, lineno), path=where,
            title=_str(row.get("title")), outlet=_str(row.get("outlet")), published=_str(row.get("published")),
            url=_str(row.get("url")),
        )
    return RowError(where, "row has neither 'documents' (a cluster) nor a non-empty 'text' (an article)", id=rid)


def _stem(path: Path) -> str:
    name = path.name
    for suffix in JSONL_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _str(value) -> str | None:
    """Metadata from a JSONL row, when it is a non-empty string."""
    return value.strip() or None if isinstance(value, str) else None
