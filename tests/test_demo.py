"""`voice-interviewer demo`: a whole mock interview with the scripted candidate, and its session folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import wave

import pytest

from tests.conftest import run_cli
from tests.textnorm import wer
from voice_interviewer.interview.bank import load_bank
from voice_interviewer.interview.candidates import load_demo_script
from voice_interviewer.speech.asr import Transcriber
from voice_interviewer.audio.wav import read_audio

TIMING_ORDER = ["prompt_end", "speech_start", "speech_end", "endpoint", "transcript_ready", "next_prompt_start"]


def test_session_log_has_every_event_in_order(demo_session):
    folder, events, _ = demo_session
    types = [e["type"] for e in events]
    assert types[0] == "session_start" and types[-1] == "session_end"
    assert events[-1]["reason"] == "completed"
    script = load_demo_script()
    assert [e["question_id"] for e in events if e["type"] == "question"] == [a.question for a in script.answers]
    # every answer is followed by the interviewer's reply to it
    for i, e in enumerate(events):
        if e["type"] == "answer":
            assert events[i + 1]["type"] == "followup" and events[i + 1]["question_id"] == e["question_id"]
    assert events[-1]["answers"] == types.count("answer")


def test_answers_hold_analysis_timing_and_audio(demo_session):
    folder, events, _ = demo_session
    answers = [e for e in events if e["type"] == "answer"]
    assert len(answers) >= 4
    for a in answers:
        assert {"transcript", "wpm", "fillers", "pauses", "volume", "asr"} <= set(a["analysis"])
        times = [a["timing"][k] for k in TIMING_ORDER]
        assert times == sorted(times), a["timing"]
        # the thinking time an interviewer notices: end of the question to the first word
        t = a["timing"]
        assert t["response_delay_s"] == pytest.approx(t["speech_start"] - t["prompt_end"], abs=0.002)
        with wave.open(str(folder / a["audio"])) as w:
            assert w.getframerate() == 16000 and w.getnframes() > 16000
    assert not list((folder / "audio").glob("*.part"))


def test_scripted_answers_are_heard_as_spoken(demo_session):
    _, events, _ = demo_session
    script = {a.question: a for a in load_demo_script().answers}
    first_answers = [e for e in events if e["type"] == "answer" and e["turn"] == 0]
    errors = [wer(script[e["question_id"]].text, e["analysis"]["transcript"]) for e in first_answers]
    assert sum(errors) / len(errors) <= 0.25, errors


def test_interviewer_replies_to_what_was_said(demo_session):
    _, events, _ = demo_session
    followups = {(e["question_id"], e["turn"]): e for e in events if e["type"] == "followup"}
    style = {a.question: a.style for a in load_demo_script().answers}
    # the weak "we just help them" answer gets asked what the candidate did; the strong one moves on
    weak = next(q for q, s in style.items() if s == "weak")
    assert followups[(weak, 0)]["kind"] in ("ask_action", "ask_example")
    strong = next(q for q, s in style.items() if s == "strong")
    assert followups[(strong, 0)]["kind"] == "next_question"
    filler_q = next(q for q, s in style.items() if s == "fillers")
    filler_answer = next(e for e in events if e["type"] == "answer" and e["question_id"] == filler_q)
    assert filler_answer["analysis"]["fillers"]["count"] >= 1
    assert all(f["evidence"] for f in followups.values())


def test_the_filler_answer_reads_in_the_order_it_was_said(demo_session):
    """ "...fix it. You know, um, the company has rules": Whisper times "know" on over the
    pause and the "um" after it. The words keep their order: "you know um", not "you um know"."""
    from voice_interviewer.analysis.fillers import normalize

    _, events, _ = demo_session
    filler_q = next(a.question for a in load_demo_script().answers if a.style == "fillers")
    answer = next(e for e in events if e["type"] == "answer" and e["question_id"] == filler_q and e["turn"] == 0)
    heard = [normalize(w["text"]) for w in answer["analysis"]["words"]]
    assert "you" in heard, heard
    at = heard.index("you")
    assert heard[at: at + 3] == ["you", "know", "um"], heard


def test_call_recording_holds_the_interviewer_speaking_the_questions(demo_session):
    folder, events, _ = demo_session
    audio = read_audio(folder / "demo_call.wav")
    end = next(e for e in events if e["type"] == "answer")["timing"]["prompt_end"]
    opening = Transcriber().transcribe(audio[: int(end * 16000)]).text
    bank = load_bank()
    assert wer(f"{bank.intro} {bank.questions[0].text}", opening) <= 0.2, opening


def test_reports_show_every_answer(demo_session):
    folder, events, proc = demo_session
    md = (folder / "report.md").read_text()
    html = (folder / "report.html").read_text()
    for e in events:
        if e["type"] == "question":
            assert e["text"] in md
            assert e["text"] in html
    assert html.count('<section class="answer"') == sum(e["type"] == "answer" for e in events)
    assert '<mark class="filler">' in html
    assert str(folder / "report.html") in proc.stdout
    # every answer says how long the candidate took to start, in both reports
    delays = [f"Response delay: {e['timing']['response_delay_s']:.1f} s" for e in events if e["type"] == "answer"]
    assert all(d in html and d in md for d in delays), delays


def test_report_rebuilds_and_survives_a_damaged_last_line(demo_session, tmp_path):
    folder, events, _ = demo_session
    copy = tmp_path / "copy"
    copy.mkdir()
    lines = (folder / "session.jsonl").read_text().splitlines()
    # cut off mid-write: the session_end line is half there
    (copy / "session.jsonl").write_text("\n".join(lines[:-1]) + "\n" + lines[-1][:25])
    proc = run_cli("report", str(copy))
    assert proc.returncode == 0, proc.stderr
    assert "is damaged (cut off mid-write)" in proc.stderr
    html = (copy / "report.html").read_text()
    assert html.count('<section class="answer"') == sum(e["type"] == "answer" for e in events)
    assert "cut off" in html


def test_report_of_a_folder_that_is_not_a_session(tmp_path):
    proc = run_cli("report", str(tmp_path))
    assert proc.returncode == 2 and "not a session folder" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_demo_refuses_a_read_only_folder_as_user(tmp_path):
    target = tmp_path / "ro"
    target.mkdir()
    target.chmod(0o500)
    proc = run_cli("demo", "--out", str(target / "s"))
    assert proc.returncode == 2 and "Cannot save the session" in proc.stderr


def test_demo_refuses_a_full_or_read_only_filesystem(tmp_path):
    # /proc is read-only for everyone, root included: a real unwritable place
    proc = run_cli("demo", "--out", "/proc/voice-interviewer-session")
    assert proc.returncode == 2
    assert "Cannot save the session" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_demo_refuses_a_full_disk_up_front(tmp_path):
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    script = (
        f"mount -t tmpfs -o size=16k tmpfs {mount_point} && "
        f"exec {sys.executable} -m voice_interviewer demo --out {mount_point}/session"
    )
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=16k tmpfs {mount_point}"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here to fill up: {probe.stderr.decode().strip()}")
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "Cannot save the session" in proc.stderr and "No space left" in proc.stderr


def test_demo_no_audio_keeps_only_transcripts(tmp_path):
    folder = tmp_path / "s"
    proc = run_cli("demo", "--out", str(folder), "--questions", "1", "--no-audio")
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in (folder / "session.jsonl").read_text().splitlines()]
    answers = [e for e in events if e["type"] == "answer"]
    assert answers and all(a["audio"] is None for a in answers)
    assert not (folder / "audio").exists()
