"""Word timing: fit Whisper's word times to where the speech really is, then gaps, pauses and pace.

Whisper stretches a word over the silence before it ("ask" from 2.26 s to 3.88 s
when it is spoken at 3.3 s), which hides pauses. Each word is clipped to the VAD
speech region it overlaps most, so silent gaps show up between words again.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from voice_interviewer.analysis.silence import frame_runs


@dataclass(frozen=True)
class TimedToken:
    text: str
    start: float
    end: float
    probability: float = float("nan")


def _finite(x: float) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)


def clean_tokens(tokens: list[TimedToken]) -> list[TimedToken]:
    """Drop tokens with non-finite times, fix reversed ones, sort by start."""
    fixed = []
    for t in tokens:
        if not (_finite(t.start) and _finite(t.end)):
            continue
        s, e = (t.start, t.end) if t.start <= t.end else (t.end, t.start)
        fixed.append(replace(t, start=float(s), end=float(e)))
    return sorted(fixed, key=lambda t: (t.start, t.end))


def fit_to_speech(tokens: list[TimedToken], regions: list[tuple[float, float]]) -> list[TimedToken]:
    """Clip each token to the speech region it overlaps most (tokens outside all regions stay)."""
    out = []
    for t in tokens:
        best, best_overlap = None, 0.0
        for r0, r1 in regions:
            overlap = min(t.end, r1) - max(t.start, r0)
            if overlap > best_overlap:
                best, best_overlap = (r0, r1), overlap
        if best is None:
            out.append(t)
        else:
            out.append(replace(t, start=max(t.start, best[0]), end=min(t.end, best[1])))
    return out


def off_filled_pauses(tokens: list[TimedToken], is_filled: Callable[[str], bool]) -> list[TimedToken]:
    """The tokens with each word cut back off the filled pauses it overlaps, sorted by start.

    Whisper stretches a word over a filled pause said next to it ("I" at 0.77-1.58 s over
    the "um" at 0.80-1.14 s that came before it), and sorted by start the transcript then
    reads "I, um, would". A word keeps its longer part outside the filled pause; a word
    wholly inside one goes, at no length, to the nearer edge. Filled pauses are not moved.
    """
    pauses = sorted((t.start, t.end) for t in tokens if is_filled(t.text) and t.end > t.start)
    out = []
    for t in tokens:
        s, e = t.start, t.end
        if not is_filled(t.text):
            for a, b in pauses:
                if not (a < e and b > s):
                    continue
                before, after = a - s, e - b
                if before <= 0 and after <= 0:
                    s = e = a if (s + e) / 2 - a < b - (s + e) / 2 else b
                elif before >= after:
                    e = a
                else:
                    s = b
        out.append(t if (s, e) == (t.start, t.end) else replace(t, start=s, end=e))
    return sorted(out, key=lambda t: (t.start, t.end))


def speaking_span(tokens: list[TimedToken]) -> tuple[float, float] | None:
    if not tokens:
        return None
    return min(t.start for t in tokens), max(t.end for t in tokens)


def silent_gaps(tokens: list[TimedToken], min_gap_s: float, quiet: np.ndarray | None = None,
                frame_s: float = 0.01, edge_s: float = 0.1) -> list[tuple[float, float]]:
    """Silent gaps of at least `min_gap_s` between consecutive tokens (overlaps count as no gap).

    Without `quiet` a gap is the space between the tokens. With `quiet` (one bool per
    frame of `frame_s`) it is the silence itself found between them: the runs of quiet
    frames between one token's end and the next one's start, each widened by `edge_s`
    because the VAD-fitted times cut word edges short.
    """
    gaps = []
    reach = None  # the latest end so far, so an overlapping token never makes a negative gap
    for t in tokens:
        if reach is not None:
            if quiet is None:
                if t.start - reach >= min_gap_s:
                    gaps.append((reach, t.start))
            elif t.start - reach + 2 * edge_s >= min_gap_s:
                gaps += frame_runs(quiet, frame_s, reach - edge_s, t.start + edge_s, min_gap_s)
        reach = t.end if reach is None else max(reach, t.end)
    return union(gaps)


def union(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The spans in order, those that overlap or touch joined into one."""
    out: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


MIN_RATE_SPAN_S = 0.01  # below this a rate is noise (and a division by almost nothing)


@dataclass(frozen=True)
class Pace:
    span_s: float
    wpm: float | None
    articulation_wpm: float | None


def pace(word_count: int, span: tuple[float, float] | None, gaps: list[tuple[float, float]]) -> Pace:
    """Words per minute over the speaking span, and over the span less its silent gaps."""
    if span is None:
        return Pace(0.0, None, None)
    span_s = max(0.0, span[1] - span[0])
    if span_s < MIN_RATE_SPAN_S:
        return Pace(span_s, None, None)
    speaking_s = span_s - sum(b - a for a, b in gaps)
    wpm = word_count / (span_s / 60.0)
    art = word_count / (speaking_s / 60.0) if speaking_s >= MIN_RATE_SPAN_S else None
    return Pace(span_s, wpm, art)
