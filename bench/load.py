"""Load benchmark of the web API: `newsbrief serve` on 127.0.0.1 (started
here, stopped after), N concurrent clients POSTing the three Kislyak articles
to /api/briefings for T seconds; reports requests/s, latency percentiles and
errors, and writes them to bench/results/load.json.

Each request appends one line naming the request ("Request 17 of client 3.")
to the last article, so that no library cache (parsed sentences, embeddings)
answers a request from an earlier identical one; --same sends identical
requests instead. Requests carry the analysis unless --no-analysis (the page
asks for it by default). Only loopback traffic; the run stops by itself.

    .venv/bin/python bench/load.py                       # 8 clients, 30 s
    .venv/bin/python bench/load.py --clients 1 --seconds 10
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
KISLYAK = ROOT.parent / "shared" / "data" / "kislyak"
OUT = ROOT / "bench" / "results" / "load.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, db: Path, log: Path, workers: int = 1) -> subprocess.Popen:
    env = dict(os.environ, HF_HUB_OFFLINE="1", NEWSBRIEF_DB=str(db))
    with open(log, "w") as fh:  # a file, not a pipe: a full pipe would stall the server
        proc = subprocess.Popen([sys.executable, "-m", "newsbrief", "serve", "--port", str(port),
                                 "--workers", str(workers)], env=env,
                                stdout=fh, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"newsbrief serve exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.terminate()
    raise SystemExit("newsbrief serve did not answer within 120 s")


def percentile(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--analysis", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--workers", type=int, default=1, help="server worker processes (newsbrief serve --workers)")
    ap.add_argument("--same", action="store_true", help="identical requests (library caches may answer)")
    ap.add_argument("--base", help="use a running server (http://127.0.0.1:PORT) instead of starting one")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    files = sorted(KISLYAK.glob("*.txt"))
    if not files:
        raise SystemExit(f"no articles in {KISLYAK} (../shared/data is needed)")
    texts = [p.read_text(encoding="utf-8") for p in files]

    tmp = tempfile.TemporaryDirectory()
    proc = None
    if args.base:
        base = args.base.rstrip("/")
        if not base.startswith(("http://127.", "http://localhost", "http://[::1]")):
            raise SystemExit("--base must be a loopback address")
    else:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        t0 = time.monotonic()
        log = Path(tmp.name) / "serve.log"
        proc = start_server(port, Path(tmp.name) / "load.db", log, args.workers)
        print(f"server up in {time.monotonic() - t0:.1f} s (models warmed) at {base}", file=sys.stderr)

    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + args.seconds

    def client(k: int) -> None:
        with httpx.Client(timeout=120) as c:
            n = 0
            while time.monotonic() < deadline:
                n += 1
                arts = [{"text": t} for t in texts]
                if not args.same:
                    arts[-1] = {"text": texts[-1] + f"\n\nRequest {n} of client {k}."}
                t = time.monotonic()
                try:
                    r = c.post(base + "/api/briefings", json={"articles": arts, "analysis": args.analysis})
                    ok = r.status_code == 200 and r.json().get("summary")
                    why = None if ok else f"HTTP {r.status_code}: {r.text[:200]}"
                except httpx.HTTPError as e:
                    why = f"{e.__class__.__name__}: {e}"
                dt = time.monotonic() - t
                with lock:
                    if why:
                        errors.append(why)
                    else:
                        lat.append(dt)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.monotonic() - start
    server_log = ""
    if proc is not None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        server_log = log.read_text(errors="replace")
    tmp.cleanup()

    res = {
        "clients": args.clients, "workers": args.workers if proc is not None else None, "seconds": round(wall, 2), "analysis": args.analysis, "same": args.same,
        "requests": len(lat) + len(errors), "ok": len(lat), "errors": len(errors),
        "requests_per_second": round(len(lat) / wall, 3),
        "latency_s": {"p50": round(percentile(lat, 0.5), 3), "p90": round(percentile(lat, 0.9), 3),
                      "p99": round(percentile(lat, 0.99), 3), "max": round(max(lat), 3) if lat else None,
                      "mean": round(statistics.fmean(lat), 3) if lat else None},
        "error_examples": errors[:5],
        "server_log_tail": server_log[-1500:] if errors else "",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_before_exit": [round(x, 2) for x in os.getloadavg()]},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(res, indent=1))
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
