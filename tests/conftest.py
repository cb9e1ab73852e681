"""Shared fixtures: the real model, real espeak-ng speech, the recordings of real people, PulseAudio."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_AUDIO = ROOT.parent / "shared" / "audio"
SR = 16_000


# The suite runs on two pytest-xdist workers (pyproject.toml). The live sessions play in real time
# and mostly wait on audio: they go first, one after another on one worker, while the other runs
# the CPU-bound tests (so they also run on a busy machine, as users' often are). Each module stays
# on one worker (its module fixtures are made once), and so do modules sharing a costly fixture.
LIVE = ("test_devices.py", "test_handsfree.py")
SAME_WORKER = {**{name: "live sessions" for name in LIVE},
               "test_demo.py": "the demo session", "test_report_browser.py": "the demo session"}


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: item.path.name not in LIVE)  # stable: the order within each part stays


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        """xdist's scope scheduling, with a module as the scope, or the group it is in."""

        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return SAME_WORKER.get(module.rsplit("/", 1)[-1], module)

    return SharedFixtureScheduling(config, log)


@pytest.fixture(scope="session")
def transcriber():
    from voice_interviewer.speech.asr import Transcriber

    return Transcriber()


@pytest.fixture(scope="session")
def demo_session(tmp_path_factory):
    """One whole `voice-interviewer demo` in a folder of its own, shared by the tests that only read it
    (each demo takes 20-25 s). Returns (session folder, its events, the finished process)."""
    folder = tmp_path_factory.mktemp("demo") / "session"
    proc = run_cli("demo", "--out", str(folder))
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in (folder / "session.jsonl").read_text().splitlines()]
    return folder, events, proc


@pytest.fixture
def piece_transcriber(transcriber):
    """The live path's background passes; closed after the test, so no decode runs on at exit."""
    from voice_interviewer.config import AnalysisConfig
    from voice_interviewer.speech.incremental import PieceTranscriber

    worker = PieceTranscriber(transcriber, AnalysisConfig())
    yield worker
    worker.close()
    assert not any(thread.is_alive() for thread in worker._threads)


@pytest.fixture(scope="session")
def synth():
    from voice_interviewer.speech.tts import Synthesizer

    return Synthesizer()


@pytest.fixture(scope="session")
def real_recordings() -> dict[str, dict]:
    """The recordings of real people in ../shared/audio and their reference texts."""
    refs = SHARED_AUDIO / "transcripts.json"
    if not refs.exists():
        pytest.skip(f"the real recordings are not here ({SHARED_AUDIO} is absent); they live beside the project checkout")
    data = json.loads(refs.read_text())
    return {name: {**meta, "path": SHARED_AUDIO / name} for name, meta in data.items()}


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SR), dtype=np.float32)


def run_cli(*args: str, env: dict | None = None, timeout: float = 300, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "voice_interviewer", *args],
        capture_output=True, text=True, timeout=timeout, env=env or os.environ.copy(), cwd=cwd,
    )


def start_pulse(runtime: Path) -> tuple[subprocess.Popen, dict]:
    """A private PulseAudio server with two null sinks (DESIGN.md section 2), and the environment to use it."""
    if shutil.which("pulseaudio") is None:
        pytest.skip("pulseaudio is not installed (make install puts it in)")
    env = {**os.environ, "PULSE_RUNTIME_PATH": str(runtime), "PULSE_SERVER": f"unix:{runtime}/native"}
    proc = subprocess.Popen(
        ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n", "--disallow-exit",
         "--load=module-native-protocol-unix",
         "--load=module-null-sink sink_name=vi_speaker",
         "--load=module-null-sink sink_name=vi_mic"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0:
            return proc, env
        if proc.poll() is not None:
            pytest.fail("pulseaudio exited at start-up")
        time.sleep(0.2)
    stop_pulse(proc)
    pytest.fail("pulseaudio did not start within 20 s")


def stop_pulse(proc: subprocess.Popen) -> None:
    """Stop a server started by start_pulse (and only that one)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def pulse(tmp_path_factory):
    """The shared private sound server; yields the environment a process needs to use it."""
    proc, env = start_pulse(tmp_path_factory.mktemp("pulse"))
    yield env
    stop_pulse(proc)
