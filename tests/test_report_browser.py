"""The HTML report as a person sees it: rendered by headless Chromium to a screenshot and a DOM."""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pytest

from tests.conftest import run_cli

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return name
    pytest.skip("Chromium is not installed (make install puts the Debian package in)")


def render(page, tmp_path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
         *extra, page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )


@pytest.fixture(scope="module")
def session(demo_session):
    """The shared demo's folder (alone in its parent: the progress page is built from that)."""
    return demo_session[0]


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def test_report_renders_with_charts_and_no_console_errors(session, tmp_path):
    page = session / "report.html"
    dom = render(page, tmp_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert console_messages(dom.stderr) == []
    answers = dom.stdout.count('<section class="answer"')
    assert answers >= 4
    assert dom.stdout.count('<svg class="chart"') == 3  # pace, fillers, length
    assert dom.stdout.count('<svg class="timeline"') == answers
    assert dom.stdout.count("<audio") == answers
    # the demo candidate asks once what a question means: that turn is shown, but drawn as no bar
    requests = dom.stdout.count('class="meta request"')
    assert requests == 1
    assert len(re.findall(r'class="bar"', dom.stdout)) == 3 * (answers - requests)
    assert '<ol class="advice">' in dom.stdout and dom.stdout.count("<blockquote>") >= 1


def test_report_is_self_contained(session):
    html = (session / "report.html").read_text()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script" not in html
    assert "<link" not in html


def test_screenshot_shows_the_charts(session, tmp_path):
    from PIL import Image

    shot = tmp_path / "report.png"
    proc = render(session / "report.html", tmp_path, f"--screenshot={shot}", "--window-size=1100,2400")
    assert proc.returncode == 0 and shot.exists(), proc.stderr[-2000:]
    pixels = np.asarray(Image.open(shot).convert("RGB")).reshape(-1, 3).astype(int)

    def share(rgb: tuple[int, int, int]) -> float:
        return float(np.mean(np.all(np.abs(pixels - np.array(rgb)) <= 6, axis=1)))

    assert share((0x4F, 0x74, 0xC8)) + share((0xD9, 0x53, 0x4F)) > 0.005  # bars (in band or out of it)
    assert share((0xDC, 0xEF, 0xE2)) > 0.005  # the shaded target bands
    assert share((0xFF, 0xFF, 0xFF)) < 0.95  # not a blank page


def test_progress_page_renders_without_errors(session, tmp_path):
    root = session.parent
    proc = run_cli("progress", "--dir", str(root))
    assert proc.returncode == 0, proc.stderr
    dom = render(root / "progress.html", tmp_path, "--dump-dom")
    assert dom.returncode == 0 and console_messages(dom.stderr) == []
    assert dom.stdout.count('<svg class="chart trend"') == 6  # pace, fillers, hedges, pauses, length, follow-ups
