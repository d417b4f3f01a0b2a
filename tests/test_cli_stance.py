"""`corroborate stance`, run as the installed command on short invented texts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from corroborate import api
from corroborate.analyse.stance_model import LABELS

CLI = Path(sys.executable).with_name("corroborate")

CLAIM = "Port Anselm harbour will stay closed to grain ships until April"
CLOSED = ("The Port Anselm harbour will stay closed to grain ships until April, the harbour "
          "master said on Friday, after storms damaged the main quay.")
DENIED = ("The harbour authority denied reports that Port Anselm harbour will stay closed to "
          "grain ships until April, calling them false. Grain ships were unloading on Friday.")
CONCERT = ("The Brackwater choir sang to a full hall on Sunday evening, and the conductor "
           "thanked the volunteers who had sewn the costumes.")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), "stance", *args], capture_output=True, text=True,
                          check=False)


def test_pairs_print_one_line_per_input_in_order(tmp_path: Path) -> None:
    bodies = [CONCERT, CLOSED, DENIED, CONCERT]
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text("".join(json.dumps({"headline": CLAIM, "body": b, "id": i}) + "\n"
                             for i, b in enumerate(bodies)), encoding="utf-8")
    done = run("--pairs", str(pairs))
    assert done.returncode == 0, done.stderr
    printed = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(printed) == len(bodies)
    assert all(set(p) == {"stance"} and p["stance"] in LABELS for p in printed)
    assert [p["stance"] for p in printed] == api.stance_pairs([(CLAIM, b) for b in bodies])
    assert printed[0] == printed[3] == {"stance": "unrelated"}


def test_malformed_pair_line_exits_2_naming_the_line(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"headline": CLAIM, "body": CLOSED}) + "\n"
                     + json.dumps({"headline": CLAIM}) + "\n", encoding="utf-8")
    done = run("--pairs", str(pairs))
    assert done.returncode == 2
    message = " ".join(done.stderr.split())  # the console wraps long lines
    assert "pairs.jsonl line 2:" in message and "`body`" in message
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_claim_stance_of_each_article(tmp_path: Path) -> None:
    # In-process through the API the command formats (a second subprocess would load
    # the models again for nothing).
    (tmp_path / "closed.txt").write_text(CLOSED, encoding="utf-8")
    (tmp_path / "concert.txt").write_text(CONCERT, encoding="utf-8")
    run_ = api.stance(CLAIM, [tmp_path])
    stances = {found.id: found for found in run_}
    assert sorted(stances) == ["closed", "concert"]
    assert stances["concert"].stance == "unrelated"
    assert stances["closed"].stance in {"agree", "discuss"}
    assert all(0.0 < found.confidence <= 1.0 for found in stances.values())
    assert run_.rejects == []


def test_claim_and_pairs_together_is_a_usage_error(tmp_path: Path) -> None:
    done = run("--claim", CLAIM, "--pairs", str(tmp_path / "none.jsonl"))
    assert done.returncode == 2
    assert "either --claim" in done.stderr


def test_claim_command_prints_id_stance_confidence(tmp_path: Path) -> None:
    # typer's in-process runner: the models are already loaded by the test above.
    from typer.testing import CliRunner

    from corroborate.cli import app

    (tmp_path / "concert.txt").write_text(CONCERT, encoding="utf-8")
    result = CliRunner().invoke(app, ["stance", "--claim", CLAIM, "--quiet", str(tmp_path)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith("concert\t"))
    _article, label, confidence = line.split("\t")
    assert label == "unrelated" and 0.5 < float(confidence) <= 1.0
