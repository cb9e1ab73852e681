"""The analysis object of DESIGN.md section 3, from a transcript, its audio and the speech regions."""

from __future__ import annotations

import bisect
import math

import numpy as np

from voice_interviewer.analysis.fillers import find_fillers, is_filled_pause
from voice_interviewer.analysis.habits import speech_habits
from voice_interviewer.analysis.passes import repeated_runs
from voice_interviewer.analysis.silence import echo_aware_quiet
from voice_interviewer.analysis.timing import (
    TimedToken,
    clean_tokens,
    fit_to_speech,
    off_filled_pauses,
    pace,
    silent_gaps,
    speaking_span,
)
from voice_interviewer.analysis.volume import clipping_ratio, speech_dbfs
from voice_interviewer.config import SAMPLE_RATE, AnalysisConfig
from voice_interviewer.speech.asr import Transcript


def _r(x: float | None, nd: int = 2) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), nd)


def _weighted(values: list[tuple[float, float]]) -> float | None:
    """Mean of (value, weight) pairs, by weight (plain mean when every weight is 0)."""
    values = [(v, w) for v, w in values if math.isfinite(v)]
    if not values:
        return None
    total = sum(max(w, 0.0) for _, w in values)
    if total <= 0:
        return sum(v for v, _ in values) / len(values)
    return sum(v * max(w, 0.0) for v, w in values) / total


def count_approximate(analysis: dict, threshold: float) -> bool:
    """Whether an answer's word count, and the pace counted from it, are approximate: Whisper
    was unsure of its words (mean log-probability under `threshold`), or wrote a run of them
    over and over (`asr.looped`).

    Read off the analysis's `asr.avg_logprob`, so it holds for answers logged before the flag was."""
    return bool((analysis.get("asr") or {}).get("looped")) or words_unsure(analysis, threshold)


def words_unsure(analysis: dict, threshold: float) -> bool:
    """Whether Whisper was unsure of an answer's words (its mean log-probability under `threshold`)."""
    return _unsure(analysis.get("word_count"), (analysis.get("asr") or {}).get("avg_logprob"), threshold)


def _unsure(word_count: int | None, logprob: float | None, threshold: float) -> bool:
    return bool(word_count) and isinstance(logprob, (int, float)) and logprob < threshold


def counted_words(tokens: list[TimedToken], unsure: bool, min_probability: float) -> list[bool]:
    """Which tokens count as words for the word count and pace: every one that is no filled
    pause; in an answer Whisper was unsure of, only those it gave at least `min_probability`
    (there a low word is mostly one said word heard as several), unless that leaves none."""
    words = [not is_filled_pause(t.text) for t in tokens]
    if not unsure:
        return words
    likely = [w and t.probability >= min_probability for w, t in zip(words, tokens)]
    return likely if any(likely) else words


def band(value: float | None, low: float, high: float) -> str | None:
    if value is None:
        return None
    return "low" if value < low else "high" if value > high else "ok"


def pace_band_beyond_doubt(wpm: float | None, approximate: bool, cfg: AnalysisConfig) -> str | None:
    """The pace band ("low", "ok", "high") an answer can be told it is in, or None where that is in doubt.

    A pace counted from an approximate word count is "high" only if it would be over the band even
    were the count as far over as such counts go (`approximate_pace_over_max`), "low" likewise;
    anywhere else it is in doubt. A sure count's band is its band."""
    if wpm is None or not math.isfinite(wpm):
        return None
    if not approximate:
        return band(wpm, cfg.pace_low_wpm, cfg.pace_high_wpm)
    if wpm / (1 + cfg.approximate_pace_over_max) > cfg.pace_high_wpm:
        return "high"
    if wpm / (1 - cfg.approximate_pace_under_max) < cfg.pace_low_wpm:
        return "low"
    return None


def pause_before(tokens: list[TimedToken], gaps: list[tuple[float, float]]) -> set[int]:
    """Indices of the tokens a silent gap comes before (the first token starting after its middle)."""
    starts = [t.start for t in tokens]
    return {i for a, b in gaps if (i := bisect.bisect_left(starts, (a + b) / 2)) < len(tokens)}


def answer_metrics(
    transcript: Transcript,
    samples: np.ndarray,
    regions: list[tuple[float, float]],
    config: AnalysisConfig | None = None,
    file: str | None = None,
) -> dict:
    cfg = config or AnalysisConfig()
    # off the filled pauses first: a word Whisper stretched on over the silence and the "um"
    # after it ("you know <0.3 s> um") lies mostly in the um's speech region, and fitted
    # first it would be clipped there, after the um; cut off it first, it keeps its own sound
    tokens = fit_to_speech(off_filled_pauses(
        clean_tokens([TimedToken(w.text, w.start, w.end, w.probability) for w in transcript.words]), is_filled_pause
    ), regions)

    span = speaking_span(tokens)
    quiet, echo_s = echo_aware_quiet(samples, regions, cfg)
    # in a reverberant room the words, fitted to speech regions that take in the echo, end late
    gaps = silent_gaps(tokens, cfg.silent_gap_s, quiet, cfg.silence_frame_s, cfg.silence_edge_s + echo_s)

    spans = find_fillers([t.text for t in tokens], pause_before(tokens, gaps))
    filler_index = {i for s in spans for i in range(s.first, s.last + 1)}
    seg_w = [(s.avg_logprob, s.end - s.start) for s in transcript.segments]
    seg_ns = [(s.no_speech_prob, s.end - s.start) for s in transcript.segments]
    avg_logprob = _r(_weighted(seg_w), 3)
    heard = sum(1 for t in tokens if not is_filled_pause(t.text))
    unsure = _unsure(heard, avg_logprob, cfg.unsure_logprob)
    counted = counted_words(tokens, unsure, cfg.uncounted_word_probability)
    word_count = sum(counted)
    p = pace(word_count, span, gaps)
    # a loop Whisper fell into and that hearing it again did not undo (analyze.py): its words
    # were mostly never said, so they are no habit of the speaker's
    loops = repeated_runs([t.text for t in tokens], cfg.loop_min_words, cfg.loop_times)
    in_loop = {i for a, b in loops for i in range(a, b + 1)}
    pause_items = [(a, b) for a, b in gaps if b - a >= cfg.pause_s]
    span_min = p.span_s / 60.0

    duration_s = samples.size / SAMPLE_RATE
    speech_s = sum(b - a for a, b in regions)
    level_regions = regions or [(t.start, t.end) for t in tokens]
    dbfs = speech_dbfs(samples, level_regions)

    return {
        "file": file,
        "duration_s": _r(duration_s),
        "speech_s": _r(speech_s),
        "transcript": transcript.text,
        "word_count": word_count,
        "span_s": _r(p.span_s),
        "wpm": _r(p.wpm, 1),
        "articulation_wpm": _r(p.articulation_wpm, 1),
        "words": [
            {
                "text": t.text,
                "start": _r(t.start),
                "end": _r(t.end),
                "probability": _r(t.probability, 3),
                "filler": i in filler_index,
                "counted": counted[i],  # in the word count (not a filled pause, not left out as unsure)
                "looped": i in in_loop,  # in a run Whisper wrote over and over: no habit of the speaker's
            }
            for i, t in enumerate(tokens)
        ],
        "fillers": {
            "count": len(spans),
            "per_minute": _r(len(spans) / span_min, 2) if span_min > 0 else (0.0 if not spans else None),
            "items": [
                {
                    # a filled pause placed inside "you know" is its own item, not part of this one's text
                    "text": " ".join(tokens[j].text for j in range(s.first, s.last + 1)
                                     if s.kind != "lexical" or not is_filled_pause(tokens[j].text)),
                    "start": _r(tokens[s.first].start),
                    "end": _r(tokens[s.last].end),
                    "kind": s.kind,
                }
                for s in spans
            ],
        },
        "pauses": {
            "count": len(pause_items),
            "longest_s": _r(max((b - a for a, b in pause_items), default=0.0)),
            "items": [{"start": _r(a), "end": _r(b)} for a, b in pause_items],
        },
        "volume": {
            "speech_dbfs": dbfs,
            "clipping_ratio": _r(clipping_ratio(samples, cfg.clipping_level), 5),
        },
        "asr": {
            "model": transcript.model,
            "avg_logprob": avg_logprob,
            "no_speech_prob": _r(_weighted(seg_ns), 3),
            "unsure": unsure,
            "looped": bool(loops),  # a run of words written over and over: word count and pace approximate
            # words heard but left out of the word count: Whisper gave them under
            # `uncounted_word_probability` in an answer it was unsure of
            "uncounted_words": heard - word_count,
        },
        "habits": speech_habits([(t.text, _r(t.start)) for i, t in enumerate(tokens) if i not in in_loop],
                                cfg.habit_phrase_min_count,
                                word_min_count=cfg.habit_word_min_count),
        "bands": {
            "pace": band(p.wpm, cfg.pace_low_wpm, cfg.pace_high_wpm),
            "length": band(p.span_s if word_count else None, cfg.short_answer_s, cfg.long_answer_s),
            "too_quiet": dbfs is not None and dbfs < cfg.quiet_dbfs,
        },
    }
