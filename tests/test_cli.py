"""The command line as a user meets it: the analyze contract, bad input, and no network."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import run_cli, silence
from voice_interviewer.audio.wav import write_wav

CONTRACT_KEYS = {
    "file", "duration_s", "speech_s", "transcript", "word_count", "wpm", "articulation_wpm",
    "words", "fillers", "pauses", "volume", "asr",
}


@pytest.fixture(scope="module")
def answer_wav(tmp_path_factory, synth):
    path = tmp_path_factory.mktemp("answers") / "answer.wav"
    speech = synth.synthesize("Um, last year I helped a customer fix her bill, and she thanked me.")
    write_wav(path, np.concatenate([silence(0.5), speech, silence(1.2), speech, silence(0.5)]))
    return path


def one_clear_sentence(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert proc.stdout == ""
    return lines[0]


def test_analyze_json_holds_every_contract_key(answer_wav):
    proc = run_cli("analyze", str(answer_wav), "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert CONTRACT_KEYS <= set(result)
    assert result["file"] == str(answer_wav)
    assert set(result["fillers"]) >= {"count", "per_minute", "items"}
    assert set(result["pauses"]) >= {"count", "longest_s", "items"}
    assert set(result["volume"]) >= {"speech_dbfs", "clipping_ratio"}
    assert set(result["asr"]) >= {"model", "avg_logprob", "no_speech_prob"}
    assert result["asr"]["model"] == "tiny.en (embedded)"
    assert all(set(w) >= {"text", "start", "end", "probability", "filler"} for w in result["words"])
    assert all(f["kind"] in ("filled_pause", "lexical") for f in result["fillers"]["items"])
    assert "thanked me" in result["transcript"].lower()
    assert result["pauses"]["count"] == 1
    assert "followup" not in result


def test_analyze_with_question_adds_the_followup(answer_wav):
    proc = run_cli("analyze", str(answer_wav), "--json", "--question", "irate_customer")
    assert proc.returncode == 0, proc.stderr
    followup = json.loads(proc.stdout)["followup"]
    assert set(followup) == {"kind", "text", "evidence"}
    assert followup["kind"] == "competency_probe"  # no calm, listening or apology in the answer


def test_analyze_table_is_readable(answer_wav):
    proc = run_cli("analyze", str(answer_wav))
    assert proc.returncode == 0, proc.stderr
    for label in ("words", "pace", "fillers", "pauses", "volume", "transcript:"):
        assert label in proc.stdout


def test_analyze_needs_no_network_at_all(answer_wav):
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare to run in a namespace without a network")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"this sandbox does not allow network namespaces: {probe.stderr.decode().strip()}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    proc = subprocess.run(
        ["unshare", "-n", sys.executable, "-m", "voice_interviewer", "analyze", str(answer_wav), "--json"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["word_count"] > 5


def test_analyze_does_not_load_portaudio(answer_wav):
    code = (
        "import sys; from voice_interviewer.cli import main; "
        f"rc = main(['analyze', {str(answer_wav)!r}]); "
        "assert 'sounddevice' not in sys.modules, 'sounddevice was imported'; sys.exit(rc)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def test_truncated_wav_is_analysed_up_to_where_it_stops(answer_wav, tmp_path):
    cut = tmp_path / "cut.wav"
    data = answer_wav.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    proc = run_cli("analyze", str(cut), "--json")
    assert proc.returncode == 0, proc.stderr
    full = json.loads(run_cli("analyze", str(answer_wav), "--json").stdout)
    assert json.loads(proc.stdout)["duration_s"] == pytest.approx(full["duration_s"] / 2, abs=0.1)


@pytest.mark.parametrize("codec", ["pcm_mulaw", "pcm_alaw"])
def test_a_call_recorded_as_a_phone_system_stores_it_is_measured(answer_wav, tmp_path, codec):
    """Call recordings are often 8 kHz G.711 (8-bit mu-law or A-law) WAV files: the same answer,
    so recorded, is read and measured, its pause and speaking span where they are at 16 kHz."""
    from bench.metrics_accuracy import write_g711
    from voice_interviewer.audio.phone import phone_line
    from voice_interviewer.audio.wav import read_audio

    call = tmp_path / "call.wav"
    write_g711(call, phone_line(read_audio(answer_wav))[::2], codec=codec)
    assert call.read_bytes()[20:22] == {"pcm_mulaw": b"\x07\x00", "pcm_alaw": b"\x06\x00"}[codec]  # WAV format tag
    proc = run_cli("analyze", str(call), "--json")
    assert proc.returncode == 0, proc.stderr
    heard, full = json.loads(proc.stdout), json.loads(run_cli("analyze", str(answer_wav), "--json").stdout)
    # the timing is the same; the words are tiny.en's on espeak through the band ("she panked me"),
    # with or without G.711: the pace of people's calls is checked in test_real_recordings
    assert heard["transcript"].lower().count("last year") == 2 and "customer" in heard["transcript"].lower()
    assert heard["pauses"]["count"] == 1
    assert heard["pauses"]["items"][0]["start"] == pytest.approx(full["pauses"]["items"][0]["start"], abs=0.1)
    assert heard["pauses"]["items"][0]["end"] == pytest.approx(full["pauses"]["items"][0]["end"], abs=0.1)
    assert heard["span_s"] == pytest.approx(full["span_s"], abs=0.1)


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda d: d / "missing.wav", "no such file"),
        (lambda d: (d / "empty.wav").write_bytes(b"") and d / "empty.wav" or d / "empty.wav", "is empty"),
        (lambda d: (d / "notes.wav").write_text("these are my notes, not audio\n" * 20) and d / "notes.wav", "not a readable audio file"),
        (lambda d: d, "is a folder"),
    ],
    ids=["missing", "empty", "text-named-wav", "folder"],
)
def test_bad_audio_gets_one_sentence(tmp_path, make, expected):
    target = make(tmp_path)
    message = one_clear_sentence(run_cli("analyze", str(target), "--json"))
    assert expected in message and str(target) in message


def test_file_without_audio_stream(tmp_path):
    import av

    path = tmp_path / "video_only.mp4"  # a real media file that holds video and no audio
    with av.open(str(path), "w") as out:
        stream = out.add_stream("mpeg4", rate=5)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for _ in range(5):
            frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    message = one_clear_sentence(run_cli("analyze", str(path)))
    assert "has no audio stream" in message


def test_wav_with_no_frames(tmp_path):
    path = tmp_path / "header_only.wav"
    write_wav(path, np.zeros(0, np.float32))
    message = one_clear_sentence(run_cli("analyze", str(path)))
    assert "no audio" in message


def test_unknown_question_id(answer_wav):
    message = one_clear_sentence(run_cli("analyze", str(answer_wav), "--question", "extra_mille"))
    assert "Unknown question id 'extra_mille'" in message


def test_unusable_model_path(answer_wav, tmp_path):
    message = one_clear_sentence(run_cli("analyze", str(answer_wav), "--model", str(tmp_path)))
    assert "not a faster-whisper model folder" in message
    message = one_clear_sentence(run_cli("analyze", str(answer_wav), "--model", str(tmp_path / "nope")))
    assert "does not exist" in message


def test_unknown_model_name_offline_is_one_sentence(answer_wav, tmp_path):
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    message = one_clear_sentence(run_cli("analyze", str(answer_wav), "--model", "base.en", env=env))
    assert "base.en" in message and "could not be downloaded" in message


def test_broken_prompts_file_is_one_sentence(answer_wav, tmp_path):
    bank = tmp_path / "bank.toml"
    bank.write_text('[bank]\nid = "x"\ntitle = "x"\n[[questions]]\nid = "q"\n')
    message = one_clear_sentence(run_cli("analyze", str(answer_wav), "--question", "q", "--bank", str(bank)))
    assert str(bank) in message and "questions[0]" in message


def test_unknown_voice_is_one_sentence(tmp_path):
    message = one_clear_sentence(run_cli("demo", "--voice", "klingon-opera", "--out", str(tmp_path / "s")))
    assert "no voice named 'klingon-opera'" in message
    assert not (tmp_path / "s").exists()  # nothing half-made is left behind


def test_interviewer_voice_and_rate_options_change_the_speech(synth):
    slow = synth.synthesize("Tell me about your last job.", rate_wpm=120)
    fast = synth.synthesize("Tell me about your last job.", rate_wpm=220)
    other = synth.synthesize("Tell me about your last job.", voice="en-gb")
    assert slow.size > 1.4 * fast.size
    assert other.size != synth.synthesize("Tell me about your last job.").size


def test_pyttsx3_backend_renders_speech(tmp_path):
    """The back-end used on Windows and macOS, exercised here through pyttsx3's espeak driver."""
    from voice_interviewer.speech.tts import _Pyttsx3

    backend = _Pyttsx3()
    voice = next(v for v in backend.voices() if "en" in v.lower())
    path = tmp_path / "speech.wav"
    backend.render("Thank you for calling.", voice, 160, path)
    from voice_interviewer.audio.wav import read_audio

    assert read_audio(path).size > 16000 * 0.5
