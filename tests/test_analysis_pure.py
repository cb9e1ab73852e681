"""Pure analysis functions against known ground truth, and property tests that they never fail."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voice_interviewer.analysis.fillers import find_fillers, is_filled_pause
from voice_interviewer.analysis.metrics import answer_metrics, count_approximate
from voice_interviewer.analysis.timing import (
    TimedToken,
    clean_tokens,
    fit_to_speech,
    off_filled_pauses,
    pace,
    silent_gaps,
)
from voice_interviewer.analysis.volume import clipping_ratio, speech_dbfs
from voice_interviewer.config import AnalysisConfig
from voice_interviewer.speech.asr import Segment, Transcript, Word

SR = 16_000


def fillers(sentence: str) -> list[str]:
    tokens = sentence.split()
    return [" ".join(tokens[s.first: s.last + 1]) for s in find_fillers(tokens)]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("I really like helping people.", []),
        ("What kind of plan do you have?", []),
        ("Do you know your account number?", []),
        ("I would like to help.", []),
        ("It looks like the bill is wrong.", []),
        ("Um, I helped her, uh, fix it.", ["Um,", "uh,"]),
        ("So, I called the customer back.", ["So,"]),
        ("I called, so the customer was happy.", []),
        ("Well, it was like, really hard.", ["Well,", "like,"]),
        ("It was, you know, a long day.", ["you know,"]),
        ("I basically fixed it, I mean, I actually did.", ["basically", "I mean,", "actually"]),
        ("It was kind of hard.", ["kind of"]),
        ("Okay so we start.", ["Okay"]),
        ("Hmm. I think so.", ["Hmm."]),
        ("It was freezing, um, so I booked a technician.", ["um,"]),
        ("It was freezing, Um. so I booked a technician.", ["Um."]),  # "Um." heard alone, set in
        ("Um. So I booked a technician.", ["Um.", "So"]),
        ("A man called, I mean it was freezing.", ["I mean"]),
        ("That is what I mean, sir.", []),
        ("When a caller is angry like I let them finish first.", ["like"]),
        ("It looks like I was wrong.", []),
        ("Customers like you keep us going.", []),
        # "to like" then a bare verb: no verb "like", even with no comma ("try to like fix it")
        ("I would try to like fix it.", ["like"]),
        ("I learned to like my job.", []),
        ("It is hard to like people who shout.", []),
        ("I want to like it.", []),
    ],
)
def test_filler_context_rules(sentence, expected):
    assert fillers(sentence) == expected


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # Whisper often writes no punctuation; "|" is a silent gap before the next word
        ("fix it | you know the company has rules", ["you know"]),
        ("fix it you know the company has rules", []),
        ("do you know | your account number", []),
        ("I would try to | like | fix it", ["like"]),
        ("I used to like | my old job", []),
        ("I really like | helping people", []),
        ("A man called | I mean | it was freezing", ["I mean"]),
        ("that is what I mean | sir", []),
        # a filled pause Whisper placed between the two words does not part them, and still counts
        ("It was, you um, know, a long day.", ["you um, know,", "um,"]),
        ("fix it | you um know the company", ["you um know", "um"]),
        ("do you um know your account number", ["um"]),
        # a pause is no sentence end: "so" after one is the word, not a sentence-initial filler
        ("I was tired | so I went home", []),
    ],
)
def test_a_silent_gap_marks_a_phrase_end_like_a_comma(sentence, expected):
    tokens, pause_before = [], set()
    for t in sentence.split():
        if t == "|":
            pause_before.add(len(tokens))
        else:
            tokens.append(t)
    assert [" ".join(tokens[s.first: s.last + 1]) for s in find_fillers(tokens, pause_before)] == expected


def test_answer_metrics_read_phrase_ends_off_the_silences():
    """No punctuation at all, as tiny.en often writes it: the 0.5 s silence before "you" sets "you know" off."""
    times = [("fix", 0.5, 0.8), ("it", 0.8, 1.0), ("you", 1.5, 1.7), ("know", 1.7, 1.95), ("the", 1.95, 2.1),
             ("company", 2.1, 2.6)]
    audio = sound_at([(s, e) for _, s, e in times], 4)
    m = answer_metrics(words_at(times), audio, [(s, e) for _, s, e in times])
    assert [(f["text"], f["kind"]) for f in m["fillers"]["items"]] == [("you know", "lexical")]
    # said with no silence before it, it is the words "you know" (nothing sets it off)
    joined = [("fix", 0.5, 0.8), ("it", 0.8, 1.0), ("you", 1.0, 1.2), ("know", 1.2, 1.45), ("the", 1.45, 1.6),
              ("company", 1.6, 2.1)]
    m = answer_metrics(words_at(joined), sound_at([(0.5, 2.1)], 4), [(0.5, 2.1)])
    assert m["fillers"]["items"] == []
    # an "um" Whisper placed between the two words is its own filler, not part of "you know"
    times[3:3] = [("um,", 1.72, 1.9)]
    m = answer_metrics(words_at(times), audio, [(s, e) for _, s, e in times])
    assert [(f["text"], f["kind"]) for f in m["fillers"]["items"]] == [("you know", "lexical"), ("um,", "filled_pause")]


def words_at(times: list[tuple[str, float, float]]) -> Transcript:
    return Transcript([Word(t, s, e, 0.9) for t, s, e in times], [Segment(0, 10, "", -0.3, 0.05)], 12.0, "test", " ".join(t for t, _, _ in times))


def sound_at(spans: list[tuple[float, float]], seconds: float, noise_db: float | None = None) -> np.ndarray:
    """A 220 Hz tone at -16 dBFS where the spans are, silence (or white noise at `noise_db`) elsewhere."""
    t = np.arange(int(seconds * SR)) / SR
    tone = 0.22 * np.sin(2 * np.pi * 220 * t)
    on = np.zeros(t.size, bool)
    for a, b in spans:
        on[int(a * SR): int(b * SR)] = True
    audio = np.where(on, tone, 0.0)
    if noise_db is not None:
        audio += np.random.default_rng(3).standard_normal(t.size) * 10 ** (noise_db / 20)
    return audio.astype(np.float32)


def test_pace_and_pauses_on_known_timing():
    # 10 words over exactly 6 s, with one 1.5 s gap (a pause) and one 0.3 s gap (silent, not a pause)
    times, t = [], 1.0
    for i in range(10):
        if i == 5:
            t += 1.5
        if i == 8:
            t += 0.3
        times.append((f"w{i}", t, t + 0.42))
        t += 0.42
    t_end = times[-1][2]
    span = t_end - times[0][1]
    audio = sound_at([(s, e) for _, s, e in times], 12)
    m = answer_metrics(words_at(times), audio, [(s, e) for _, s, e in times])
    assert m["word_count"] == 10
    assert m["wpm"] == pytest.approx(10 / (span / 60), rel=1e-3)
    assert m["articulation_wpm"] == pytest.approx(10 / ((span - 1.8) / 60), rel=1e-2)
    assert m["pauses"]["count"] == 1
    assert m["pauses"]["longest_s"] == pytest.approx(1.5, abs=0.01)
    assert m["pauses"]["items"][0]["start"] == pytest.approx(times[4][2], abs=0.01)


def test_filled_pauses_are_not_words_but_count_in_the_span():
    m = answer_metrics(words_at([("Um,", 0.0, 0.5), ("I", 0.5, 0.7), ("helped.", 0.7, 1.2)]), np.zeros(2 * SR, np.float32), [])
    assert m["word_count"] == 2
    assert m["span_s"] == pytest.approx(1.2)
    assert m["fillers"]["count"] == 1 and m["fillers"]["items"][0]["kind"] == "filled_pause"
    assert m["fillers"]["per_minute"] == pytest.approx(60 / 1.2, rel=1e-2)
    assert [w["filler"] for w in m["words"]] == [True, False, False]


def test_words_are_fitted_to_speech_so_swallowed_silence_becomes_a_gap():
    # Whisper-style: "ask" starts when "Americans" ends although it is spoken 1 s later
    tokens = [TimedToken("Americans", 1.76, 2.26), TimedToken("ask", 2.26, 3.88)]
    fitted = fit_to_speech(tokens, [(0.3, 2.27), (3.3, 4.4)])
    assert fitted[1].start == pytest.approx(3.3)
    assert silent_gaps(fitted, 1.0) == [(2.26, 3.3)]


@pytest.mark.parametrize("noise_db", [None, -50.0])
def test_gaps_are_the_silence_itself_not_the_trimmed_word_edges(noise_db):
    # sounds 1.0-2.0, 2.12-3.0 (a 0.12 s join), 3.4-4.0 (a 0.4 s gap), 5.5-6.0 (a 1.5 s pause)
    sounds = [(1.0, 2.0), (2.12, 3.0), (3.4, 4.0), (5.5, 6.0)]
    audio = sound_at(sounds, 7, noise_db)
    # VAD-fitted words lose ~80 ms at each edge, so the join alone looks like a 0.28 s gap
    trimmed = [("w", a + 0.08, b - 0.08) for a, b in sounds]
    m = answer_metrics(words_at(trimmed), audio, [(a, b) for _, a, b in trimmed])
    assert m["pauses"]["count"] == 1
    assert m["pauses"]["items"][0] == {"start": pytest.approx(4.0, abs=0.02), "end": pytest.approx(5.5, abs=0.02)}
    speaking = (5.92 - 1.08) - 0.4 - 1.5  # the span of the fitted words less the real gaps only
    assert m["articulation_wpm"] == pytest.approx(4 / (speaking / 60), rel=0.02)


def test_a_sound_no_word_covers_splits_the_silence_around_it():
    # an "um" Whisper left out (2.0-2.4) sits inside what the words alone call a 2.2 s pause
    audio = sound_at([(0.5, 1.0), (2.0, 2.4), (3.2, 3.8)], 5)
    m = answer_metrics(words_at([("I", 0.5, 1.0), ("called.", 3.2, 3.8)]), audio, [(0.5, 1.0), (2.0, 2.4), (3.2, 3.8)])
    assert m["pauses"]["count"] == 1 and m["pauses"]["longest_s"] == pytest.approx(1.0, abs=0.02)


def test_silence_threshold_follows_the_noise_floor():
    from voice_interviewer.analysis.silence import quiet_frames

    audio = sound_at([(1.0, 2.0)], 3, noise_db=-40.0)
    quiet = quiet_frames(audio, [(1.0, 2.0)], 0.01, 6.0, 20.0)
    assert quiet[:100].mean() > 0.95 and quiet[200:].mean() > 0.95  # noise alone is silence
    assert not quiet[101:199].any()  # the tone is not


def test_speech_level_of_a_known_sine():
    t = np.arange(SR) / SR
    tone = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    audio = np.concatenate([np.zeros(SR, np.float32), tone])
    # RMS of a sine of amplitude a is a/sqrt(2): 20*log10(0.5/sqrt 2) = -9.03 dBFS
    assert speech_dbfs(audio, [(1.0, 2.0)]) == pytest.approx(-9.03, abs=0.05)
    assert speech_dbfs(audio, []) is None
    assert clipping_ratio(audio) == 0.0
    clipped = np.clip(audio * 4, -1, 1)
    # the amplified tone is at or above 0.99 wherever |sin| >= 0.495: 1 - (2/pi) asin(0.495) of its time, half the clip
    expected = (1 - 2 / np.pi * np.arcsin(0.99 / 2.0)) / 2
    assert clipping_ratio(clipped) == pytest.approx(expected, abs=0.005)


def test_silence_has_no_words_and_no_rates():
    m = answer_metrics(Transcript([], [], 3.0, "test", ""), np.zeros(3 * SR, np.float32), [])
    assert m["word_count"] == 0 and m["wpm"] is None and m["articulation_wpm"] is None
    assert m["fillers"] == {"count": 0, "per_minute": 0.0, "items": []}
    assert m["pauses"]["count"] == 0 and m["volume"]["speech_dbfs"] is None
    assert m["asr"]["avg_logprob"] is None


def test_words_the_model_was_unsure_of_mark_the_pace_approximate():
    """Whisper's mean log-probability over the answer, by segment length: a long unsure segment
    outweighs a short sure one, and the threshold is the config's."""
    words = [(w, 0.5 + i * 0.4, 0.8 + i * 0.4) for i, w in enumerate("I called the customer back the same day".split())]
    samples = np.zeros(5 * SR, np.float32)

    def flagged(segments: list[Segment], cfg: AnalysisConfig = AnalysisConfig()) -> bool:
        m = answer_metrics(Transcript(words_at(words).words, segments, 5.0, "test", ""), samples, [], cfg)
        assert m["asr"]["unsure"] == count_approximate(m, cfg.unsure_logprob)  # the report reads the same off old logs
        return m["asr"]["unsure"]

    assert not flagged([Segment(0, 4, "", -0.3, 0.1)])
    assert flagged([Segment(0, 4, "", -0.7, 0.1)])
    assert flagged([Segment(0, 1, "", -0.2, 0.1), Segment(1, 4, "", -0.7, 0.1)])  # -0.575
    assert not flagged([Segment(0, 3, "", -0.2, 0.1), Segment(3, 4, "", -0.9, 0.1)])  # -0.375
    assert not flagged([Segment(0, 4, "", -0.7, 0.1)], AnalysisConfig(unsure_logprob=-0.8))
    # no words, nothing to be unsure of; an old log without the log-probability is not marked
    assert answer_metrics(Transcript([], [], 3.0, "test", ""), np.zeros(3 * SR, np.float32), [])["asr"]["unsure"] is False
    assert not count_approximate({"word_count": 5, "asr": {"avg_logprob": None}}, -0.5)
    assert not count_approximate({"word_count": 5}, -0.5)


def test_words_the_model_barely_heard_are_left_out_of_the_count_only_where_it_was_unsure():
    """"was upset" heard as "went up and sent", the three extra words at low probability: in an
    answer Whisper was unsure of they are not counted (pace from the words said); in a sure answer
    a low word is mostly a real one and counts; a filled pause never counts."""
    said = [("the", 0.5, 0.6, 0.95), ("customer", 0.6, 1.1, 0.9), ("um", 1.2, 1.5, 0.9), ("went", 1.6, 1.8, 0.4),
            ("up", 1.8, 1.9, 0.12), ("and", 1.9, 2.0, 0.15), ("sent", 2.0, 2.3, 0.1), ("about", 2.4, 2.7, 0.8),
            ("her", 2.7, 2.8, 0.9), ("bill", 2.8, 3.1, 0.92)]
    words = [Word(t, s, e, p) for t, s, e, p in said]
    samples = np.zeros(4 * SR, np.float32)

    def measured(logprob: float, cfg: AnalysisConfig = AnalysisConfig(), ws: list[Word] = words) -> dict:
        return answer_metrics(Transcript(ws, [Segment(0, 4, "", logprob, 0.1)], 4.0, "test", ""), samples, [], cfg)

    unsure = measured(-0.7)
    assert unsure["asr"]["unsure"] and unsure["word_count"] == 6 and unsure["asr"]["uncounted_words"] == 3
    assert [w["text"] for w in unsure["words"] if w["counted"]] == ["the", "customer", "went", "about", "her", "bill"]
    assert unsure["wpm"] == pytest.approx(6 / (2.6 / 60), abs=0.1)  # the span is all the words' (0.5-3.1 s)
    assert len(unsure["words"]) == 10  # the transcript keeps every word heard
    from voice_interviewer.cli import format_analysis

    text = format_analysis(unsure)  # `analyze` says so
    assert "6 (3 barely heard, not counted)" in text and "(approximate: the speech model was unsure" in text
    sure = measured(-0.3)
    assert not sure["asr"]["unsure"] and sure["word_count"] == 9 and sure["asr"]["uncounted_words"] == 0
    assert [w["counted"] for w in sure["words"]] == [w != "um" for w, *_ in said]
    # the bar is the config's
    assert measured(-0.7, AnalysisConfig(uncounted_word_probability=0.11))["word_count"] == 8
    # nothing surer to count: every word heard counts, so an answer is never taken for silence
    faint = [Word(t, s, e, 0.1) for t, s, e, _ in said[:2]]
    assert measured(-0.9, ws=faint)["word_count"] == 2


def test_a_word_stretched_over_a_filled_pause_is_cut_back_so_the_transcript_reads_in_order():
    # the times the passes gave the demo's "Um, I would, uh, basically ... you know, um, the company"
    words = [("I", 0.77, 1.58), ("Um,", 0.80, 1.14), ("would", 1.58, 2.04), ("uh,", 1.96, 2.21),
             ("basically", 2.04, 2.90), ("know,", 5.84, 6.78), ("Um.", 6.30, 6.65), ("the", 7.02, 7.12)]
    m = answer_metrics(words_at(words), np.zeros(8 * SR, np.float32), [])
    assert [w["text"] for w in m["words"]] == ["Um,", "I", "would", "uh,", "basically", "know,", "Um.", "the"]
    times = {w["text"]: (w["start"], w["end"]) for w in m["words"]}
    assert times["I"] == (1.14, 1.58)  # the part after the "um"
    assert times["would"] == (1.58, 1.96) and times["basically"] == (2.21, 2.9)
    assert times["know,"] == (5.84, 6.3)  # the longer part, before the "um"
    assert times["Um,"] == (0.8, 1.14) and times["Um."] == (6.3, 6.65)  # filled pauses stay where they are
    assert m["word_count"] == 5 and m["span_s"] == pytest.approx(7.12 - 0.80)  # from the "um" now


def test_a_word_stretched_on_over_a_silence_and_a_filled_pause_keeps_its_own_sound():
    # the demo's "...fix it. You know, <0.3 s> um, the company": the plain pass timed "know"
    # 7.18-8.32, on over the silence and the "um" (found on its sound, 7.81-8.24); the speech
    # regions are "you know" (6.85-7.55) and "um, the company..." (7.78-12.8)
    words = [("you", 6.92, 7.18), ("know", 7.18, 8.32), ("um,", 7.81, 8.24), ("the", 8.32, 8.88)]
    speech = [(6.85, 7.55), (7.778, 12.798)]
    m = answer_metrics(words_at(words), np.zeros(13 * SR, np.float32), speech)
    assert [w["text"] for w in m["words"]] == ["you", "know", "um,", "the"]
    assert (m["words"][1]["start"], m["words"][1]["end"]) == (7.18, 7.55)
    # the premise: fitted to the speech first, "know" lies mostly in the um's region, and
    # cut off the um after that it follows it ("you um, know")
    tokens = [TimedToken(*w) for w in words]
    fitted_first = off_filled_pauses(fit_to_speech(tokens, speech), is_filled_pause)
    assert [t.text for t in fitted_first] == ["you", "um,", "know", "the"]


def test_a_word_wholly_inside_a_filled_pause_goes_to_its_nearer_edge():
    tokens = [TimedToken("um", 1.0, 2.0), TimedToken("a", 1.1, 1.3), TimedToken("b", 1.8, 1.9)]
    out = off_filled_pauses(tokens, is_filled_pause)
    assert [(t.text, t.start, t.end) for t in out] == [("a", 1.0, 1.0), ("um", 1.0, 2.0), ("b", 2.0, 2.0)]


floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=32), st.floats(-5, 200))
word_lists = st.lists(
    st.tuples(st.sampled_from(["um,", "like", "you", "know,", "I", "so", "kind", "of", "", "Well.", "x"]), floats, floats),
    max_size=40,
)
regions = st.lists(st.tuples(st.floats(0, 60), st.floats(0, 60)), max_size=6)


@settings(max_examples=300, deadline=None)
@given(word_lists, regions)
def test_answer_metrics_never_fail_and_stay_finite(words, speech):
    transcript = Transcript([Word(t, s, e, 0.5) for t, s, e in words], [], 5.0, "test", "")
    m = answer_metrics(transcript, np.zeros(5 * SR, np.float32), [(min(a, b), max(a, b)) for a, b in speech])
    assert m["word_count"] <= len(words)
    for key in ("wpm", "articulation_wpm"):
        assert m[key] is None or (math.isfinite(m[key]) and m[key] >= 0)
    assert m["pauses"]["count"] == len(m["pauses"]["items"])
    assert all(p["end"] - p["start"] >= 0.99 for p in m["pauses"]["items"])
    assert m["fillers"]["count"] == len(m["fillers"]["items"])


@settings(max_examples=200, deadline=None)
@given(word_lists)
def test_cleaned_tokens_are_sorted_and_finite(words):
    tokens = clean_tokens([TimedToken(t, s, e) for t, s, e in words])
    assert all(math.isfinite(t.start) and math.isfinite(t.end) and t.start <= t.end for t in tokens)
    assert [t.start for t in tokens] == sorted(t.start for t in tokens)
    gaps = silent_gaps(tokens, 0.25)
    assert all(b - a >= 0.25 for a, b in gaps)
    quiet = np.random.default_rng(len(words)).random(3000) < 0.7
    heard = silent_gaps(tokens, 0.25, quiet, 0.01)
    assert all(b - a >= 0.25 - 1e-9 for a, b in heard)
    assert all(a2 > b1 for (_, b1), (a2, _) in zip(heard, heard[1:]))  # sorted, never overlapping
    p = pace(len(tokens), (tokens[0].start, max(t.end for t in tokens)) if tokens else None, gaps)
    assert p.wpm is None or p.wpm >= 0


def test_speech_habits_hedges_stutters_pet_phrases_and_top_words():
    from voice_interviewer.analysis.habits import speech_habits

    text = ("I I think the customer was upset. Maybe the customer was right. Um, I guess the customer was tired, "
            "and I called the customer back, kind of late. I called back the next morning and the refund was done.")
    habits = speech_habits([(w, float(i)) for i, w in enumerate(text.split())])
    assert [h["text"] for h in habits["hedges"]["items"]] == ["i think", "maybe", "i guess", "kind of"]
    assert habits["stutters"]["count"] == 1 and habits["stutters"]["items"][0] == {"text": "i i", "start": 1.0}
    assert {"phrase": "the customer was", "count": 3} in habits["repeated_phrases"]
    assert not any(p["phrase"] == "customer was" for p in habits["repeated_phrases"])  # the longer form wins
    assert habits["top_words"][0] == {"word": "customer", "count": 4}
    # a word said once is no habit: "refund" is left out, "called" (twice) is in
    assert {"word": "called", "count": 2} in habits["top_words"]
    assert all(w["count"] >= 2 for w in habits["top_words"]) and "refund" not in str(habits["top_words"])
    assert speech_habits([]) == {"hedges": {"count": 0, "items": []}, "stutters": {"count": 0, "items": []},
                                 "repeated_phrases": [], "top_words": []}


def test_session_habits_say_in_how_many_answers_each_habit_came():
    from voice_interviewer.analysis.habits import session_habits

    answers = [
        "I think the customer was upset and I think I fixed it for the customer".split(),
        "Maybe I called the customer back the next day".split(),
        "Um, I sent the customer a refund, um, at once".split(),
        "I I sorted the bill".split(),
    ]
    habits = session_habits(answers)
    assert habits["answers"] == 4 and habits["stutters"] == 1
    assert habits["hedges"]["count"] == 3 and habits["hedges"]["answers"] == 2
    assert habits["hedges"]["kinds"] == [{"text": "i think", "count": 2, "answers": 1},
                                         {"text": "maybe", "count": 1, "answers": 1}]
    # "customer" 4 times in 3 answers; every other word fewer than 3 times; filled pauses are no words
    assert habits["top_words"] == [{"word": "customer", "count": 4, "answers": 3}]
    assert session_habits(answers, word_min_count=1)["top_words"][0]["word"] == "customer"
    assert "um" not in str(session_habits(answers, word_min_count=1))
    assert session_habits([]) == {"answers": 0, "hedges": {"count": 0, "answers": 0, "kinds": []}, "stutters": 0,
                                  "top_words": []}


def test_the_most_used_words_count_every_form_of_a_word_once():
    """"customer" and "customers", "help" and "helped": one word to a listener, shown as its most said form."""
    from voice_interviewer.analysis.habits import session_habits, speech_habits

    said = "The customers called. I helped one customer, then I help the customers again and helping is good."
    habits = speech_habits([(w, float(i)) for i, w in enumerate(said.split())])
    assert habits["top_words"][:2] == [{"word": "customers", "count": 3}, {"word": "helped", "count": 3}]
    answers = ["the customer was upset".split(), "I called the customers back".split(),
               "a customer thanked me".split()]
    assert session_habits(answers)["top_words"] == [{"word": "customer", "count": 3, "answers": 3}]


@given(st.lists(st.lists(st.sampled_from(["I", "think", "i", "maybe", "kind", "of", "um", "Uh,", "", "customer",
                                          "customer,", "'", "...", "probably", "I'm"]), max_size=12), max_size=6))
def test_session_habits_never_fail_and_add_up(answers):
    from voice_interviewer.analysis.habits import session_habits

    habits = session_habits(answers)
    hedges = habits["hedges"]
    assert hedges["count"] == sum(k["count"] for k in hedges["kinds"])
    assert hedges["answers"] <= len(answers) and all(1 <= k["answers"] <= hedges["answers"] for k in hedges["kinds"])
    assert all(w["count"] >= 3 and 1 <= w["answers"] <= len(answers) for w in habits["top_words"])


def test_second_pass_filled_pauses_are_merged_once_without_touching_words():
    from voice_interviewer.analysis.fillers import merge_filled_pauses

    first = [Word("I", 0.0, 0.2, 0.9), Word("um,", 0.3, 0.6, 0.8), Word("called", 1.5, 1.9, 0.9)]
    second = [Word("I", 0.0, 0.25, 0.9), Word("Um,", 0.35, 0.62, 0.7), Word("uh", 1.0, 1.2, 0.6),
              Word("called", 1.5, 1.85, 0.9), Word("like", 2.0, 2.2, 0.9)]
    merged = merge_filled_pauses(first, second, 0.3)
    assert [w.text for w in merged] == ["I", "um,", "uh", "called"]  # the um is not doubled; "like" is not taken
    assert merged[0] is first[0] and merged[3] is first[2]  # first-pass words and timing stay


@settings(max_examples=300, deadline=None)
@given(word_lists)
def test_words_cut_off_filled_pauses_keep_every_token_and_overlap_none(words):
    tokens = clean_tokens([TimedToken(t, s, e) for t, s, e in words])
    out = off_filled_pauses(tokens, is_filled_pause)
    assert sorted(t.text for t in out) == sorted(t.text for t in tokens)
    assert [(t.start, t.end) for t in out] == sorted((t.start, t.end) for t in out)
    pauses = [t for t in out if is_filled_pause(t.text)]
    assert sorted((t.start, t.end) for t in pauses) == sorted((t.start, t.end) for t in tokens if is_filled_pause(t.text))
    for w in out:
        if not is_filled_pause(w.text):
            assert w.start <= w.end
            assert not any(p.start < w.end and p.end > w.start for p in pauses if p.end > p.start and w.end > w.start)
    # never fails on what the cleaning would have dropped
    off_filled_pauses([TimedToken(t, s, e) for t, s, e in words], is_filled_pause)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["you", "know", "know,", "um", "uh,", "I", "mean", "like", "like,", "do", "to", "So,",
                                 "kind", "of", "", "?", "basically"]), max_size=25),
       st.sets(st.integers(0, 30)))
def test_filler_spans_never_fail_and_each_token_is_in_one_at_most(tokens, pause_before):
    spans = find_fillers(tokens, pause_before)
    assert all(0 <= s.first <= s.last < len(tokens) for s in spans)
    lexical = [k for s in spans if s.kind == "lexical" for k in range(s.first, s.last + 1) if not is_filled_pause(tokens[k])]
    filled = [s.first for s in spans if s.kind == "filled_pause"]
    assert len(lexical) == len(set(lexical)) and len(filled) == len(set(filled))
    assert sorted(filled) == [i for i, t in enumerate(tokens) if is_filled_pause(t)]  # every filled pause, once


def test_a_pace_far_out_of_the_band_is_flagged_even_from_an_approximate_count():
    """An approximate count can put the pace up to `approximate_pace_over_max` over (or
    `..._under_max` under) the true one: a pace beyond the band even then is flagged; one nearer
    the band is in doubt (None). A sure count's band is its band."""
    from voice_interviewer.analysis.metrics import pace_band_beyond_doubt

    cfg = AnalysisConfig()
    high, low = cfg.pace_high_wpm, cfg.pace_low_wpm
    over, under = 1 + cfg.approximate_pace_over_max, 1 - cfg.approximate_pace_under_max
    assert [pace_band_beyond_doubt(w, False, cfg) for w in (low - 1, 140.0, high + 1)] == ["low", "ok", "high"]
    assert pace_band_beyond_doubt(high * over + 1, True, cfg) == "high"
    assert pace_band_beyond_doubt(high * over - 1, True, cfg) is None  # could be a miscount of an ok pace
    assert pace_band_beyond_doubt(140.0, True, cfg) is None
    assert pace_band_beyond_doubt(low * under - 1, True, cfg) == "low"
    assert pace_band_beyond_doubt(low * under + 1, True, cfg) is None
    for approximate in (False, True):
        assert pace_band_beyond_doubt(None, approximate, cfg) is None
        assert pace_band_beyond_doubt(float("nan"), approximate, cfg) is None


def _ends_into_silence(fall_db_s: float, below_db_s: float | None = None, frame_s: float = 0.01) -> np.ndarray:
    """Frame levels (dBFS) of three 1 s stretches of speech at -20 dBFS, each followed by 1 s of silence
    over a -90 dBFS floor, the speech falling away at `fall_db_s` (dB a second) into it and on
    inside it at `below_db_s` (None: the same rate, as an echo does)."""
    below = fall_db_s if below_db_s is None else below_db_s
    one = [-20.0] * int(1 / frame_s)
    level = -20.0
    for _ in range(int(1 / frame_s)):
        level -= (fall_db_s if level > -40.0 else below) * frame_s
        one.append(max(level, -90.0))
    return np.array(one * 3)


@pytest.mark.parametrize("rt60", [0.3, 0.5, 0.8])
def test_a_rooms_echo_is_measured_from_how_the_speech_dies_away(rt60):
    """60 dB in `rt60` seconds at every end of speech: the estimate is that RT60."""
    from voice_interviewer.analysis.silence import decay_time_s

    levels = _ends_into_silence(60.0 / rt60)
    quiet = levels < -40.0
    assert decay_time_s(levels, quiet, 0.01, -20.0, 15.0, 0.3, 6.0, 3.0, 2) == pytest.approx(rt60, rel=0.15)


def test_speech_that_stops_at_once_or_fades_and_then_stops_is_no_room_echo():
    """Recorded close to the mouth, speech stops within a frame or two; a breathy end may fade slowly
    down to the silence threshold, but then drops straight into silence: neither is an echo.
    And in noise close under the speech, no fall can be measured."""
    from voice_interviewer.analysis.silence import decay_time_s

    for levels in (_ends_into_silence(2000.0), _ends_into_silence(120.0, below_db_s=2000.0)):
        assert decay_time_s(levels, levels < -40.0, 0.01, -20.0, 15.0, 0.3, 6.0, 3.0, 2) < 0.15
    noisy = np.maximum(_ends_into_silence(120.0), -30.0)
    assert decay_time_s(noisy, noisy < -29.0, 0.01, -20.0, 15.0, 0.3, 6.0, 3.0, 2) == 0.0


def test_a_rooms_echo_is_measured_over_a_noise_floor_30_db_under_the_speech():
    """With a fan 30 dB under the speech the silence threshold (the speech's level less 20 dB) sits
    10 dB over the noise: the echo's fall inside the silence is measured down to near that floor,
    not the full 15 dB it never reaches, as the fall of the sound over the noise (read off the
    levels, whose last dB are mostly noise, a room of RT60 0.5 s measured 0.75 s)."""
    from voice_interviewer.analysis.silence import decay_time_s

    flicker = np.random.default_rng(3).normal(0.0, 0.5, 600)  # a 10 ms frame of noise varies so
    for rt60 in (0.5, 0.8):
        # the words fade a little slower than the echo down to the threshold, then the echo alone
        echo = _ends_into_silence(40.0 / rt60, below_db_s=60.0 / rt60)
        levels = 10.0 * np.log10(10.0 ** (echo / 10.0) + 10.0 ** ((-50.0 + flicker) / 10.0))  # energies add
        assert decay_time_s(levels, levels < -40.0, 0.01, -20.0, 15.0, 0.3, 6.0, 3.0, 2) == pytest.approx(rt60, rel=0.15)
        # the full fall alone finds nothing to measure there
        assert decay_time_s(levels, levels < -40.0, 0.01, -20.0, 15.0, 0.3, 15.0, -100.0, 2) == 0.0


def test_one_end_alone_judges_no_room():
    """A single end into silence may be a voice's slow fade: at least two ends must be measured."""
    from voice_interviewer.analysis.silence import decay_time_s

    levels = _ends_into_silence(120.0)[:200]  # one stretch of speech and its echo
    assert decay_time_s(levels, levels < -40.0, 0.01, -20.0, 15.0, 0.3, 6.0, 3.0, 1) == pytest.approx(0.5, rel=0.15)
    assert decay_time_s(levels, levels < -40.0, 0.01, -20.0, 15.0, 0.3, 6.0, 3.0, 2) == 0.0


def test_a_session_knows_its_room_from_the_speech_ends_of_all_its_answers():
    """An answer with one pause has one end of speech dying away into silence: alone too few to
    tell a room's echo from a voice's slow fade. Pooled over the session's answers (as a live
    session pools them) the room is known, near its RT60. A dry end drops straight to the floor
    and has no fall to measure: dry answers pooled stay dry."""
    from bench.metrics_accuracy import reverberant
    from voice_interviewer.analysis.silence import rt60_of_falls, speech_end_falls

    cfg = AnalysisConfig()
    rng = np.random.default_rng(5)

    def answer(rt60: float) -> np.ndarray:  # a second of speech-loud noise, then a second of silence
        dry = np.concatenate([rng.standard_normal(SR) * 0.1, np.zeros(SR)]).astype(np.float32)
        heard = reverberant(dry, rt60_s=rt60) if rt60 else dry
        return heard + rng.standard_normal(heard.size).astype(np.float32) * 3e-4  # a noise floor 50 dB under it

    for rt60 in (0.0, 0.5, 0.8):
        falls = [speech_end_falls(answer(rt60), [(0.0, 1.0)], cfg) for _ in range(3)]
        assert all(len(f) == (1 if rt60 else 0) and rt60_of_falls(f, cfg) == 0.0 for f in falls)
        pooled = rt60_of_falls([r for f in falls for r in f], cfg)
        assert pooled == (pytest.approx(rt60, rel=0.2) if rt60 else 0.0)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.floats(-2.0, 2.0), st.just(float("nan"))), max_size=20_000),
       st.lists(st.booleans(), max_size=40), st.integers(0, 3), st.floats(-0.1, 0.0))
def test_a_sessions_room_is_measured_on_any_audio_without_failing(samples, speech, turn, offset_s):
    """What the live loop hands the room on every piece it transcribes: any audio, any speech frames."""
    from voice_interviewer.speech.room import SessionRoom

    room = SessionRoom(AnalysisConfig())
    rt60 = room.hear(turn, np.array(samples, dtype=np.float32), np.array(speech, dtype=bool), 0.032, offset_s)
    assert rt60 >= 0.0 and room.rt60_s() == rt60


def test_the_late_echo_taken_out_leaves_the_speech_and_cuts_the_tail():
    from voice_interviewer.analysis.silence import without_late_reverb

    levels = _ends_into_silence(120.0)  # RT60 0.5 s
    dry = without_late_reverb(levels, 0.5, 0.01, 0.05, 1.0, 20.0)
    assert np.all(dry <= levels + 1e-9) and np.all(dry >= levels - 20.0 - 1e-9)
    speech, tail = slice(20, 100), slice(105, 135)  # the speech after its first 0.2 s; the tail 0.05-0.35 s on
    assert np.all(levels[speech] - dry[speech] < 4.0)  # steady speech loses little
    assert np.all(levels[tail] - dry[tail] > 15.0)  # its echo is cut near the limit
    assert np.array_equal(without_late_reverb(levels, 0.0, 0.01, 0.05, 1.0, 20.0), levels)  # no room: untouched


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.floats(-130.0, 10.0), st.just(float("nan"))), max_size=300),
       st.floats(0.0, 3.0), st.floats(-80.0, 0.0))
def test_the_echo_measures_never_fail_on_any_levels(levels, rt60, speech_level):
    from voice_interviewer.analysis.silence import decay_time_s, without_late_reverb

    levels = np.array(levels, dtype=float)
    quiet = np.nan_to_num(levels, nan=-120.0) < speech_level - 20.0
    assert decay_time_s(levels, quiet, 0.01, speech_level, 15.0, 0.3, 6.0, 3.0, 2) >= 0.0
    dry = without_late_reverb(levels, rt60, 0.01, 0.05, 2.0, 20.0)
    assert dry.shape == levels.shape


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.booleans(), st.booleans(), st.booleans(), st.booleans())
def test_the_silence_that_ends_a_turn_is_one_of_the_configured_waits_for_any_text(text, command, heard, filler, on_call):
    from voice_interviewer.config import LiveConfig
    from voice_interviewer.speech.turns import silence_to_end_turn

    live = LiveConfig()
    wait = silence_to_end_turn(text, command, live, last_stretch_heard=heard, ends_on_filler_sound=filler,
                               on_call=on_call)
    assert wait in {live.finished_silence_s, live.short_answer_silence_s, live.unfinished_silence_s,
                    live.thinking_aloud_silence_s} | ({live.on_hold_silence_s} if on_call else set())
    if not heard:
        assert wait == live.unfinished_silence_s


@settings(max_examples=300, deadline=None)
@given(word_lists, regions)
def test_made_up_text_is_judged_on_any_words_and_speech_without_failing(words, speech):
    from voice_interviewer.speech.incremental import _unless_made_up

    transcript = Transcript([Word(t, s, e, 0.5) for t, s, e in words], [], 5.0, "test", " ".join(t for t, _, _ in words))
    kept = _unless_made_up(transcript, [(min(a, b), max(a, b)) for a, b in speech], AnalysisConfig())
    assert kept == transcript or (kept.words == [] and kept.text == "" and transcript.words)
