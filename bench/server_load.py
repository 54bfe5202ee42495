"""Heavy-input load on the web API (issue 17): `newsbrief serve` on 127.0.0.1
(started here from this checkout, with its default limits, stopped after).

Phase 1, *heavy*: C clients each POST a 1 MB article (different text each
time, analysis asked for, as the page does) to /api/briefings, over and over
for T seconds, while a prober times GET /api/health, /api/stories and
/api/search every 0.25 s. Reported: the heavy requests' statuses (200, 503
with Retry-After, 504, anything else), and the probes' latencies, which
must stay under 1 s.

Phase 2, *normal*: N clients POST the three Kislyak articles (bench/load.py's
request) for T2 seconds: 0 errors expected.

With the default queue (8 places), 8 heavy clients are all admitted; more
(--clients 16) show the excess refused at once with 503.

Writes bench/results/server_load.json. Only loopback traffic.

    .venv/bin/python bench/server_load.py                     # 8 clients, 60 s heavy, 20 s normal
    .venv/bin/python bench/server_load.py --clients 16 --normal-seconds 0
    .venv/bin/python bench/server_load.py --seconds 30 --normal-seconds 10
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import KISLYAK, ROOT, free_port, percentile, start_server  # noqa: E402  (bench/load.py)

DEV = ROOT.parent / "shared" / "data" / "multinews" / "dev.jsonl"
OUT = ROOT / "bench" / "results" / "server_load.json"
SIZE = 1_000_000  # bytes of UTF-8 an article: just under the 1 MiB per-article limit


def big_texts() -> str:
    """Real news text to cut 1 MB articles from: every dev article, one after the other."""
    with open(DEV, encoding="utf-8") as fh:
        return "\n\n".join(d for line in fh for d in json.loads(line)["documents"])


def article(corpus: str, k: int, n: int) -> str:
    """1 MB of text starting at a different place for each request (no cache answers it)."""
    head = f"Request {n} of client {k}.\n\n"
    start = (k * 7919 + n * 104729) % max(1, len(corpus) - SIZE)
    body = (corpus[start:] + corpus)[:SIZE]
    return (head + body).encode("utf-8")[:SIZE].decode("utf-8", "ignore")


def stats(xs: list[float]) -> dict:
    return {"n": len(xs), "p50": round(percentile(xs, 0.5), 3), "p99": round(percentile(xs, 0.99), 3),
            "max": round(max(xs), 3) if xs else None}


def heavy_phase(base: str, clients: int, seconds: float, corpus: str, server: psutil.Process) -> dict:
    statuses: Counter[str] = Counter()
    retry_after: list[int] = []
    lat: dict[str, list[float]] = {}
    probes: dict[str, list[float]] = {"health": [], "stories": [], "search": []}
    probe_errors: list[str] = []
    rss: list[int] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(k: int) -> None:
        with httpx.Client(timeout=300) as c:
            n = 0
            while time.monotonic() < deadline:
                n += 1
                body = {"articles": [{"text": article(corpus, k, n)}], "analysis": True}
                t = time.monotonic()
                try:
                    r = c.post(base + "/api/briefings", json=body)
                    key = str(r.status_code)
                except httpx.HTTPError as e:
                    r, key = None, e.__class__.__name__
                dt = time.monotonic() - t
                with lock:
                    statuses[key] += 1
                    lat.setdefault(key, []).append(dt)
                    if r is not None and r.status_code == 503:
                        retry_after.append(int(r.headers.get("retry-after", "0")))
                if r is not None and r.status_code == 503:
                    time.sleep(min(2.0, float(r.headers.get("retry-after", "1"))))  # a polite client backs off

    def prober() -> None:
        paths = {"health": "/api/health", "stories": "/api/stories", "search": "/api/search?q=ambassador+Kislyak"}
        with httpx.Client(timeout=30) as c:
            while time.monotonic() < deadline:
                for name, path in paths.items():
                    t = time.monotonic()
                    try:
                        ok = c.get(base + path).status_code == 200
                    except httpx.HTTPError as e:
                        ok = False
                        probe_errors.append(f"{name}: {e.__class__.__name__}")
                    probes[name].append(time.monotonic() - t)
                    if not ok:
                        probe_errors.append(f"{name}: not 200")
                rss.append(sum(p.memory_info().rss for p in [server, *server.children(recursive=True)]))
                time.sleep(0.25)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    threads.append(threading.Thread(target=prober))
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return {"clients": clients, "seconds": seconds, "article_bytes": SIZE, "statuses": dict(statuses),
            "latency_s_by_status": {k: stats(v) for k, v in lat.items()},
            "retry_after_s": sorted(set(retry_after)),
            "probes_s": {k: stats(v) for k, v in probes.items()},
            "probes_over_1s": sum(x > 1.0 for v in probes.values() for x in v),
            "probe_errors": probe_errors[:5], "server_rss_mb_max": round(max(rss, default=0) / 2**20)}


def normal_phase(base: str, clients: int, seconds: float) -> dict:
    texts = [p.read_text(encoding="utf-8") for p in sorted(KISLYAK.glob("*.txt"))]
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(k: int) -> None:
        with httpx.Client(timeout=120) as c:
            n = 0
            while time.monotonic() < deadline:
                n += 1
                arts = [{"text": t} for t in texts[:-1]] + [{"text": texts[-1] + f"\n\nRequest {n} of client {k}."}]
                t = time.monotonic()
                try:
                    r = c.post(base + "/api/briefings", json={"articles": arts, "analysis": True})
                    why = None if r.status_code == 200 else f"HTTP {r.status_code}: {r.text[:200]}"
                except httpx.HTTPError as e:
                    why = f"{e.__class__.__name__}: {e}"
                with lock:
                    (errors.append(why) if why else lat.append(time.monotonic() - t))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return {"clients": clients, "seconds": seconds, "ok": len(lat), "errors": len(errors),
            "latency_s": stats(lat), "error_examples": errors[:3]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60.0, help="length of the heavy phase")
    ap.add_argument("--normal-clients", type=int, default=8)
    ap.add_argument("--normal-seconds", type=float, default=20.0, help="length of the normal phase (0: none)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    if not DEV.is_file() or not any(KISLYAK.glob("*.txt")):
        raise SystemExit(f"needs {DEV} and {KISLYAK} (../shared/data)")
    corpus = big_texts()

    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = Path(tmp) / "serve.log"
        proc = start_server(port, Path(tmp) / "load.db", log)  # `newsbrief serve` binds 127.0.0.1 by default
        try:
            texts = [{"text": p.read_text(encoding="utf-8")} for p in sorted(KISLYAK.glob("*.txt"))]
            httpx.post(base + "/api/articles", json={"articles": texts}, timeout=120).raise_for_status()
            config = httpx.get(base + "/api/config").json()["limits"]
            heavy = heavy_phase(base, args.clients, args.seconds, corpus, psutil.Process(proc.pid))
            time.sleep(1)
            while httpx.get(base + "/api/health").json()["queue"]["busy"]:  # let the heavy work drain
                time.sleep(1)
            normal = normal_phase(base, args.normal_clients, args.normal_seconds) if args.normal_seconds > 0 else None
        finally:
            proc.terminate()
            proc.wait(timeout=60)
        server_errors = [line for line in log.read_text(errors="replace").splitlines() if "Traceback" in line]

    res = {"limits": config, "heavy": heavy, "normal": normal, "server_tracebacks": len(server_errors),
           "machine": {"cpus": os.cpu_count(), "python": platform.python_version()}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(res, indent=1))
    bad = heavy["probes_over_1s"] or heavy["probe_errors"] or (normal and normal["errors"]) or server_errors
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
