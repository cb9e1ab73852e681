"""Which short frames of an answer are silent, judged against the answer's own noise floor and speech level.

Silero VAD trims 50-100 ms off word edges, so the gap between two VAD-fitted words
is longer than the silence between them (a 0.12 s join reads as a 0.3 s "gap").
A frame-energy test finds the silence itself.
"""

from __future__ import annotations

import math

import numpy as np

from voice_interviewer.config import SAMPLE_RATE, AnalysisConfig

SILENCE_DB = -120.0  # the level given to digital silence


def frame_levels(samples: np.ndarray, frame_s: float) -> np.ndarray:
    """RMS level in dBFS of consecutive frames of `frame_s` seconds (the tail that does not fill one is dropped)."""
    hop = max(1, int(round(frame_s * SAMPLE_RATE)))
    n = samples.size // hop
    if n == 0:
        return np.zeros(0)
    frames = samples[: n * hop].astype(np.float64).reshape(n, hop)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    with np.errstate(divide="ignore"):
        db = 20.0 * np.log10(rms)
    return np.maximum(np.nan_to_num(db, nan=SILENCE_DB, neginf=SILENCE_DB), SILENCE_DB)


def silence_threshold(levels: np.ndarray, speech: np.ndarray, floor_margin_db: float, below_speech_db: float) -> float:
    """A frame quieter than this is silence: a little above the noise floor, and well below typical speech.

    The floor is a low percentile of every frame; typical speech is the median of the speech frames.
    """
    if levels.size == 0:
        return SILENCE_DB
    floor = float(np.percentile(levels, 5))
    return max(floor + floor_margin_db, typical_speech_level(levels, speech) - below_speech_db)


def typical_speech_level(levels: np.ndarray, speech: np.ndarray) -> float:
    """The median frame level (dBFS) of the speech frames (of every frame where none is marked speech)."""
    if levels.size == 0:
        return SILENCE_DB
    return float(np.median(levels[speech] if speech.any() else levels))


def speech_frames(n_frames: int, regions: list[tuple[float, float]], frame_s: float) -> np.ndarray:
    """One bool per frame: True inside one of the speech `regions` (seconds)."""
    speech = np.zeros(n_frames, bool)
    for a, b in regions:
        if math.isfinite(a) and math.isfinite(b):
            speech[max(0, int(a / frame_s)): max(0, int(math.ceil(b / frame_s)))] = True
    return speech


def fill_blips(quiet: np.ndarray, max_frames: int) -> np.ndarray:
    """Quiet runs broken by at most `max_frames` louder frames become one run (a click or a noise burst in a pause)."""
    out = quiet.copy()
    loud = np.flatnonzero(~quiet)
    if loud.size == 0 or max_frames <= 0:
        return out
    # runs of loud frames: split where consecutive indices jump
    breaks = np.flatnonzero(np.diff(loud) > 1)
    for first, last in zip(np.r_[loud[0], loud[breaks + 1]], np.r_[loud[breaks], loud[-1]]):
        if last - first + 1 <= max_frames and first > 0 and last < quiet.size - 1:
            out[first: last + 1] = True
    return out


def quiet_frames(samples: np.ndarray, regions: list[tuple[float, float]], frame_s: float,
                 floor_margin_db: float, below_speech_db: float, blip_s: float = 0.0) -> np.ndarray:
    """One bool per frame: True where the audio is silent (loud blips up to `blip_s` inside silence ignored)."""
    levels = frame_levels(samples, frame_s)
    return quiet_levels(levels, speech_frames(levels.size, regions, frame_s), frame_s, floor_margin_db,
                        below_speech_db, blip_s)


def echo_aware_quiet(samples: np.ndarray, regions: list[tuple[float, float]], config: AnalysisConfig
                     ) -> tuple[np.ndarray, float]:
    """`quiet_frames`, and how long a room's echo sounds on above the silence threshold after a word
    (seconds; 0.0 in a dry recording).

    A recording whose speech dies away as slowly as in a reverberant room (`decay_time_s`)
    is judged on its levels with the room's late echo taken out (`without_late_reverb`),
    against the same threshold: the speech's level and the room's noise are what they were.
    The echo would go on sounding for a fifth of a second after each word and shorten every
    silence by that much. The speech regions, and so the words fitted to them, still run on
    into it: by the time returned.
    """
    cfg = config
    levels = frame_levels(samples, cfg.silence_frame_s)
    speech = speech_frames(levels.size, regions, cfg.silence_frame_s)
    threshold = silence_threshold(levels, speech, cfg.silence_floor_margin_db, cfg.silence_below_speech_db)
    rt60 = room_rt60_s(levels, speech, levels < threshold, cfg)
    if rt60:
        levels = without_late_reverb(levels, rt60, cfg.silence_frame_s, cfg.reverb_delay_s,
                                     cfg.reverb_over_subtraction, cfg.reverb_max_cut_db)
    quiet = fill_blips(levels < threshold, int(round(cfg.silence_blip_s / cfg.silence_frame_s)))
    return quiet, rt60 * cfg.silence_below_speech_db / 60.0


def quiet_levels(levels: np.ndarray, speech: np.ndarray, frame_s: float, floor_margin_db: float,
                 below_speech_db: float, blip_s: float = 0.0) -> np.ndarray:
    """`quiet_frames` from frame levels already measured and the frames that are speech."""
    quiet = levels < silence_threshold(levels, speech, floor_margin_db, below_speech_db)
    return fill_blips(quiet, int(round(blip_s / frame_s)))


def room_rt60_s(levels: np.ndarray, speech: np.ndarray, quiet: np.ndarray, config: AnalysisConfig) -> float:
    """The recording's RT60 (`decay_time_s`, seconds) where it is reverberant (`reverb_min_rt60_s` or more), else 0.0."""
    return rt60_of_falls(_end_falls(levels, speech, quiet, config), config)


def speech_end_falls(samples: np.ndarray, regions: list[tuple[float, float]], config: AnalysisConfig) -> list[float]:
    """How fast the sound dies away at each end of speech in `samples` (dB/s, `end_fall_rates`).

    A live session pools them over its answers (`rt60_of_falls`): one answer may hold too few
    pauses to tell a room from a voice's slow fade, and the room is the same all session.
    """
    cfg = config
    levels = frame_levels(samples, cfg.silence_frame_s)
    speech = speech_frames(levels.size, regions, cfg.silence_frame_s)
    quiet = quiet_levels(levels, speech, cfg.silence_frame_s, cfg.silence_floor_margin_db, cfg.silence_below_speech_db)
    return _end_falls(levels, speech, quiet, cfg)


def _end_falls(levels: np.ndarray, speech: np.ndarray, quiet: np.ndarray, config: AnalysisConfig) -> list[float]:
    cfg = config
    return end_fall_rates(levels, quiet, cfg.silence_frame_s, typical_speech_level(levels, speech), cfg.reverb_fall_db,
                          cfg.reverb_min_silence_s, cfg.reverb_min_fall_db, cfg.reverb_floor_margin_db)


def rt60_of_falls(rates: list[float], config: AnalysisConfig) -> float:
    """The RT60 (seconds) the rates of fall at speech ends give where it is a room's (`reverb_min_rt60_s` or
    more, from `reverb_min_ends` ends or more), else 0.0."""
    rt60 = _rt60(rates, config.reverb_min_ends)
    return rt60 if rt60 >= config.reverb_min_rt60_s else 0.0


def decay_time_s(levels: np.ndarray, quiet: np.ndarray, frame_s: float, speech_level: float, fall_db: float,
                 min_silence_s: float, min_fall_db: float, floor_margin_db: float, min_ends: int) -> float:
    """How long the recording's sound takes to die away by 60 dB (the room's RT60, seconds), from its
    speech ends (`end_fall_rates`): the median rate over at least `min_ends` of them, else 0.0 (one
    end alone may be a voice's slow fade)."""
    return _rt60(end_fall_rates(levels, quiet, frame_s, speech_level, fall_db, min_silence_s, min_fall_db,
                                floor_margin_db), min_ends)


def _rt60(rates: list[float], min_ends: int) -> float:
    if len(rates) < max(1, min_ends):
        return 0.0
    rate = float(np.median(rates))
    return 60.0 / rate if rate > 0 else 0.0


def end_fall_rates(levels: np.ndarray, quiet: np.ndarray, frame_s: float, speech_level: float, fall_db: float,
                   min_silence_s: float, min_fall_db: float, floor_margin_db: float) -> list[float]:
    """How fast (dB/s) the sound dies away at each end of speech before a silence of `min_silence_s` or more.

    At each end of speech before a silence of `min_silence_s` or more, two rates of fall: from
    the last frame `fall_db` above the silence's first frame down to it, and from there on
    down by `fall_db` more inside the silence. An echo dies away at one steady rate through
    both; a voice recorded close to the mouth may fade slowly (a breathy end) but then stops
    at once, so the faster of the two is the end's. The median over the ends is the
    recording's (speech recorded close to the mouth: at most 0.24 s over the accuracy bench's
    answers, mostly under 0.05 s; a living room: 0.4 to 0.6 s).

    Only ends whose fall starts at or under the typical `speech_level` are measured: in noise
    the silence sits close under the speech. Inside the silence the fall is measured down to
    `floor_margin_db` over the silence's noise floor where that comes first, as the fall of
    the sound over the noise, and not at all where that leaves under `min_fall_db`: with a fan
    30 dB under the speech only 10 dB or so can be measured there, and asking for the full
    `fall_db` would miss every such room; measured on into the noise's flicker, a voice
    recorded close to the mouth would seem to die away slowly.
    """
    rates = []
    reach = int(round(0.5 / frame_s))  # no word's end falls slower than over half a second
    for start, end in frame_runs(quiet, frame_s, 0.0, quiet.size * frame_s, min_silence_s):
        first, last = int(round(start / frame_s)), int(round(end / frame_s))
        if first == 0:
            continue
        top = levels[first] + fall_db
        if top > speech_level:
            continue
        before = levels[max(0, first - reach): first]
        loud = np.flatnonzero(before >= top)
        floor = float(np.percentile(levels[first:last], 10))
        reach_to = max(levels[first] - fall_db, floor + floor_margin_db)
        # how far the sound over the noise falls: the noise's energy taken out at both ends (at
        # 3 dB over the floor the echo is as loud as the noise, and the levels read 9.5 dB of
        # its fall as 7: a room of RT60 0.5 s read up to 0.77 s)
        drop = _over_noise_db(levels[first], floor) - _over_noise_db(reach_to, floor)
        if not drop >= min_fall_db:  # NaN too
            continue
        deep = np.flatnonzero(levels[first: min(last, first + reach)] <= reach_to)
        if loud.size == 0 or deep.size == 0:
            continue
        falling = before.size - int(loud[-1])  # frames from the last loud one to the silence
        above = (before[loud[-1]] - levels[first]) / (falling * frame_s)
        below = drop / (max(1, int(deep[0])) * frame_s)
        rates.append(max(above, below))
    return rates


def _over_noise_db(level_db: float, noise_db: float) -> float:
    """The level of what a frame holds over a noise it adds to (energies add), in dB."""
    return 10.0 * math.log10(max(10.0 ** (level_db / 10.0) - 10.0 ** (noise_db / 10.0), 1e-30))


def without_late_reverb(levels: np.ndarray, rt60_s: float, frame_s: float, delay_s: float,
                        over_subtraction: float, max_cut_db: float) -> np.ndarray:
    """Frame levels (dBFS) with a room's late echo taken out.

    The echo of a sound dies away by 60 dB in `rt60_s`, so what a frame holds of echo from
    `delay_s` earlier is that frame's energy, that much fainter; subtracted (`over_subtraction`
    times), what is left is the sound made then (spectral subtraction of late reverberation,
    Lebart, Boucher and Denbigh 2001, here over whole frames). Taken once, what falls away as
    fast as the room's echo or faster is cut, and a voice fading slower keeps most of its level
    (taken twice, a reader's slow fade at the end of a sentence was cut 0.2 s short). A frame
    is cut by at most `max_cut_db`.
    """
    if levels.size == 0 or rt60_s <= 0:
        return levels.copy()
    lag = max(1, int(round(delay_s / frame_s)))
    energy = 10.0 ** (levels / 10.0)
    echo = np.zeros_like(energy)
    echo[lag:] = energy[:-lag] * 10.0 ** (-6.0 * delay_s / rt60_s)  # 60 dB in rt60_s: -6 bels
    left = np.maximum(energy - over_subtraction * echo, energy * 10.0 ** (-max_cut_db / 10.0))
    return np.maximum(10.0 * np.log10(left), SILENCE_DB)


def span_level(levels: np.ndarray, span: tuple[float, float], frame_s: float) -> float:
    """The median level (dBFS) of the frames of a span (of the frame it starts in, for a shorter one)."""
    first = int(span[0] / frame_s)
    inside = levels[first: max(first + 1, int(round(span[1] / frame_s)))]
    return float(np.median(inside)) if inside.size else -math.inf


def frame_runs(mask: np.ndarray, frame_s: float, start: float, end: float, min_s: float) -> list[tuple[float, float]]:
    """Runs of True frames lying inside [start, end] that last `min_s` or more, in seconds.

    `frame_runs(quiet, ...)` gives silences; `frame_runs(~quiet, ...)` gives sounds.
    """
    if not (math.isfinite(start) and math.isfinite(end)) or end <= start or mask.size == 0:
        return []
    first = max(0, int(math.ceil(start / frame_s - 1e-9)))
    last = min(mask.size, int(math.floor(end / frame_s + 1e-9)))
    runs, run_start = [], None
    for i in range(first, last + 1):
        on = i < last and bool(mask[i])
        if on and run_start is None:
            run_start = i
        elif not on and run_start is not None:
            if (i - run_start) * frame_s >= min_s - 1e-9:
                runs.append((run_start * frame_s, i * frame_s))
            run_start = None
    return runs


def silence_holding(quiet: np.ndarray, frame_s: float, span: tuple[float, float],
                    margin_s: float) -> tuple[float, float] | None:
    """The silence (start, end in seconds) that holds `span` with `margin_s` either side; None
    when any frame there sounds (or the span is not a time in the audio)."""
    a, b = span
    duration = quiet.size * frame_s
    if not (math.isfinite(a) and math.isfinite(b)) or max(a, b) + margin_s <= 0 or min(a, b) - margin_s >= duration:
        return None
    lo, hi = max(0.0, min(a, b) - margin_s), min(duration, max(a, b) + margin_s)
    return next(((s, e) for s, e in frame_runs(quiet, frame_s, 0.0, duration, 0.0)
                 if s <= lo + 1e-9 and hi <= e + 1e-9), None)
