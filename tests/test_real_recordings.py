"""The real model on recordings of real people (../shared/audio): words, pace and pauses."""

from __future__ import annotations

import pytest

from voice_interviewer.analyze import analyze_file
from voice_interviewer.config import AnalysisConfig
from tests.real_marks import SPOKEN_SPAN_S, reference_words, true_wpm
from tests.textnorm import wer


@pytest.fixture(scope="module")
def analyses(real_recordings, transcriber):
    return {name: analyze_file(str(meta["path"]), transcriber, AnalysisConfig()) for name, meta in real_recordings.items()}


@pytest.mark.parametrize("name", ["jfk.flac", "osr_us_000_0034_8k.wav", "desk_bottle_16k.wav"])
def test_transcription_within_ten_percent_word_error(analyses, real_recordings, name):
    assert wer(real_recordings[name]["text"], analyses[name]["transcript"]) <= 0.10


@pytest.mark.parametrize("name", ["jfk.flac", "osr_us_000_0034_8k.wav", "desk_bottle_16k.wav"])
def test_pace_is_in_the_human_range(analyses, name):
    m = analyses[name]
    assert 90 <= m["wpm"] <= 180
    assert m["wpm"] < m["articulation_wpm"] <= 260
    assert 0 < m["speech_s"] < m["duration_s"]
    assert -40 < m["volume"]["speech_dbfs"] < -3
    assert m["volume"]["clipping_ratio"] < 0.001


@pytest.mark.parametrize("name", sorted(SPOKEN_SPAN_S))
def test_pace_matches_the_hand_marked_truth(analyses, real_recordings, name):
    """DESIGN.md's wpm against the reference words over the span marked by hand (tests/real_marks.py)."""
    m, text = analyses[name], real_recordings[name]["text"]
    start, end = SPOKEN_SPAN_S[name]
    assert m["word_count"] == pytest.approx(reference_words(text), abs=2)
    assert m["span_s"] == pytest.approx(end - start, rel=0.05)
    assert m["wpm"] == pytest.approx(true_wpm(name, text), rel=0.05)
    assert m["asr"]["unsure"] is False  # a pace this right is not marked approximate


@pytest.mark.parametrize("name", sorted(SPOKEN_SPAN_S))
def test_pace_holds_on_a_call_saved_as_phone_systems_record_calls(real_recordings, transcriber, tmp_path, name):
    """Each recording through a phone line's band, saved as an 8 kHz G.711 mu-law WAV (8 bits a
    sample, as call recorders store calls) and analysed from that file: pace still within 5%."""
    from bench.metrics_accuracy import write_g711
    from voice_interviewer.audio.phone import phone_line
    from voice_interviewer.audio.wav import read_audio

    call = tmp_path / "call.wav"
    write_g711(call, phone_line(read_audio(real_recordings[name]["path"]))[::2])
    m, text = analyze_file(str(call), transcriber, AnalysisConfig()), real_recordings[name]["text"]
    assert wer(text, m["transcript"]) <= 0.10
    assert m["word_count"] == pytest.approx(reference_words(text), abs=2)
    assert m["wpm"] == pytest.approx(true_wpm(name, text), rel=0.05)
    assert m["asr"]["unsure"] is False


def test_jfk_deliberate_pauses_lift_articulation_well_above_overall_rate(analyses):
    m = analyses["jfk.flac"]
    # two gaps of about a second ("...Americans | ask not ... | what your country...")
    assert m["pauses"]["count"] >= 1
    assert 0.9 <= m["pauses"]["longest_s"] <= 1.6
    assert m["articulation_wpm"] >= 1.2 * m["wpm"]


def test_sentences_read_with_pauses_show_pauses(analyses, real_recordings):
    m = analyses["osr_us_000_0034_8k.wav"]
    reference_words = len(real_recordings["osr_us_000_0034_8k.wav"]["text"].split())
    # ten sentences read with a gap after each: most gaps are about a second
    assert 3 <= m["pauses"]["count"] <= 9
    assert m["pauses"]["longest_s"] < 2.5
    assert m["word_count"] == pytest.approx(reference_words, abs=2)


def test_word_times_are_ordered_and_inside_the_audio(analyses):
    for m in analyses.values():
        starts = [w["start"] for w in m["words"]]
        assert starts == sorted(starts)
        assert all(0 <= w["start"] <= w["end"] <= m["duration_s"] + 0.05 for w in m["words"])
        assert all(0 <= w["probability"] <= 1 for w in m["words"])


@pytest.mark.parametrize("name", ["jfk.flac", "osr_us_000_0034_8k.wav", "desk_bottle_16k.wav"])
def test_a_real_speaker_who_has_finished_is_not_heard_as_trailing_off_into_an_um(real_recordings, transcriber, name):
    """Cut as the live path cuts a turn (0.1 s after the last speech), the end of each recording
    is not heard as an "um" run on from the last word: that would keep the interviewer silent
    1.8 s longer after a finished answer. (Inside a recording it may be: desk_bottle's drawn-out
    "one, two, three, four" is, and its speaker does go on after it.) The room is what a session
    would know by then, from the recording's speech ends: osr's reads as an echoing one, and its
    end is heard as the echo's."""
    from voice_interviewer.analysis.silence import rt60_of_falls, speech_end_falls
    from voice_interviewer.analyze import ends_on_filled_pause
    from voice_interviewer.audio.wav import read_audio
    from voice_interviewer.config import SAMPLE_RATE
    from voice_interviewer.speech.vad import speech_regions

    cfg = AnalysisConfig()
    audio = read_audio(real_recordings[name]["path"])
    regions = speech_regions(audio, cfg)
    room = rt60_of_falls(speech_end_falls(audio, regions, cfg), cfg)
    assert (room > 0) == (name == "osr_us_000_0034_8k.wav"), room
    turn = audio[: int((regions[-1][1] + 0.1) * SAMPLE_RATE)]
    assert not ends_on_filled_pause(turn, speech_regions(turn, cfg), transcriber, cfg, room)
