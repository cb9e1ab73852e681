"""Which Whisper pass an answer's words come from (the plain one, unless it ran in a loop),
and the speech that neither pass wrote down.

Whisper can fall into a loop: it writes a sentence, then writes it again over the audio
that follows ("How did it come first? How did it come first? How did it come first?"),
and the words that were really said there are lost. Seen on 3 of 132 synthetic answers
with tiny.en over the telephone band; it puts pace 30-50% off and fills the transcript
with words nobody said. The filler-primed pass, decoded from another prompt, rarely
loops in the same place. A run said twice in a row that only one pass heard is the
loop; a person who really repeats themselves is heard doing it by both passes.
"""

from __future__ import annotations

import math
from dataclasses import replace
from difflib import SequenceMatcher

from voice_interviewer.analysis.fillers import FILLED_PAUSES, SOUND_LIKE_A_FILLED_PAUSE, merge_filled_pauses, normalize
from voice_interviewer.analysis.hesitation import syllables
from voice_interviewer.analysis.timing import union
from voice_interviewer.speech.asr import Transcript, Word

SQUASHED_S = 0.02  # a word timed shorter than this was not placed by Whisper's alignment


def repeated_runs(tokens: list[str], min_words: int, times: int, max_words: int = 60) -> list[tuple[int, int]]:
    """Each run of `min_words` to `max_words` words written `times` times or more in a row, as
    the indices of its first and last token (from its first writing to the end of its last).

    Filled pauses and punctuation are left out ("how did it, um, come first" repeats
    "how did it come first"); runs that overlap are one.
    """
    kept = [(i, w) for i, w in ((i, normalize(t)) for i, t in enumerate(tokens)) if w and w not in FILLED_PAUSES]
    words = [w for _, w in kept]
    n = len(words)
    found = []
    for size in range(max(1, min_words), min(max_words, n // times) + 1):
        i = 0
        while i + times * size <= n:
            copies = 1
            while words[i + copies * size:i + (copies + 1) * size] == words[i:i + size]:
                copies += 1
            if copies >= times:
                end = i + copies * size  # and the start of one more copy, cut off
                while end < n and words[end] == words[i + (end - i) % size]:
                    end += 1
                found.append((kept[i][0], kept[end - 1][0]))
                i = end
            else:
                i += 1
    return union(found)


def repeats_itself(tokens: list[str], min_words: int, max_words: int = 60) -> bool:
    """Whether some run of `min_words` to `max_words` words is followed at once by itself."""
    return bool(repeated_runs(tokens, min_words, 2, max_words))


def combine_passes(plain: Transcript, primed: Transcript | None, merge_s: float, loop_min_words: int) -> Transcript:
    """The answer's transcript: one pass's words and text, with the other pass's filled pauses added.

    The plain pass is the base (its word count and timing are the better ones, measured in
    bench/metrics_accuracy.py), unless it repeats itself and the primed pass does not. A
    filled pause written where the base heard a word is left out (`written_instead_of_words`):
    one sound is not both a word and a filler, and the base's word is the likelier.
    """
    if primed is None or not plain.words:
        return plain
    base, other, instead = _lined_up(plain, primed, loop_min_words)
    extra = [w for i, w in enumerate(other.words) if i not in instead]
    return replace(base, words=merge_filled_pauses(base.words, extra, merge_s))


def doubtful_filled_pauses(plain: Transcript, primed: Transcript | None, loop_min_words: int) -> list[Word]:
    """The filled pauses `combine_passes` left out: written by one pass where the other heard a word.

    Not counted, but a live turn ending on one is not over yet (waiting is the safe side).
    """
    if primed is None or not plain.words:
        return []
    _, other, instead = _lined_up(plain, primed, loop_min_words)
    return [other.words[i] for i in sorted(instead)]


def _lined_up(plain: Transcript, primed: Transcript, loop_min_words: int) -> tuple[Transcript, Transcript, set[int]]:
    """The base pass, the other, and the other's filled pauses written where the base heard words."""
    base, other = plain, primed
    if primed.words and repeats_itself([w.text for w in plain.words], loop_min_words) and not repeats_itself(
            [w.text for w in primed.words], loop_min_words):
        base, other = primed, plain
    return base, other, written_instead_of_words([w.text for w in base.words], [w.text for w in other.words])


def written_instead_of_words(base: list[str], other: list[str]) -> set[int]:
    """The indices of `other`'s filled pauses that stand where `base` heard more words.

    Primed with fillers, Whisper writes "uh" for a short word said on its own: "she picked,
    uh, the phone" where the plain pass heard "she picked up the phone". Lined up word by
    word, such a filled pause sits in a stretch where the primed pass wrote fewer words than
    the plain one: it took a word's place. A filled pause the plain pass left out, as it
    leaves out most, is one word more in the primed pass and is kept. An "or"/"oh" is no
    word here: that is how the plain pass writes some accents' "uh". The cost: a filled
    pause the plain pass heard as a word ("freezing from, so" for "freezing, um, so") is
    lost too. bench/metrics_accuracy.py, three conditions: 26 of the 42 false ones in the
    short-word set gone, for 9 of the 441 real ones found in the corpus and 5 of 126 of
    those said with no gap.
    """
    def key(t: str) -> str:
        return normalize(t) or t

    a, b = [key(t) for t in base], [key(t) for t in other]
    out: set[int] = set()
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "replace":
            continue
        words_here = [w for w in a[i1:i2] if w not in FILLED_PAUSES and w not in SOUND_LIKE_A_FILLED_PAUSE]
        theirs = [w for w in b[j1:j2] if w not in FILLED_PAUSES and w not in SOUND_LIKE_A_FILLED_PAUSE]
        if len(theirs) < len(words_here):
            out.update(j for j in range(j1, j2) if b[j] in FILLED_PAUSES)
    return out


def unheard_speech(regions: list[tuple[float, float]], words: list[tuple[float, float]],
                   min_s: float) -> list[tuple[float, float]]:
    """The stretches of speech (`regions`, from the VAD) of `min_s` or more that no word lies over.

    Whisper sometimes leaves out a whole sentence, most often the first of an answer (tiny.en
    on a telephone-band answer: "Last winter a man called about his heating." not written,
    though the speech is plain to the VAD); such a stretch is heard again on its own.
    None when Whisper lost track of time instead: words squashed to no length outside all
    speech (it piles the words it could not place at the end of the audio) are the words
    of such a stretch, already written.
    """
    spans = sorted((a, b) for a, b in words if math.isfinite(a) and math.isfinite(b) and b >= a)
    if any(b - a < SQUASHED_S and not any(s <= a and b <= e for s, e in regions) for a, b in spans):
        return []
    out = []
    for start, end in regions:
        at = start
        for a, b in spans:
            if b <= at or a >= end:
                continue
            if a - at >= min_s:
                out.append((at, a))
            at = max(at, b)
        if end - at >= min_s:
            out.append((at, end))
    return out


def sayable_in(texts: list[str], seconds: float, fastest_syllable_s: float) -> bool:
    """Whether words written `texts` could be said in `seconds`: no more syllables than the fastest
    speaker says in that time (`fastest_syllable_s` each). Heard on its own, a stretch holding only
    an "um" or a breath can come back as a phrase from the subtitles Whisper learnt on: "Thank you
    for watching and thank you for watching" in 1.04 s, 11 syllables, with confidence."""
    return sum(syllables(t) for t in texts) * fastest_syllable_s <= seconds
