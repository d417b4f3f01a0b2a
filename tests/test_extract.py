"""`corroborate extract` and `corroborate.extract`: read and clean only, streamed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from corroborate import extract

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"
CLI = Path(sys.executable).with_name("corroborate")
ARTICLE_FIELDS = {"id", "source", "outlet", "title", "published", "language", "text",
                  "removed", "flags"}


def test_extract_yields_the_article_fields_of_every_demo_article() -> None:
    expected = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
    extraction = extract([DEMO])
    articles = list(extraction)
    assert {a["id"] for a in articles} == set(expected["articles"])
    for article in articles:
        assert set(article) >= ARTICLE_FIELDS
        assert "sentences" not in article  # offsets belong to the full analysis
        assert article["text"].strip()
        truth = expected["articles"][article["id"]]
        assert article["title"] == truth["title"]
        assert article["published"] == truth["published"]
    assert extraction.rejects == []
    assert extraction.stats["read.skipped-unsupported"] == 2  # README.md, expected.json


def test_the_command_streams_json_lines_and_writes_rejects(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "story.txt").write_text(
        "Harbour crane collapses in gale\n\nA crane at the container harbour collapsed in "
        "a gale on Sunday, the port authority said. Nobody was hurt.\n", encoding="utf-8")
    (inputs / "empty.html").write_bytes(b"")
    rejects = tmp_path / "rejects.jsonl"
    run = subprocess.run([str(CLI), "extract", str(inputs), "--rejects", str(rejects)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    [line] = run.stdout.splitlines()
    article = json.loads(line)
    assert article["title"] == "Harbour crane collapses in gale"
    assert article["text"].startswith("A crane at the container harbour")
    assert "1 articles extracted" in run.stderr
    assert "1 inputs rejected" in run.stderr
    [reject] = [json.loads(r) for r in rejects.read_text(encoding="utf-8").splitlines()]
    assert reject["reason"] == "empty" and reject["source"].endswith("empty.html")


def test_a_bad_field_mapping_is_a_usage_error(tmp_path: Path) -> None:
    run = subprocess.run([str(CLI), "extract", str(DEMO), "--field", "text"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 2
    assert "OURS=THEIRS" in run.stderr


def test_the_command_fetches_a_local_url_only_when_private_addresses_are_allowed() -> None:
    from httpserver import LocalServer

    page = ("<html><head><title>Ferry returns</title></head><body><article>"
            "<h1>Ferry returns</h1><p>The island ferry returned to service on Monday after "
            "repairs to its engine, the operator said in a statement.</p></article>"
            "</body></html>")
    with LocalServer() as server:
        server.page("/ferry", page)
        url = server.url("/ferry")
        refused = subprocess.run([str(CLI), "extract", url], capture_output=True, text=True,
                                 check=False)
        assert refused.returncode == 0
        assert refused.stdout == ""
        assert "blocked-address" in refused.stderr
        assert server.hits() == []  # nothing reached the server
        allowed = subprocess.run([str(CLI), "extract", url, "--allow-private",
                                  "--host-interval", "0"], capture_output=True, text=True,
                                 check=True)
    [article] = [json.loads(line) for line in allowed.stdout.splitlines()]
    assert article["title"] == "Ferry returns"
    assert article["url"] == url
    assert article["crawled"]
    assert "island ferry returned" in article["text"]
