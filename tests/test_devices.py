"""Real PortAudio devices on a private PulseAudio server with null sinks (DESIGN.md section 2)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from tests.conftest import SR, run_cli, silence
from tests.textnorm import find_phrase, wer
from voice_interviewer.audio.wav import read_audio, write_wav

ANSWER = "Last year I stayed late to help a customer, and she thanked me."


@pytest.fixture(scope="module")
def answer_wav(synth, tmp_path_factory):
    """The simulated candidate's answer, with a short thinking pause before it."""
    path = tmp_path_factory.mktemp("answer") / "answer.wav"
    write_wav(path, np.concatenate([silence(0.6), synth.synthesize(ANSWER), silence(0.3)]))
    return path


def play_into_microphone(pulse: dict, wav) -> None:
    subprocess.run(["paplay", "--device=vi_mic", str(wav)], env=pulse, check=True, timeout=60)


def run_app(pulse: dict, args: list[str], on_listening) -> tuple[int, str]:
    """Run the app on the null-sink devices; `on_listening(n, app)` each time it starts recording."""
    env = {**pulse, "PULSE_SINK": "vi_speaker", "PULSE_SOURCE": "vi_mic.monitor", "PYTHONUNBUFFERED": "1"}
    # Ctrl-C as at a terminal even when the tests run in the background (`make test &`), where
    # the shell starts every child with SIGINT ignored and Python then keeps ignoring it
    app = subprocess.Popen([sys.executable, "-m", "voice_interviewer", *args],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    listening = 0
    try:
        for line in app.stdout:
            if "(listening" in line:
                listening += 1
                on_listening(listening, app)
        rc = app.wait(timeout=240)
    finally:
        if app.poll() is None:
            app.kill()
    return rc, app.stderr.read()


def test_devices_lists_the_pulse_device(pulse):
    proc = run_cli("devices", env=pulse)
    assert proc.returncode == 0, proc.stderr
    assert "pulse" in proc.stdout


def test_speaker_and_microphone_round_trip(pulse, synth, transcriber, tmp_path):
    """Play through DeviceSink into the 'microphone' sink while DeviceRecorder records its monitor."""
    speech = synth.synthesize(ANSWER)
    source = tmp_path / "answer.wav"
    write_wav(source, np.concatenate([silence(0.3), speech, silence(0.3)]))
    recorded = tmp_path / "recorded.wav"
    code = f"""
import time
from voice_interviewer.audio.devices import DeviceRecorder, DeviceSink
from voice_interviewer.audio.wav import read_audio, write_wav
rec = DeviceRecorder()
rec.start()
time.sleep(0.3)
DeviceSink().play(read_audio({str(source)!r}))
time.sleep(0.5)
write_wav({str(recorded)!r}, rec.stop())
print(rec.overflows)
"""
    env = {**pulse, "PULSE_SINK": "vi_mic", "PULSE_SOURCE": "vi_mic.monitor"}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    audio = read_audio(recorded)
    assert audio.size / SR >= speech.size / SR
    assert wer(ANSWER, transcriber.transcribe(audio).text) <= 0.2


def test_live_interview_on_devices(pulse, answer_wav, transcriber, tmp_path):
    """The interviewer speaks into vi_speaker; a simulated candidate answers into vi_mic once it listens."""
    folder = tmp_path / "session"
    # record everything the interviewer says, from the speaker sink's monitor
    heard = subprocess.Popen(
        ["parec", "--device=vi_speaker.monitor", "--format=s16le", "--rate=16000", "--channels=1"],
        env=pulse, stdout=subprocess.PIPE,
    )
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: heard.stdout.read(3200), b"")), daemon=True)
    reader.start()
    answered: list[int] = []

    def candidate(n: int, app: subprocess.Popen) -> None:
        if n == 1:
            play_into_microphone(pulse, answer_wav)
            answered.append(n)

    try:
        rc, stderr = run_app(pulse, ["interview", "--questions", "1", "--answer-seconds", "9", "--out", str(folder)], candidate)
        assert rc == 0, stderr
    finally:
        time.sleep(0.3)
        heard.terminate()
        heard.wait(timeout=10)
        reader.join(timeout=5)
    events = [json.loads(line) for line in (folder / "session.jsonl").read_text().splitlines()]
    types = [e["type"] for e in events]
    assert types[0] == "session_start" and types[-1] == "session_end" and events[-1]["reason"] == "completed"
    answers = [e for e in events if e["type"] == "answer"]
    assert answered and answers
    # the whole answer was captured, not cut off
    assert wer(ANSWER, answers[0]["analysis"]["transcript"]) <= 0.2, answers[0]["analysis"]["transcript"]
    assert isinstance(answers[0]["input_overflows"], int)  # lost microphone blocks are counted, not hidden
    timing = answers[0]["timing"]
    assert timing["prompt_end"] <= timing["speech_start"] < timing["speech_end"] <= timing["endpoint"]
    assert (folder / "report.html").exists()

    interviewer = np.frombuffer(b"".join(chunks), dtype="<i2").astype(np.float32) / 32768.0
    spoken = transcriber.transcribe(interviewer).text
    # the interviewer's opening, the question's end and the closing all reached the speaker, in order
    marks = [find_phrase(spoken, t) for t in ("making the time today", "to help a customer", "all my questions")]
    assert -1 not in marks and marks == sorted(marks), spoken


def test_no_microphone_is_one_sentence_pointing_to_the_demo(tmp_path):
    env = {**os.environ, "PULSE_SERVER": "unix:/nonexistent/voice-interviewer"}
    listing = run_cli("devices", env=env)
    if listing.returncode == 0:
        pytest.skip("this machine has a sound card besides PulseAudio: it cannot be made microphone-less here")
    proc = run_cli("interview", "--out", str(tmp_path / "s"), env=env)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "voice-interviewer: No microphone (input device) was found. Try `make demo` for a session with no microphone."
    assert not (tmp_path / "s").exists()


def test_unknown_input_device_is_one_sentence(pulse, tmp_path):
    proc = run_cli("interview", "--input-device", "usb headset 9000", "--out", str(tmp_path / "s"), env=pulse)
    assert proc.returncode == 2 and "no microphone (input device) named 'usb headset 9000'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_ctrl_c_mid_answer_keeps_every_finished_answer(pulse, answer_wav, tmp_path):
    folder = tmp_path / "session"

    def candidate(n: int, app: subprocess.Popen) -> None:
        if n == 1:
            play_into_microphone(pulse, answer_wav)
        else:  # the second answer is under way: the candidate presses Ctrl-C
            time.sleep(1.0)
            app.send_signal(signal.SIGINT)

    rc, stderr = run_app(pulse, ["interview", "--questions", "3", "--answer-seconds", "6", "--out", str(folder)], candidate)
    assert rc == 130, stderr
    events = [json.loads(line) for line in (folder / "session.jsonl").read_text().splitlines()]
    answers = [e for e in events if e["type"] == "answer"]
    assert len(answers) >= 1
    assert wer(ANSWER, answers[0]["analysis"]["transcript"]) <= 0.2
    assert events[-1]["type"] == "session_end" and events[-1]["reason"] == "interrupted"
    assert (folder / "report.html").exists() and ANSWER.split()[0] in (folder / "report.md").read_text()


def test_live_call_on_devices(pulse, synth, tmp_path):
    """The trainee takes a role-play call through real devices and resolves it in three turns."""
    from voice_interviewer.call.scenario import load_scenarios

    scenario = load_scenarios()["late_refund"]
    wavs = []
    for i, line in enumerate(scenario.demo_trainee):
        path = tmp_path / f"turn{i}.wav"
        write_wav(path, np.concatenate([silence(0.6), synth.synthesize(line.text, rate_wpm=170), silence(0.2)]))
        wavs.append(path)
    folder = tmp_path / "call"
    rc, stderr = run_app(
        pulse, ["call", "--scenario", "late_refund", "--answer-seconds", "10", "--out", str(folder)],
        lambda n, app: n <= len(wavs) and play_into_microphone(pulse, wavs[n - 1]),
    )
    assert rc == 0, stderr
    events = [json.loads(line) for line in (folder / "session.jsonl").read_text().splitlines()]
    end = events[-1]
    assert end["type"] == "session_end" and end["call"]["outcome"] == "resolved", end
    answers = [e for e in events if e["type"] == "answer"]
    assert len(answers) == 3 and not any(a["talked_over"] for a in answers)
    assert wer(scenario.demo_trainee[0].text, answers[0]["analysis"]["transcript"]) <= 0.3


def test_pulled_headset_keeps_every_finished_answer(answer_wav, tmp_path):
    """The sound server goes away mid-answer, as a USB headset does when pulled out."""
    from tests.conftest import start_pulse, stop_pulse

    server, env = start_pulse(tmp_path / "pulse")
    folder = tmp_path / "session"

    def candidate(n: int, app: subprocess.Popen) -> None:
        if n == 1:
            play_into_microphone(env, answer_wav)
        elif n == 2:  # mid-way through the next answer, the headset is pulled out
            time.sleep(1.0)
            stop_pulse(server)

    try:
        rc, stderr = run_app(env, ["interview", "--questions", "3", "--answer-seconds", "6", "--out", str(folder)], candidate)
    finally:
        stop_pulse(server)
    assert rc == 2
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "unplugged" in lines[0], stderr[-2000:]
    events = [json.loads(line) for line in (folder / "session.jsonl").read_text().splitlines()]
    answers = [e for e in events if e["type"] == "answer"]
    assert len(answers) >= 1 and wer(ANSWER, answers[0]["analysis"]["transcript"]) <= 0.2
    assert events[-1]["type"] == "session_end" and events[-1]["reason"] == "error"
    assert (folder / "report.html").exists()
