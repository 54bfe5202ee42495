"""Word-level views of text shared by every method: lower-cased words,
content words without stop words, and Porter stems (the stemmer rouge-score
uses, so what we optimise is what ROUGE counts)."""

from __future__ import annotations

import gzip
import hashlib
import re
import zlib
from pathlib import Path


def _load_porter() -> type:
    """nltk's ``PorterStemmer`` without running nltk's package ``__init__``.

    Why: that ``__init__`` imports most of nltk, and with it scikit-learn
    and scipy.stats (about 1 s in every process: each CLI call, each batch
    run), for one pure-Python module. ``nltk/stem/porter.py`` is imported
    from its file under placeholder ``nltk`` and ``nltk.stem`` packages, so
    its own three imports (``nltk.redos``, ``nltk.stem.api``,
    ``nltk.termsec``: small modules that import nothing more of nltk) load
    from their files too. Everything loaded that way is then taken out of
    ``sys.modules``: a later ``import nltk`` (rouge-score's) is the
    ordinary, complete one. Any surprise falls back to the ordinary import.
    """
    import importlib
    import importlib.machinery
    import sys
    import types

    if "nltk" not in sys.modules:
        try:
            spec = importlib.machinery.PathFinder.find_spec("nltk")
            root = spec.submodule_search_locations[0]
            for name, sub in (("nltk", root), ("nltk.stem", f"{root}/stem")):
                placeholder = types.ModuleType(name)
                placeholder.__path__ = [sub]
                sys.modules[name] = placeholder
            try:
                return importlib.import_module("nltk.stem.porter").PorterStemmer
            finally:
                for name in [m for m in sys.modules if m == "nltk" or m.startswith("nltk.")]:
                    del sys.modules[name]
        except Exception:  # noqa: BLE001 - another nltk layout: the ordinary import below
            pass
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer


def _english_stop_words() -> frozenset[str]:
    """scikit-learn's ``ENGLISH_STOP_WORDS``, read from the module file that
    holds only that list: importing scikit-learn for one frozenset costs
    about a second in every process."""
    import importlib.machinery
    import importlib.util
    from pathlib import Path

    try:
        spec = importlib.machinery.PathFinder.find_spec("sklearn")
        path = Path(spec.submodule_search_locations[0]) / "feature_extraction" / "_stop_words.py"
        module_spec = importlib.util.spec_from_file_location("_newsbrief_sklearn_stop_words", path)
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
        return frozenset(module.ENGLISH_STOP_WORDS)
    except Exception:  # noqa: BLE001 - another layout: the ordinary import
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return frozenset(ENGLISH_STOP_WORDS)


PorterStemmer = _load_porter()
ENGLISH_STOP_WORDS = _english_stop_words()

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "just", "like", "also", "would", "could", "s"}
_stemmer = PorterStemmer()


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


STEMS_FILE = Path(__file__).resolve().parents[1] / "models" / "stems" / "porter.txt.gz"
# Words stemmed at run time are remembered up to this many entries in all
# (table included), so a long-running server cannot grow without bound.
STEMS_MAX = 400_000


def porter_stem(word: str) -> str:
    """nltk's Porter stem, computed (about 20 µs)."""
    return _stemmer.stem(word)


def porter_digest() -> str:
    """sha256 of the nltk source the stemmer runs: a stem table built with
    another version of it is not used."""
    return hashlib.sha256(Path(PorterStemmer.stem.__code__.co_filename).read_bytes()).hexdigest()


class _Stems(dict[str, str]):
    """Word -> stem: the shipped table of common words
    (``scripts/build_stems.py``), read at the first word stemmed, plus each
    other word once stemmed. A dict rather than ``lru_cache`` so that it can
    start full, and so that a hit is one C-level lookup."""

    loaded = False

    def __missing__(self, word: str) -> str:
        if not self.loaded:
            load_stems()
            if word in self:
                return self[word]
        s = porter_stem(word)
        if len(self) < STEMS_MAX:
            self[word] = s
        return s


_stems = _Stems()


def load_stems() -> None:
    """Read the shipped stem table now rather than at the first word (the
    batch forkserver does, so that its workers start with it)."""
    if not _stems.loaded:
        _stems.loaded = True  # first, so that a concurrent miss stems its word instead of reading twice
        _stems.update(_load_stem_table())


def _load_stem_table(path: Path = STEMS_FILE) -> dict[str, str]:
    """The shipped stems (~110,000 words, ~50 ms to read), or nothing when
    the file is missing or damaged or was built with another nltk: then each
    word is stemmed when first met, with the same result, only slower."""
    try:
        digest, words_line, stems_line = gzip.decompress(path.read_bytes()).decode("utf-8").split("\n")[:3]
        if digest != porter_digest():
            return {}
        words_, stems = words_line.split(" "), stems_line.split(" ")
        return dict(zip(words_, stems)) if len(words_) == len(stems) else {}
    except (OSError, EOFError, ValueError, zlib.error):  # missing, truncated, not gzip, not UTF-8, too few lines
        return {}


def stem(word: str) -> str:
    """The Porter stem of a lower-cased word (what rouge-score's stemmer gives)."""
    return _stems[word]


def content_words(text: str) -> list[str]:
    """Stems of the non-stop-words, the unit of similarity for the
    extractive methods."""
    return [_stems[w] for w in words(text) if w not in STOP_WORDS and len(w) > 1]
