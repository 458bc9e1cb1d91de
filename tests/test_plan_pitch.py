"""`python -m core.plan --json --pitch-pack`: the estimator's training cost, a yes/no verdict, a self-contained
pitch.html that names the plan, and a pitch.pdf of several pages printed by headless Chromium."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PLAN_FILE = PROJECT_ROOT / "examples" / "plans" / "pretraining_lab.json"


class Resources(HTMLParser):
    """Every URL the document would fetch: script src, link href, img/iframe/source src, CSS url()."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("src"):
                self.urls.append(attributes["src"])
            else:
                self.inline_scripts += 1
        if tag == "link" and attributes.get("href"):
            self.urls.append(attributes["href"])
        if tag in ("img", "iframe", "source", "embed") and attributes.get("src"):
            self.urls.append(attributes["src"])
        self._in_title = tag == "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag):
        self._in_title = False


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)


def test_cli_pitch_pack_matches_the_estimator_and_is_self_contained(tmp_path):
    from core.plan.pitch import pdf_page_count, pdf_renderer

    plan = json.loads(PLAN_FILE.read_text())
    plan["name"] = "Lab <b>&</b> friends"  # markup in a name is shown as text
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan))
    done = run("core.plan", str(plan_file), "--json", "--pitch-pack", str(tmp_path / "pack"), "--paths", "500")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["holds"] in (True, False) and out["reasons"]

    training = plan["training"]
    estimate = run(
        "core.estimate", "--params", str(training["params"]), "--tokens", str(training["tokens"]),
        "--gpu", training["gpu"], "--gpus", str(training["gpus"]), "--json",
    )  # fmt: skip
    assert estimate.returncode == 0, estimate.stderr
    assert out["training_cost_usd"] == json.loads(estimate.stdout)["cost_usd"]

    document = (tmp_path / "pack" / "pitch.html").read_text(encoding="utf-8")
    parsed = Resources()
    parsed.feed(document)
    assert parsed.urls == [] and parsed.inline_scripts >= 2
    assert "url(http" not in document.replace(" ", "")
    assert "Lab &lt;b&gt;&amp;&lt;/b&gt; friends" in document and "<b>&</b>" not in document
    assert parsed.title.startswith("Lab <b>&</b> friends")
    assert "Plotly.newPlot" in document and document.count('class="plotly-graph-div"') >= 6

    pdf = tmp_path / "pack" / "pitch.pdf"
    if pdf_renderer() is None:
        assert out["pitch_pack"]["pdf"] is None and "apt-get install chromium" in out["pitch_pack"]["message"]
        pytest.skip("no headless Chromium here: pitch.pdf is covered where /usr/bin/chromium exists")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and pdf_page_count(data) >= 6
    assert out["pitch_pack"]["pdf_pages"] == pdf_page_count(data)


def test_without_a_renderer_the_html_is_written_and_the_message_says_how(tmp_path, monkeypatch):
    from core.plan import pitch
    from core.plan.analysis import analyze_plan

    monkeypatch.setattr(pitch, "pdf_renderer", lambda: None)
    result = analyze_plan(json.loads(PLAN_FILE.read_text()), risk_paths=200)
    written = pitch.write_pitch_pack(result, tmp_path / "deep" / "pack")
    assert Path(written["html"]).is_file() and written["pdf"] is None
    assert not (tmp_path / "deep" / "pack" / "pitch.pdf").exists()
    assert "apt-get install chromium" in written["message"] and "print it to PDF" in written["message"]
