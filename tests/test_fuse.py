"""Fusion (issue 20): the summary rewritten by a real language model
(SmolLM2-135M, in-process and over llama.cpp's real HTTP server on
127.0.0.1), every sentence shown as generated passing the checker, refused
rewrites falling back to their cited sentences, a backend that is down
leaving the briefing extractive, and the CLI without a backend."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import newsbrief
from newsbrief.briefing.check import check_sentence, evidence
from newsbrief.briefing.fuse import JUDGE, Limits, dropped, fuse, groups, new_words, written
from newsbrief.llm import OpenAIChat
from newsbrief.model import Briefing, Citation, SummarySentence
from newsbrief.render import GENERATED, render
from test_schema import check as validates

ROOT = Path(__file__).resolve().parents[1]


def all_generated_pass(b: Briefing) -> int:
    """Check every sentence shown as generated again, from the JSON alone
    (not the fusion's own verdict); the number of them."""
    doc = json.loads(json.dumps(b.to_dict()))
    validates(doc)
    shown = [s for s in doc["summary"] if s.get("generated")]
    for s in shown:
        got = check_sentence(s["text"], evidence(SummarySentence.from_dict(r) for r in s["replaces"]))
        assert got.ok, (s["text"], got.problems)
    return len(shown)


@pytest.fixture(scope="module")
def kislyak_briefing(kislyak) -> Briefing:
    return newsbrief.brief(kislyak)


def cited(source: str, n: int) -> SummarySentence:
    return SummarySentence(f"{source} sentence {n}.", [Citation(source, n, 0, 1, f"{source} sentence {n}.")])


def test_groups_stay_in_paragraphs_in_order_and_are_even() -> None:
    summary = [cited("a", 0), cited("a", 1), cited("a", 2), cited("a", 3), cited("b", 0),
               cited("a", 5), cited("a", 6), cited("a", 7), cited("a", 8), cited("a", 9)]
    assert groups(summary) == [[0, 1], [2, 3], [4], [5, 6, 7], [8, 9]]
    assert groups([]) == []


def test_model_preamble_and_wrapping_quotes_are_not_sentences() -> None:
    assert written('Here is the rewritten text:\n"The bridge opened on May 1. It cost $5 million."') == [
        "The bridge opened on May 1.", "It cost $5 million."]
    assert written('"It is fine," she said.') == ['"It is fine," she said.']
    assert written("  \n") == []


def test_words_the_sources_lack_are_found_up_to_stems() -> None:
    sources = ["The meetings themselves were not illegal, but Sessions failed to disclose them."]
    assert new_words("The meeting itself was not illegal, but it was not disclosed.", sources) == []
    assert new_words("Sessions, renowned for his ability, failed to disclose 2 meetings.", sources) == [
        "renowned", "ability"]


def test_a_claim_told_as_fact_or_a_hedge_dropped_is_caught() -> None:
    assert dropped(["Dickson Wright enjoyed a fantastic life."],
                   ["Dickson Wright said she had enjoyed a fantastic life."]) == "the rewrite drops who said it ('said')"
    assert dropped(["The suspect killed the victim."], ["The suspect killed the victim, a prosecutor says."])
    assert dropped(["The economy will not notice a shutdown."], ["The economy may not notice a shutdown."]) == (
        "the rewrite drops how sure the source is ('may')")
    assert dropped(["Police told reporters the road was closed."], ["The road was closed, police said."]) is None
    assert dropped(["The bridge opened in May."], ["The bridge opened in May."]) is None


def test_fused_json_round_trips_and_old_json_loads(kislyak_briefing: Briefing) -> None:
    group = kislyak_briefing.summary[:2]
    gen = SummarySentence("Fluent.", [c for s in group for c in s.citations], generated=True, replaces=list(group),
                          check={"ok": True, "problems": [], "checked": []})
    back = SummarySentence(**{**{f: getattr(group[0], f) for f in ("text", "citations", "support", "edits",
                                                                    "disputed")}, "reason": "number 15 ..."})
    doc = Briefing(kislyak_briefing.sources, [gen, back], "ranker", 2).to_dict()
    assert Briefing.from_dict(doc).to_dict() == doc
    assert doc["summary"][1]["generated"] is False and doc["summary"][1]["reason"] == "number 15 ..."
    plain = kislyak_briefing.to_dict()
    assert "fusion" not in plain and all("generated" not in s for s in plain["summary"])
    assert not any(s.generated or s.reason for s in Briefing.from_dict(plain).summary)


@pytest.fixture(scope="module")
def dev3(shared: Path) -> Path:
    """Dev cluster 3, where the test model's rewrites pass every gate (4 of its 8 groups; on the Kislyak
    story SmolLM2 now passes none: it copies, drops who said it, or adds words)."""
    dev = shared / "multinews" / "dev.jsonl"
    if not dev.is_file():
        pytest.skip(f"no {dev}")
    return dev


def test_a_dev_cluster_fused_in_process(dev3: Path, local_llm) -> None:
    briefing = newsbrief.brief(dev3, cluster="3")
    fused = fuse(briefing, local_llm)
    assert fused.fusion is not None and fused.fusion.tokens > 0
    assert all_generated_pass(fused) == fused.fusion.generated >= 1
    assert len(groups(briefing.summary)) == fused.fusion.refused + fused.fusion.skipped + len(
        {tuple(r.text for r in s.replaces) for s in fused.summary if s.generated})
    originals = [(s.text, s.citations) for s in briefing.summary]
    for s in fused.summary:  # a sentence not generated is an extractive one, unchanged, saying why
        assert s.generated or (s.reason and (s.text, s.citations) in originals)
    assert briefing.fusion is None  # the input briefing is left as it was
    md = render(fused, "md")
    assert md.count(GENERATED) == fused.fusion.generated + 1  # each generated sentence, and the note
    assert "rewritten by smollm2 from the cited sentences and checked" in md
    supports = [s.check["support"] for s in fused.summary if s.generated]
    assert fused.fusion.judged == len(supports) and all(0.0 <= p <= 1.0 for p in supports)


def test_cli_fuses_through_a_real_openai_compatible_server(dev3: Path, llm_server, local_llm) -> None:
    env = {**os.environ, "NEWSBRIEF_LLM_API_KEY": llm_server.api_key}
    out = subprocess.run([sys.executable, "-m", "newsbrief", "brief", str(dev3), "--cluster", "3", "--fuse", "--llm",
                          llm_server.url, "--llm-model", llm_server.model, "-f", "json", "--no-analysis"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    over_http = Briefing.from_dict(json.loads(out.stdout))
    assert all_generated_pass(over_http) >= 1
    in_process = fuse(newsbrief.brief(dev3, cluster="3"), local_llm)  # the same model, the same answers over HTTP
    assert [s.text for s in over_http.summary] == [s.text for s in in_process.summary]


class Rewriter:
    """A language model of our own over a real OpenAI-compatible HTTP server
    on 127.0.0.1: it answers each rewrite with the first two sentences it
    was given made one ("A; B."), every number in them raised by one (the
    model "changed a number"), and each "is it supported?" with "Yes" and, when ``top`` is
    set, those token log-probabilities."""

    def __init__(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                choice: dict = {"finish_reason": "stop"}
                if body["messages"][0]["content"] == JUDGE:
                    owner.judged += 1
                    text = "Yes"
                    if owner.top and body.get("logprobs"):
                        alternatives = [{"token": t, "logprob": lp} for t, lp in owner.top.items()]
                        choice["logprobs"] = {"content": [{"token": "Yes", "logprob": owner.top.get("Yes", -9.0),
                                                           "top_logprobs": alternatives}]}
                else:
                    owner.asked += 1
                    lines = body["messages"][-1]["content"].split("\n")[:2]
                    joined = "; ".join(line.rstrip(".") for line in lines) + "." if len(lines) > 1 else lines[0]
                    text = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), joined)
                choice["message"] = {"role": "assistant", "content": text}
                answer = json.dumps({"choices": [choice],
                                     "usage": {"prompt_tokens": 100, "completion_tokens": 50}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args) -> None:
                pass

        self.asked = 0
        self.judged = 0
        self.top: dict[str, float] = {}
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"


@pytest.fixture()
def rewriter() -> Iterator[Rewriter]:
    r = Rewriter()
    thread = threading.Thread(target=r.httpd.serve_forever, daemon=True)
    thread.start()
    yield r
    r.httpd.shutdown()
    r.httpd.server_close()


def test_a_changed_number_falls_back_to_the_cited_sentences(kislyak_briefing: Briefing, rewriter) -> None:
    fused = fuse(kislyak_briefing, OpenAIChat(rewriter.url, model="changer", retries=0))
    assert rewriter.asked == len(groups(kislyak_briefing.summary))
    summary = kislyak_briefing.summary
    numbered = {id(summary[i]) for g in groups(summary) if any(re.search(r"\d", summary[j].text) for j in g[:2])
                for i in g}
    assert numbered, "the Kislyak summary has numbers (1985 to 1989)"
    back = [s for s in fused.summary if not s.generated]
    changed = [s for s in back if "is not in the cited sentences" in s.reason]
    copied = [s for s in back if s.reason == "the model only copied cited sentences: they stand as they are"]
    assert changed and len(changed) + len(copied) == len(back)
    assert all(s.check and not s.check["ok"] and s.check["text"] != s.text for s in changed)
    assert {s.text for s in changed} == {s.text for s in kislyak_briefing.summary if id(s) in numbered}
    assert fused.fusion.refused >= 1 and all_generated_pass(fused) == fused.fusion.generated >= 1
    assert not any(re.search(r"\d", s.text) for s in fused.summary if s.generated)
    md = render(fused, "md").split("## Sources")[0]
    assert all(s.check["text"] not in md for s in changed)  # the changed numbers are never shown


def test_a_copy_of_the_cited_sentences_is_not_shown_as_generated(kislyak_briefing: Briefing, rewriter) -> None:
    fused = fuse(kislyak_briefing, OpenAIChat(rewriter.url, model="changer", retries=0))
    singles = [g for g in groups(kislyak_briefing.summary) if len(g) == 1
               and not re.search(r"\d", kislyak_briefing.summary[g[0]].text)]
    assert singles, "the Kislyak summary has one-sentence groups without numbers"
    extractive = {s.text: s for s in fused.summary if not s.generated}
    for g in singles:  # the rewriter gave each back as it was: no †, the extractive sentence with its edits
        original = kislyak_briefing.summary[g[0]]
        s = extractive[original.text]
        assert "only copied" in s.reason and s == dataclasses.replace(original, generated=False, reason=s.reason)
    assert fused.fusion.generated >= 1  # "A; B." from a two-sentence group is a rewrite


def test_the_models_own_support_probability_is_recorded(kislyak_briefing: Briefing, rewriter) -> None:
    rewriter.top = {"Yes": -0.2231435513, " no": -1.6094379124, "The": -0.1}  # P(yes) 0.8, P(no) 0.2
    fused = fuse(kislyak_briefing, OpenAIChat(rewriter.url, model="changer", retries=0))
    generated = [s for s in fused.summary if s.generated]
    assert generated and rewriter.judged == len(generated) == fused.fusion.judged
    assert all(s.check["support"] == 0.8 for s in generated)  # "The" is neither answer: not counted
    assert not any("support" in (s.check or {}) for s in fused.summary if not s.generated)
    validates(json.loads(render(fused, "json")))


def test_min_support_refuses_what_the_model_doubts(kislyak_briefing: Briefing, rewriter) -> None:
    rewriter.top = {"Yes": -0.2231435513, "No": -1.6094379124}
    fused = fuse(kislyak_briefing, OpenAIChat(rewriter.url, model="changer", retries=0),
                 limits=Limits(min_support=0.9))
    assert fused.fusion.generated == 0 and rewriter.judged >= 1
    doubted = [s for s in fused.summary if "judged its own rewrite unsupported (P(yes) 0.80 < 0.9)" in s.reason]
    assert doubted and all(s.check["support"] == 0.8 and s.check["ok"] for s in doubted)
    assert [s.text for s in fused.summary] == [s.text for s in kislyak_briefing.summary]


def test_a_backend_without_token_probabilities_records_none(kislyak_briefing: Briefing, rewriter) -> None:
    fused = fuse(kislyak_briefing, OpenAIChat(rewriter.url, model="changer", retries=0),
                 limits=Limits(min_support=0.9))  # no probability: the gate cannot refuse on it
    generated = [s for s in fused.summary if s.generated]
    assert generated and all(s.check["support"] is None for s in generated) and fused.fusion.judged == 0
    fused = fuse(kislyak_briefing, OpenAIChat(rewriter.url, model="changer", retries=0), limits=Limits(judge=False))
    assert rewriter.judged == len(generated)  # judge=False asks nothing more
    assert not any("support" in (s.check or {}) for s in fused.summary)


def test_token_budget_leaves_the_rest_extractive(kislyak_briefing: Briefing, rewriter) -> None:
    fused = fuse(kislyak_briefing, OpenAIChat(rewriter.url, model="changer", retries=0), limits=Limits(tokens=600))
    assert rewriter.asked >= 1 and fused.fusion.skipped >= 1
    assert rewriter.asked + fused.fusion.skipped == len(groups(kislyak_briefing.summary))
    assert any("token budget of 600" in (s.reason or "") for s in fused.summary)
    assert "left extractive: the model's budget was spent" in render(fused, "md")


def test_a_backend_that_is_down_leaves_the_briefing_extractive(kislyak_briefing: Briefing, rewriter) -> None:
    down = OpenAIChat(rewriter.url, model="x", retries=0, timeout=5)
    rewriter.httpd.shutdown()
    rewriter.httpd.server_close()  # nothing listens on the port any more
    fused = fuse(kislyak_briefing, down)
    assert fused.summary == kislyak_briefing.summary and fused.fusion is None
    assert fused.errors[-1].source == "llm" and "fusion failed, the summary is extractive" in fused.errors[-1].reason
    assert "cannot connect" in fused.errors[-1].reason


def test_fuse_without_a_backend_exits_2_saying_how(examples: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBRIEF_LLM")}
    out = subprocess.run([sys.executable, "-m", "newsbrief", "brief", str(examples), "--fuse"],
                         capture_output=True, text=True, env=env)
    assert out.returncode == 2 and not out.stdout
    assert out.stderr.count("\n") == 1 and "--fuse needs a language model: --llm URL" in out.stderr
    for extra in (["--llm", "m.gguf"], ["--min-support", "0.5"]):
        out = subprocess.run([sys.executable, "-m", "newsbrief", "brief", str(examples), *extra],
                             capture_output=True, text=True, env=env)
        assert out.returncode == 2 and "add --fuse" in out.stderr


def test_without_fuse_no_model_code_loads_and_the_output_is_the_librarys(examples: Path) -> None:
    code = ("import sys; from typer.testing import CliRunner; from newsbrief.cli import app\n"
            f"r = CliRunner().invoke(app, ['brief', {str(examples)!r}, '-f', 'json', '--no-analysis'])\n"
            "assert r.exit_code == 0, r.output\n"
            "assert not {'newsbrief.llm', 'newsbrief.briefing.fuse', 'xllamacpp'} & set(sys.modules)\n"
            "sys.stdout.write(r.stdout)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == render(newsbrief.brief(examples), "json")


def test_every_dev_cluster_fused_shows_only_checked_sentences(shared: Path, local_llm) -> None:
    """The acceptance, over all dev clusters with the test model (about 3 s a
    cluster): no sentence shown as generated fails the checker when checked
    again from the JSON. The model's own judgement is left out (it gates
    nothing by default) to halve the time."""
    dev = shared / "multinews" / "dev.jsonl"
    if not dev.is_file():
        pytest.skip(f"no {dev}")
    clusters = sum(1 for line in dev.open(encoding="utf-8") if line.strip())
    shown = fused = 0
    for k in range(1, clusters + 1):
        b = fuse(newsbrief.brief(dev, cluster=str(k)), local_llm, limits=Limits(judge=False))
        shown += all_generated_pass(b)
        fused += b.fusion is not None
    assert clusters >= 100 and fused >= 0.9 * clusters  # a model too slow for its timeout fuses nothing
    assert shown >= clusters // 2  # bench/fuse.py: generated sentences shown on most clusters (BENCHMARKS.md)
