"""The whole analysis pipeline on espeak-ng speech with known text, known pauses and known level.

Synthetic speech proves the pipeline; accuracy on people is in test_real_recordings.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.conftest import SR, silence
from tests.textnorm import wer
from voice_interviewer.analysis.fillers import is_filled_pause
from voice_interviewer.analyze import analyze_samples
from voice_interviewer.config import AnalysisConfig
from voice_interviewer.interview.bank import load_bank, load_lines
from voice_interviewer.interview.policy import decide_followup

FIRST = "I listened to the customer and checked her account."
SECOND = "Then I booked a technician for the next morning."


def speech_extent(audio: np.ndarray) -> tuple[float, float]:
    """Ground truth on clean synthetic audio: first and last sample above the noise floor."""
    loud = np.flatnonzero(np.abs(audio) > 0.01)
    return loud[0] / SR, loud[-1] / SR


@pytest.fixture(scope="module")
def two_sentences(synth):
    a, b = synth.synthesize(FIRST), synth.synthesize(SECOND)
    return np.concatenate([silence(1.0), a, silence(1.6), b, silence(1.0)]), a, b


def test_known_words_pace_and_one_pause(two_sentences, transcriber):
    audio, a, b = two_sentences
    m = analyze_samples(audio, transcriber, AnalysisConfig())
    assert wer(f"{FIRST} {SECOND}", m["transcript"]) <= 0.15
    true_words = len(f"{FIRST} {SECOND}".split())
    assert abs(m["word_count"] - true_words) <= 1
    start, end = speech_extent(audio)
    true_wpm = true_words / ((end - start) / 60)
    assert m["wpm"] == pytest.approx(true_wpm, rel=0.12)
    assert m["articulation_wpm"] > m["wpm"]
    # exactly one pause of about 1.6 s (the inserted gap plus the trailing silence espeak leaves)
    assert m["pauses"]["count"] == 1
    assert 1.4 <= m["pauses"]["longest_s"] <= 2.2
    gap_start = (SR + a.size) / SR
    assert m["pauses"]["items"][0]["start"] == pytest.approx(gap_start, abs=0.5)
    assert m["duration_s"] == pytest.approx(audio.size / SR, abs=0.01)


def test_words_misheard_in_noise_mark_the_pace_approximate(two_sentences, transcriber):
    """Speech under noise at 5 dB SNR: tiny.en mishears words ("kept the repound"), and says it
    was unsure, so the word count and pace are marked approximate."""
    audio, _, _ = two_sentences
    speech = audio[np.abs(audio) > 2e-3]
    noise = np.random.default_rng(3).standard_normal(audio.size) * np.sqrt(np.mean(speech ** 2) / 10 ** 0.5)
    m = analyze_samples(np.clip(audio + noise, -1, 1).astype(np.float32), transcriber, AnalysisConfig())
    assert m["word_count"] > 10 and wer(f"{FIRST} {SECOND}", m["transcript"]) > 0.15, m["transcript"]
    assert m["asr"]["unsure"] is True, m["asr"]
    # the words it barely heard ("station" for "technician") are left out of the count, which
    # comes nearer the words said; the transcript keeps them
    said = len(f"{FIRST} {SECOND}".split())
    heard = [w for w in m["words"] if not is_filled_pause(w["text"])]
    uncounted = [w for w in heard if not w["counted"]]
    assert uncounted and all(w["probability"] < AnalysisConfig().uncounted_word_probability for w in uncounted), heard
    assert m["word_count"] == len(heard) - len(uncounted) == len(heard) - m["asr"]["uncounted_words"]
    assert abs(m["word_count"] - said) < abs(len(heard) - said), heard


def test_a_pause_in_a_reverberant_room_lasts_from_the_end_of_the_voice_not_of_its_echo(synth, transcriber):
    """A laptop's microphone across a living room (RT60 0.5 s, the echo as loud as the voice): the
    echo rings on for a fifth of a second after each word. A 1.1 s pause is still one, about 1.1 s
    long; the 0.6 s gap is not. Premise: judged on the levels with the echo in them, the same
    silence reads a tenth of a second or more shorter (here 1.01 s: a shorter pause is lost)."""
    from dataclasses import replace

    from bench.metrics_accuracy import reverberant, trim

    a, b, c = (trim(synth.synthesize(t)) for t in (FIRST, SECOND, "She thanked me the next day."))
    audio = reverberant(np.concatenate([silence(0.8), a, silence(1.1), b, silence(0.6), c, silence(1.2)]))
    cfg = AnalysisConfig()
    m = analyze_samples(audio, transcriber, cfg)
    assert m["pauses"]["count"] == 1, m["pauses"]
    (pause,) = m["pauses"]["items"]
    assert abs(pause["end"] - pause["start"] - 1.1) <= 0.1
    assert abs(pause["start"] - (0.8 + a.size / SR)) <= 0.1
    echo_in = analyze_samples(audio, transcriber, replace(cfg, reverb_min_rt60_s=math.inf))
    # judged with the echo in, the same silence reads a tenth of a second or more shorter
    assert echo_in["pauses"]["longest_s"] <= pause["end"] - pause["start"] - 0.1, echo_in["pauses"]


def test_short_gap_is_not_a_pause(synth, transcriber):
    audio = np.concatenate([silence(0.5), synth.synthesize(FIRST), silence(0.4), synth.synthesize(SECOND), silence(0.5)])
    m = analyze_samples(audio, transcriber, AnalysisConfig())
    assert m["pauses"]["count"] == 0


def test_quiet_speech_is_flagged_and_asked_to_speak_up(two_sentences, transcriber):
    audio, _, _ = two_sentences
    loud = analyze_samples(audio, transcriber, AnalysisConfig())
    quiet = analyze_samples(audio * 0.02, transcriber, AnalysisConfig())
    # scaling by 0.02 lowers the level by 20*log10(0.02) = -34 dB
    assert quiet["volume"]["speech_dbfs"] - loud["volume"]["speech_dbfs"] == pytest.approx(-34.0, abs=1.5)
    assert quiet["bands"]["too_quiet"] and not loud["bands"]["too_quiet"]
    decision = decide_followup(quiet, load_bank().question("extra_mile"), load_lines())
    assert decision.kind == "speak_up"


def test_clipped_speech_shows_a_clipping_ratio(two_sentences, transcriber):
    audio, _, _ = two_sentences
    m = analyze_samples(np.clip(audio * 8, -1, 1), transcriber, AnalysisConfig())
    assert m["volume"]["clipping_ratio"] > 0.01
    assert m["word_count"] > 0


def test_silence_and_noise_give_no_words(transcriber):
    rng = np.random.default_rng(7)
    for audio in (silence(5.0), (rng.standard_normal(5 * SR) * 0.05).astype(np.float32)):
        m = analyze_samples(audio, transcriber, AnalysisConfig())
        assert m["word_count"] == 0 and m["transcript"] == ""
        decision = decide_followup(m, load_bank().question("prioritize"), load_lines())
        assert decision.kind == "no_answer"


def test_filled_pauses_spoken_by_espeak_are_found(synth, transcriber):
    audio = np.concatenate([silence(0.5), synth.synthesize("Um, I think, uh, I helped a customer."), silence(0.5)])
    m = analyze_samples(audio, transcriber, AnalysisConfig())
    kinds = [f["kind"] for f in m["fillers"]["items"]]
    assert kinds.count("filled_pause") >= 1
    assert all(f["start"] <= f["end"] for f in m["fillers"]["items"])


STORY = [
    FIRST, SECOND,
    "She called back the next day to say the heating worked.",
    "We talked about her bill and I explained each charge.",
    "After that I wrote a note so the next agent would know.",
]


def test_five_minute_answer_is_measured_whole(synth, transcriber):
    sentences = [synth.synthesize(s) for s in STORY]
    parts = []
    while sum(p.size for p in parts) < 300 * SR:
        parts += [sentences[len(parts) // 2 % len(sentences)], silence(0.6)]
    audio = np.concatenate(parts)[: 300 * SR]
    m = analyze_samples(audio, transcriber, AnalysisConfig())
    assert m["duration_s"] == pytest.approx(300, abs=0.1)
    assert m["span_s"] > 280
    assert m["bands"]["length"] == "high"
    decision = decide_followup(m, load_bank().question("extra_mile"), load_lines())
    assert decision.kind == "summarize"


def test_filled_pauses_found_at_their_known_times(synth, transcriber):
    """Answers assembled from separately spoken pieces, so each "um" / "uh" has an exact time."""
    from bench.metrics_accuracy import ANSWERS, assemble, match

    found_total = hits = wanted_total = 0
    for script in ANSWERS[:2]:
        audio, truth = assemble(synth, script, "gmw/en-US", 150)
        m = analyze_samples(audio, transcriber, AnalysisConfig())
        found = [(f["start"], f["end"]) for f in m["fillers"]["items"] if f["kind"] == "filled_pause"]
        wanted = [(a, b) for kind, a, b in truth.fillers if kind == "filled_pause"]
        hits += match(found, wanted)
        found_total += len(found)
        wanted_total += len(wanted)
    assert wanted_total >= 4
    assert hits / wanted_total >= 0.75  # Whisper alone found under half of these
    assert hits / found_total >= 0.9


@pytest.mark.parametrize("voice, rate", [("gmw/en-GB-x-rp", 145), ("gmw/en-US-nyc", 140)])
def test_telephone_band_answer_is_heard_to_its_last_sentence(synth, transcriber, voice, rate):
    """Over a 300-3400 Hz line Silero at 0.5 missed a third of these answers and Whisper, behind
    its speech filter, never heard the last two sentences (the span ended 5 s early)."""
    from bench.metrics_accuracy import ANSWERS, assemble, telephone
    from voice_interviewer.speech.vad import speech_regions

    clean, truth = assemble(synth, ANSWERS[3], voice, rate)
    call = telephone(clean)
    hop = SR // 50
    frames = clean[: clean.size // hop * hop].reshape(-1, hop)
    sounding = np.flatnonzero(np.sqrt((frames ** 2).mean(axis=1)) > 3e-3)
    covered = np.zeros(frames.shape[0], bool)
    for a, b in speech_regions(call, AnalysisConfig()):
        covered[int(a * 50): int(b * 50) + 1] = True
    assert covered[sounding].mean() >= 0.75  # 0.43 and 0.46 at 0.5; 0.82 and 1.0 now
    m = analyze_samples(call, transcriber, AnalysisConfig())
    last_word_end = max(w["end"] for w in m["words"])
    assert last_word_end == pytest.approx(truth.span[1], abs=0.6)
    assert m["word_count"] >= 0.8 * truth.words


def _median_pitch_hz(audio: np.ndarray) -> float:
    """Median pitch of the loud 40 ms frames (autocorrelation peak in 60-400 Hz)."""
    win, pitches = int(0.04 * SR), []
    for i in range(0, audio.size - win, win):
        f = audio[i: i + win] - audio[i: i + win].mean()
        if np.sqrt(np.mean(f ** 2)) < 0.02:
            continue
        ac = np.correlate(f, f, "full")[win - 1:]
        lo, hi = SR // 400, SR // 60
        pitches.append(SR / (lo + int(np.argmax(ac[lo:hi]))))
    return float(np.median(pitches))


def test_an_espeak_variant_gives_a_female_voice_and_a_wrong_one_a_clear_error(synth):
    from voice_interviewer.errors import UserError

    text = "Thank you for calling, how can I help you today?"
    plain = _median_pitch_hz(synth.synthesize(text, voice="gmw/en-US"))
    female = _median_pitch_hz(synth.synthesize(text, voice="en-us+f3"))
    assert female > 1.4 * plain
    with pytest.raises(UserError, match="no voice variant named 'nosuch'"):
        synth.synthesize(text, voice="gmw/en-US+nosuch")


def test_hedges_and_the_most_used_words_are_heard(synth, transcriber):
    """Habits from real speech through the whole pipeline: three hedges, one word said three times."""
    said = "I think I fixed the bill. Maybe the bill was wrong. I guess the bill was old, so I refunded it."
    m = analyze_samples(np.concatenate([silence(0.5), synth.synthesize(said), silence(0.5)]), transcriber,
                        AnalysisConfig())
    habits = m["habits"]
    assert [h["text"] for h in habits["hedges"]["items"]] == ["i think", "maybe", "i guess"], m["transcript"]
    assert habits["top_words"] == [{"word": "bill", "count": 3}], m["transcript"]  # no word said once


FAST_ANSWER = ("Last winter a customer called because her internet had been down for three days. I apologized, "
               "checked the line from our side, found a fault at the street cabinet, booked an engineer for the "
               "next morning and called her back the same afternoon to confirm it was fixed.")


def test_a_fast_talker_whisper_was_unsure_of_is_still_told_to_slow_down(transcriber, tmp_path):
    """Fast speech is just what Whisper is unsure of, so its word count is approximate; a pace far
    enough over the band is told all the same ("Slow down a little", "(fast)"), an ordinary one is not."""
    from voice_interviewer.report.advice import advice_for
    from voice_interviewer.report.render import write_reports
    from voice_interviewer.speech.tts import Synthesizer

    cfg = AnalysisConfig()
    fast_audio = Synthesizer(rate_wpm=300).synthesize(FAST_ANSWER)
    start, end = speech_extent(fast_audio)
    true_wpm = len(FAST_ANSWER.split()) / ((end - start) / 60)
    fast = analyze_samples(np.concatenate([silence(0.5), fast_audio, silence(0.5)]), transcriber, cfg)
    calm = analyze_samples(np.concatenate([silence(0.5), Synthesizer(rate_wpm=150).synthesize(FAST_ANSWER),
                                           silence(0.5)]), transcriber, cfg)
    # the premise: the fast answer's count is approximate, and its true pace is far over the band
    assert fast["asr"]["unsure"] is True, fast["asr"]
    assert true_wpm > cfg.pace_high_wpm * (1 + cfg.approximate_pace_over_max), true_wpm
    assert calm["bands"]["pace"] == "ok", calm["wpm"]
    answers = [{"turn": 0, "analysis": a, "followup": None, "question_id": q} for q, a in (("a", calm), ("b", fast))]
    slow_down = [i for i in advice_for(answers, cfg, limit=10) if i.title == "Slow down a little"]
    assert len(slow_down) == 1 and f"{fast['wpm']:.0f} wpm" in slow_down[0].number, slow_down
    events = [{"type": "session_start", "questions": ["a", "b"], "started_at": "2026-01-01T10:00:00",
               "bank": "customer_service", "mode": "demo"}]
    for a in answers:
        events += [{"type": "answer", "prompt": "?", **a},
                   {"type": "followup", "question_id": a["question_id"], "turn": 0, "kind": "next_question", "text": "Okay."}]
    events.append({"type": "session_end", "reason": "completed"})
    import json

    (tmp_path / "session.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    md, html = (p.read_text() for p in write_reports(tmp_path))
    assert f"≈ {fast['wpm']:.1f} wpm (fast)" in md, md
    assert md.count("(fast)") == 1
    assert f'<td class="flag">≈ {fast["wpm"]:.1f} wpm</td>' in html
