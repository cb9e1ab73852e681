"""Analyse one recorded answer: decode, transcribe, find speech, measure (I/O at this edge only)."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from voice_interviewer.analysis.fillers import (
    SOUND_LIKE_A_FILLED_PAUSE,
    is_filled_pause,
    normalize,
)
from voice_interviewer.analysis.hesitation import (
    first_syllables_taken_for_filled_pauses,
    held_tail_s,
    nearest,
    sound_between,
    sound_islands,
    sounds_like_filled_pause,
    stray_islands,
    unexplained_sounds,
)
from voice_interviewer.analysis.metrics import answer_metrics
from voice_interviewer.analysis.passes import combine_passes, repeated_runs, sayable_in, unheard_speech
from voice_interviewer.analysis.silence import (
    frame_levels,
    frame_runs,
    quiet_levels,
    silence_holding,
    span_level,
    speech_frames,
    typical_speech_level,
)
from voice_interviewer.analysis.timing import TimedToken, clean_tokens, fit_to_speech
from voice_interviewer.audio.wav import read_audio
from voice_interviewer.config import SAMPLE_RATE, AnalysisConfig
from voice_interviewer.speech.asr import Transcriber, Transcript, Word
from voice_interviewer.speech.vad import speech_regions


def analyze_samples(
    samples: np.ndarray, transcriber: Transcriber, config: AnalysisConfig, file: str | None = None
) -> dict:
    transcript = plain = transcriber.transcribe(samples)
    if config.filler_pass_prompt and transcript.words:
        primed = transcriber.transcribe(samples, prompt=config.filler_pass_prompt)
        transcript = combine_passes(transcript, primed, config.filler_merge_s, config.loop_min_words)
    transcript = hear_loops_again(samples, transcript, transcriber, config)
    regions = speech_regions(samples, config)
    transcript = hear_unheard_speech(samples, transcript, regions, transcriber, config)
    if config.filler_pass_prompt and transcript.words:
        transcript = replace(transcript, words=recover_filled_pauses(
            samples, transcript.words, regions, transcriber, config, written_unprimed=unprimed_filled_pauses(plain)))
    return answer_metrics(transcript, samples, regions, config, file=file)


def hear_loops_again(samples: np.ndarray, transcript: Transcript, transcriber: Transcriber,
                     config: AnalysisConfig) -> Transcript:
    """`transcript` with each run written `loop_times` times in a row (a loop Whisper fell into
    in both passes, analysis/passes.py) replaced by what Whisper hears in its audio on its
    own, with nothing before it to repeat. Kept as it is when that is unsure
    (`unreliable_logprob`) or repeats itself too: then the person may have said it."""
    runs = repeated_runs([w.text for w in transcript.words], config.loop_min_words, config.loop_times)
    if not runs:
        return transcript
    words, segments = list(transcript.words), list(transcript.segments)
    for first, last in reversed(runs):
        a = min(w.start for w in words[first:last + 1])
        b = max(w.end for w in words[first:last + 1])
        heard = transcriber.transcribe(samples[int(a * SAMPLE_RATE): int(b * SAMPLE_RATE)], vad_filter=False)
        if (not heard.words or min(s.avg_logprob for s in heard.segments) < config.unreliable_logprob
                or not sayable_in([w.text for w in heard.words], b - a, config.fastest_syllable_s)
                or repeated_runs([w.text for w in heard.words], config.loop_min_words, config.loop_times)):
            continue
        words[first:last + 1] = [replace(w, start=round(w.start + a, 3), end=round(w.end + a, 3)) for w in heard.words]
        # segments mostly over the loop give way to those heard again: the answer's confidence
        # is theirs now (a loop is written with confidence)
        segments = [s for s in segments if min(s.end, b) - max(s.start, a) <= (s.end - s.start) / 2]
        segments += [replace(s, start=s.start + a, end=s.end + a) for s in heard.segments]
    if words == transcript.words:
        return transcript
    words.sort(key=lambda w: (w.start, w.end))
    # the text from the words: a segment may hold words before the loop as well as the loop
    return replace(transcript, words=words, segments=sorted(segments, key=lambda s: s.start),
                   text=" ".join(w.text.strip() for w in words))


def hear_unheard_speech(samples: np.ndarray, transcript: Transcript, regions: list[tuple[float, float]],
                        transcriber: Transcriber, config: AnalysisConfig) -> Transcript:
    """`transcript` plus what Whisper hears, on its own, in each stretch of speech no word lies
    over (analysis/passes.py `unheard_speech`); a stretch it is unsure of, or that it hears as
    more than anyone could say in it (analysis/passes.py `sayable_in`), adds nothing."""
    words, segments = list(transcript.words), list(transcript.segments)
    for a, b in unheard_speech(regions, [(w.start, w.end) for w in words], config.unheard_speech_min_s):
        heard = transcriber.transcribe(samples[int(a * SAMPLE_RATE): int(b * SAMPLE_RATE)], vad_filter=False)
        if (heard.words and min(s.avg_logprob for s in heard.segments) >= config.unreliable_logprob
                and sayable_in([w.text for w in heard.words], b - a, config.fastest_syllable_s)):
            words += [replace(w, start=round(w.start + a, 3), end=round(w.end + a, 3)) for w in heard.words]
            segments += [replace(s, start=s.start + a, end=s.end + a) for s in heard.segments]
    if len(words) == len(transcript.words):
        return transcript
    segments.sort(key=lambda s: s.start)
    return replace(transcript, words=sorted(words, key=lambda w: (w.start, w.end)), segments=segments,
                   text=" ".join(s.text for s in segments).strip())


def unprimed_filled_pauses(plain: Transcript | None) -> tuple[Word, ...]:
    """The filled pauses the plain pass wrote: with no filler prompt, Whisper writes few, and only
    where it plainly heard one."""
    return tuple(w for w in plain.words if is_filled_pause(w.text)) if plain else ()


def recover_filled_pauses(samples: np.ndarray, words: list[Word], regions: list[tuple[float, float]],
                          transcriber: Transcriber, config: AnalysisConfig,
                          written_unprimed: Sequence[Word] = ()) -> list[Word]:
    """`words` plus the filled pauses both passes missed or mistimed (see analysis/hesitation.py).

    A steady voiced sound no word explains, not far quieter than the speech (a phone
    filter's ringing in a silence is steady and voiced too), is heard again on its own,
    primed with fillers; when Whisper then starts it with "um"/"uh" (or "oh":
    `_filled_pause_heard`), it is a filled pause at the sound's time, and a filled pause
    the passes placed near it is that one, mistimed. A steady sound running straight into
    the next word is heard on to the end of that word instead (`_filler_before_word`). A steady
    sound set off by silence that one word lies over is heard alone too: Whisper may write a
    filled pause as a word, or stretch the next word back over it. The
    passes' other filled pauses move onto the steady sound nearest them (`_retimed`),
    unless that sound, heard on its own, is a word; one they timed inside a silence, or at
    the start of the word after a long one, is looked for at that silence's start (`where_said`).
    `written_unprimed`: the filled pauses the plain pass wrote; one of them is not taken for
    the word its sound is heard as alone unless the passes wrote that word there too.
    A sound that, heard alone with the filler prompt, comes back as a run of fillers
    (`filler_prompt_loop`) is Whisper looping on it, not a filler heard.
    A filled pause just before a long word timed faster than anyone speaks is that word's
    first syllable (`first_syllables_taken_for_filled_pauses`), and is left out.
    """
    cfg = config
    timed = clean_tokens([TimedToken(w.text, w.start, w.end) for w in words])
    fitted = fit_to_speech(timed, regions)

    def explains(t: TimedToken) -> bool:
        # an "or" does not explain the sound under it: in some accents that is how "uh" is heard
        return not is_filled_pause(t.text) and normalize(t.text) not in SOUND_LIKE_A_FILLED_PAUSE

    spoken = [(t.start, t.end) for t in fitted if explains(t)]
    levels = frame_levels(samples, cfg.silence_frame_s)
    speech = speech_frames(levels.size, regions, cfg.silence_frame_s)
    quiet = quiet_levels(levels, speech, cfg.silence_frame_s, cfg.silence_floor_margin_db,
                         cfg.silence_below_speech_db, cfg.silence_blip_s)
    duration = samples.size / SAMPLE_RATE
    # sounds set off by silence on both sides: where filled pauses are looked for and moved to
    islands = sound_islands(quiet, cfg.silence_frame_s, 0.0, duration, cfg.hidden_filler_min_s,
                            cfg.hidden_filler_max_s, cfg.hidden_filler_clear_s)
    faint = typical_speech_level(levels, speech) - cfg.hidden_filler_below_speech_db

    @functools.cache
    def steady(span: tuple[float, float]) -> bool:
        """Voiced, held, and not far quieter than the speech: how a filled pause sounds."""
        return span_level(levels, span, cfg.silence_frame_s) >= faint and sounds_like_filled_pause(
            samples[int(span[0] * SAMPLE_RATE): int(span[1] * SAMPLE_RATE)], cfg.hidden_filler_voiced,
            cfg.hidden_filler_change)

    sounds = unexplained_sounds(spoken, quiet, cfg.silence_frame_s, duration,
                                cfg.hidden_filler_edge_s, cfg.hidden_filler_min_s, cfg.hidden_filler_clear_s)
    # an island the edges left for words cut short, or that a word stretched over the silence lies over
    sounds += [(a, b) for a, b in stray_islands(spoken, islands, quiet, cfg.silence_frame_s, cfg.hidden_filler_own_sound_s)
               if not any(a < e and b > s for s, e in sounds)]
    # a sound running straight into the next word: that word's start, timed late, or a filled
    # pause said with no gap before it ("uh and"); told apart by hearing it with that word
    into_word = [(a, b) for a, b in unexplained_sounds(spoken, quiet, cfg.silence_frame_s, duration, cfg.hidden_filler_edge_s,
                                                       cfg.hidden_filler_min_s, -math.inf)
                 if not any(a < e and b > s for s, e in sounds)]
    sounds = sorted(sounds + into_word)
    candidates = [s for s in sounds[: cfg.hidden_filler_max_checks] if s[1] - s[0] <= cfg.hidden_filler_max_s and steady(s)]
    said = [t for t in fitted if not is_filled_pause(t.text)]
    words_alone = functools.cache(lambda span, prompt: _words_heard(samples, span, transcriber, cfg, prompt))

    def heard_alone(span: tuple[float, float], prompt: str | None) -> Word | None:
        heard = words_alone(span, prompt)
        return heard[0] if heard else None

    def looping(span: tuple[float, float]) -> bool:
        return sum(is_filled_pause(w.text) for w in words_alone(span, cfg.filler_pass_prompt)) >= cfg.filler_prompt_loop

    found = []
    for a, b in candidates:
        if (a, b) in into_word:
            if any(a <= f.end + cfg.filler_merge_s for f in found):
                continue  # the tail of the filled pause just found, run into the next word
            heard = _filler_before_word((a, b), said, samples, transcriber, cfg)
            text = heard.text if heard else None
        else:
            heard = heard_alone((a, b), cfg.filler_pass_prompt)
            text = None if looping((a, b)) else _filled_pause_heard((a, b), heard, said, cfg.filler_retime_s)
        if text:
            found.append(Word(text, round(a, 3), round(b, 3), heard.probability))
    # a steady island that one written word lies over, its time reaching on into the sound after the
    # island: Whisper may stretch the next word back over a filled pause (flite's "uh within" as
    # "within" from the "uh" on) or write the filler as a word it times late; heard alone with the
    # filler prompt it starts with a filler, nothing else is heard in it, and without the prompt it
    # is not the word written. A short word said on its own is timed into the silence after it, not
    # beyond ("for <0.3 s> about"), or heard as itself; an island just after a filled pause found is
    # heard with that filler's tail in its context ("uh <0.12 s> and")
    def overlapping(x: tuple[float, float], y: tuple[float, float]) -> bool:
        return x[0] < y[1] and x[1] > y[0]

    sounding = ~np.asarray(quiet, bool)
    checks = len(candidates)
    for island in islands:
        if checks >= cfg.hidden_filler_max_checks:
            break
        reach = (island[0] - cfg.filler_merge_s, island[1] + cfg.filler_merge_s)
        if any(overlapping(island, s) for s in sounds) or any(overlapping(reach, (f.start, f.end)) for f in found):
            continue
        over = [f for f in fitted if not is_filled_pause(f.text) and normalize(f.text) and overlapping(island, (f.start, f.end))]
        if len(over) != 1 or sound_between(sounding, cfg.silence_frame_s, island[1], over[0].end) \
                < cfg.hidden_filler_word_reach_s - 1e-6 or not steady(island):
            continue
        checks += 1
        heard = words_alone(island, cfg.filler_pass_prompt)
        if not heard or not is_filled_pause(heard[0].text) or looping(island) or any(
                normalize(h.text) and not is_filled_pause(h.text) and h.start < island[1] - cfg.hidden_filler_edge_s
                for h in heard[1:]):
            continue
        plain = heard_alone(island, None)  # only now: it costs a decode
        if plain is not None and normalize(plain.text) == normalize(over[0].text):
            continue
        found.append(Word(heard[0].text, round(island[0], 3), round(island[1], 3), heard[0].probability))
    near, before = cfg.filler_merge_s, max(cfg.filler_merge_s, cfg.filler_retime_s)

    def found_again(w: Word) -> bool:
        if is_filled_pause(w.text):  # near a found one: that one, mistimed (the passes time them late)
            return any(w.start <= f.end + before and w.end >= f.start - near for f in found)
        # an "or" lying over a found one was that filled pause, misheard
        return normalize(w.text) in SOUND_LIKE_A_FILLED_PAUSE and any(w.start < f.end and w.end > f.start for f in found)

    def heard_as_a_word(span: tuple[float, float], filler: Word) -> bool:
        """Heard alone, primed with fillers and not, Whisper starts the sound under `filler` with the
        same word, not a filler. Where the plain pass wrote `filler` too, that word must also be one
        the passes wrote near it: heard alone, a sound is guessed at (flite's slt says "um" so that
        alone it is "and" both ways, where both passes wrote "Um," and no "and"). A filler only the
        primed pass wrote needs no more: it may stand for a short word the plain pass dropped
        ("She picked <0.4 s> up" written "She picked the phone" and "She picked, er, my phone")."""
        primed = heard_alone(span, cfg.filler_pass_prompt)
        if primed is None or is_filled_pause(primed.text) or not normalize(primed.text):
            return False
        word = normalize(primed.text)
        a, b = span
        unprimed = any(filler.start <= u.end + near and filler.end >= u.start - near for u in written_unprimed)
        if unprimed and not any(normalize(t.text) == word and t.start <= b + near and t.end >= a - near for t in timed):
            return False
        plain = heard_alone(span, None)  # only now: it costs a decode
        return plain is not None and normalize(plain.text) == word

    long_silences = frame_runs(quiet, cfg.silence_frame_s, 0.0, duration, cfg.filler_retime_s)

    def said_before_the_silence(w: Word) -> Word | None:
        """A filled pause of the passes on the start of the word after a long silence, said before that
        silence: both passes write "So, um, <1.8 s> last" and may time the "um" on "last". It was when
        a steady sound ends the silence's other side, no word's time explains that sound, no word is
        timed inside the silence, the sound heard alone is no word, and the filled pause does not
        sit on a steady sound of its own after the silence."""
        reach = cfg.filler_on_next_word_s
        silence = next((s for s in long_silences if w.start - reach <= s[1] <= w.end + reach), None)
        if silence is None:
            return None
        a, b = silence
        # on a steady sound of its own after the silence, it is where it was said: "thank me.
        # <1.0 s> uh, that felt good" (in noise Whisper stretches "me." over the silence)
        if any(abs(i[0] - b) < cfg.silence_frame_s / 2 and steady(i) for i in islands):
            return None
        island = next((i for i in islands if abs(i[1] - a) < cfg.silence_frame_s / 2 and steady(i)), None)
        if island is None:
            return None

        def stretched(t: TimedToken) -> bool:
            # a word the passes timed over most of the silence may have its sound on either side
            # of it ("last" 1.12-3.66 s over "um <silence> last"): its time explains neither
            return min(t.end, b) - max(t.start, a) >= (b - a) / 2

        # a word timed to start inside the silence is the sound before it, timed late: "Now, <1.8 s>
        # um-last" written "Now, um, last" with "Now" 0.45 s before "um"
        if any(explains(t) and not stretched(t) and a < t.start < b - reach for t in timed):
            return None
        explaining = [(f.start, f.end) for t, f in zip(timed, fitted) if explains(t) and not stretched(t)]
        if not stray_islands(explaining, [island], quiet, cfg.silence_frame_s, cfg.hidden_filler_own_sound_s) \
                or heard_as_a_word(island, w):
            return None
        return Word(w.text, round(island[0], 3), round(island[1], 3), w.probability)

    def where_said(w: Word) -> tuple[Word, bool]:
        """A filled pause of the passes timed inside a silence was said at its edge: Whisper writes
        "So, um, <pause> last" and times the "um" in the pause, up to 1.5 s late. With nothing said
        before the silence (the start of the audio: a live piece begins with the silence before its
        speech) it may be the filler prompt echoed: True, it counts only on a sound after it."""
        silence = silence_holding(quiet, cfg.silence_frame_s, (w.start, w.end), cfg.hidden_filler_edge_s)
        if silence is None:
            return said_before_the_silence(w) or w, False
        at = round(silence[0] if silence[0] > 0 else silence[1], 3)
        return Word(w.text, at, at, w.probability), silence[0] <= 0

    # one a found filled pause already explains where the passes put it stays, to merge with it
    placed = [where_said(w) if is_filled_pause(w.text) and not found_again(w) else (w, False) for w in words]
    echoes = frozenset(w for w, maybe_echo in placed if maybe_echo)
    kept = [w for w, _ in placed if not found_again(w)]
    out = sorted(_retimed(kept, found, [i for i in islands if steady(i)], heard_as_a_word, cfg, echoes),
                 key=lambda w: (w.start, w.end))
    taken = first_syllables_taken_for_filled_pauses(out, cfg.late_word_within_s, cfg.fastest_syllable_s)
    return [w for i, w in enumerate(out) if i not in taken]


def ends_on_filled_pause(samples: np.ndarray, regions: list[tuple[float, float]], transcriber: Transcriber,
                         config: AnalysisConfig, room_rt60_s: float = 0.0) -> bool:
    """Whether the last speech in `samples` ends on a filled pause run on from the last word.

    Both passes often write "the same day." for "the same day-uhh" (an "um" glued to the
    word), and a turn that ends a sentence closes after a short silence: the speaker, who
    was thinking, is cut off. The end of the speech is a held, voiced sound (`held_tail_s`)
    then, and heard alone, filler-primed, Whisper writes it as one. A sentence-final vowel
    can be held too (espeak-ng holds "calm" 0.45 s); heard alone it comes back as the word.

    In a reverberant room (`room_rt60_s` above 0, measured on the speech before) no held
    sound is steady, and the end of the speech, its echo dying away, is heard as it is
    (`trailing_filler_room_heard_s`): the echo of a held "um" is an "uh" to Whisper.
    """
    if not regions:
        return False
    cfg = config
    levels = frame_levels(samples, cfg.silence_frame_s)
    first, last = (int(t / cfg.silence_frame_s) for t in regions[-1])
    region = levels[first: max(first + 1, min(last, levels.size))]
    if region.size == 0:
        return False
    loud = np.flatnonzero(region >= region.max() - cfg.trailing_filler_below_peak_db)
    end = (first + int(loud[-1]) + 1) * cfg.silence_frame_s
    start = (first + int(loud[0])) * cfg.silence_frame_s
    in_room = room_rt60_s > 0
    if in_room:
        held_from = max(start, end - cfg.trailing_filler_room_heard_s)
    else:
        held = held_tail_s(samples[int(start * SAMPLE_RATE): int(end * SAMPLE_RATE)], cfg.hidden_filler_voiced,
                           cfg.hidden_filler_change)
        if held < cfg.trailing_filler_min_s - 1e-6:
            return False
        # its end alone: heard on from the word before it, Whisper writes the word and leaves the "um" out
        # again, as the passes did (4 voices, clean and phone line: of the 55 glued "um"s the words
        # alone let close the turn, 8 were kept open heard with 0.3 s of the word, 18 heard alone)
        held_from = end - min(held, cfg.trailing_filler_heard_s)
    # in a room all of the clip is the end: what is heard in it is enough, without word times (half the time)
    heard = _words_heard(samples, (held_from, end), transcriber, cfg, cfg.filler_pass_prompt, word_times=not in_room)
    fillers = [w for w in heard if is_filled_pause(w.text)]
    # five or more is the filler prompt looping on a sound it could not make out ("Er, er, er, er,
    # er," for the held "calm" of a finished sentence; "And, uh, ah, hmm, ah, hmm" for a real one)
    return 0 < len(fillers) < cfg.filler_prompt_loop and any(w.end > held_from for w in fillers)


def _filled_pause_heard(span: tuple[float, float], heard: Word | None, said: list[TimedToken],
                        late_s: float) -> str | None:
    """The filled pause a steady sound is (None: none), from the first word Whisper heard in it alone.

    In some accents "uh" sounds like "oh", and heard on its own that is what Whisper writes
    (en-029: "Oh." for its "uh"s in noise). Where the passes wrote no word over the sound, as
    they do for a hesitation, it counts as an "uh". Where they wrote one, or an "or"/"oh" up to
    `late_s` after it (they time those late), it may be a meant "or" ("refund the charge, or we
    can..." in en-029 is the same sound) and is left alone.
    """
    if heard is None:
        return None
    if is_filled_pause(heard.text):
        return heard.text
    a, b = span
    over = any(t.start < b and t.end > a for t in said)
    or_after = any(normalize(t.text) in SOUND_LIKE_A_FILLED_PAUSE and a <= t.start <= b + late_s for t in said)
    if normalize(heard.text) == "oh" and not over and not or_after:
        return "uh"
    return None


def _retimed(words: list[Word], found: list[Word], steady_islands: list[tuple[float, float]],
             heard_as_a_word: Callable[[tuple[float, float], Word], bool], cfg: AnalysisConfig,
             echoes: frozenset[Word] = frozenset()) -> list[Word]:
    """`words` and `found`, each filled pause of the passes moved onto the steady island nearest it.

    The passes often time an "um" 0.2-0.5 s late, at zero length at the next word's
    start, with the word before it stretched over the sound: the island is looked for
    up to `filler_retime_s` before it, and hardly after. A filled pause with no steady
    island near it stays where the passes put it (its own time is not heard alone: where
    a filled pause runs into the next word, that time holds the word too, and is heard
    as it: "uh and" as "And"). Three kinds are left out:
    - one of `echoes` (the filler prompt echoed, maybe) with no steady island near it;
    - one whose island, heard alone, is a word: the filler-primed pass writes "um"/"uh"
      for a short word set off by silence ("waited on hold, for about an hour"), whose
      vowel is such an island; heard alone, with and without the filler prompt, it is
      "For." both times (`heard_as_a_word`);
    - one within `filler_merge_s` of a filled pause already kept, or of the run of
      such repeats after it: the same one written again (a pass caught in a loop
      writes "ah, ah, ah, ah" 0.04-0.1 s apart).
    """
    near = cfg.filler_merge_s
    taken = [(f.start, f.end) for f in found]
    kept = list(taken)
    out = list(found)
    for w in words:
        if is_filled_pause(w.text):
            free = [(a, b) for a, b in steady_islands if not any(a < e and b > s for s, e in taken)]
            spot = nearest(free, (w.start, w.end), cfg.filler_retime_s, cfg.filler_retime_after_s)
            if spot is not None:
                if heard_as_a_word(spot, w):
                    continue
                w = Word(w.text, round(spot[0], 3), round(spot[1], 3), w.probability)
                taken.append(spot)
            elif w in echoes:
                continue
            same = next((i for i, (s, e) in enumerate(kept) if w.start <= e + near and w.end >= s - near), None)
            if same is not None:  # the run it extends is one filled pause: "ah, ah, ah, ah" 0.1 s apart
                kept[same] = (min(kept[same][0], w.start), max(kept[same][1], w.end))
                continue
            kept.append((w.start, w.end))
        out.append(w)
    return out


def _filler_before_word(span: tuple[float, float], said: list[TimedToken], samples: np.ndarray,
                        transcriber: Transcriber, config: AnalysisConfig) -> Word | None:
    """The filled pause a sound running straight into the next word is (None: none), heard with that word.

    Heard alone, such a sound is cut mid-word and Whisper guesses: the vowel that starts
    "actually", timed late, is heard as "Uh,". Heard on to the end of the word it runs into,
    with the filler prompt, that vowel becomes "Actually," while a filler said with no gap
    stays one before the word ("Uh, and."). It counts when Whisper hears a filler that ends
    inside the sound and starts before it ends (`filler_into_word_s`), then a word: fillers
    alone ("Uh, uh, hmm, hmm") are Whisper looping, not the word the sound runs into.
    """
    a, b = span
    word_end = min((t.end for t in said if t.start >= b - config.filler_into_word_s), default=b)
    heard = _words_heard(samples, span, transcriber, config, config.filler_pass_prompt, until=word_end)
    first = next((i for i, w in enumerate(heard)
                  if is_filled_pause(w.text) and w.end > a and w.start <= b + config.filler_into_word_s), None)
    if first is None or not any(normalize(w.text) and not is_filled_pause(w.text) for w in heard[first + 1:]):
        return None
    return heard[first]


def _words_heard(samples: np.ndarray, span: tuple[float, float], transcriber: Transcriber,
                 config: AnalysisConfig, prompt: str | None, until: float | None = None,
                 word_times: bool = True) -> list[Word]:
    """The words Whisper hears in a stretch (on to `until`, with `hidden_filler_context_s` around
    it), given `prompt`, at answer times; none where it was unsure (`hidden_filler_min_logprob`)
    of a stretch shorter than `hidden_filler_sure_s`.

    One pass per stretch: laid end to end in one pass they cost a third of the time but
    colour each other (measured: precision on 8 kHz calls 94% -> 88%).
    """
    a, b = span
    pad = config.hidden_filler_context_s
    start = max(0.0, a - pad)
    clip = samples[int(start * SAMPLE_RATE): int((max(b, until or b) + pad) * SAMPLE_RATE)]
    heard = transcriber.transcribe(clip, prompt=prompt, vad_filter=False, word_times=word_times)
    # (a stretch is whole 10 ms frames: its 0.2 s can come out as 0.19999...)
    sure = bool(heard.segments) and (
        b - a >= config.hidden_filler_sure_s - 1e-6 or heard.segments[0].avg_logprob >= config.hidden_filler_min_logprob)
    if not sure:
        return []
    return [replace(w, start=round(w.start + start, 3), end=round(w.end + start, 3)) for w in heard.words]


def analyze_transcribed(samples: np.ndarray, transcript: Transcript, config: AnalysisConfig,
                        regions: list[tuple[float, float]] | None = None) -> dict:
    """Metrics of an answer already transcribed (and its speech found) while it was spoken: live sessions."""
    if regions is None:
        regions = speech_regions(samples, config)
    return answer_metrics(transcript, samples, regions, config)


def analyze_file(path: str, transcriber: Transcriber, config: AnalysisConfig) -> dict:
    return analyze_samples(read_audio(path), transcriber, config, file=str(path))
