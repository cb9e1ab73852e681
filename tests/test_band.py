"""Telephone-band audio is told from wideband audio, and read with its voice band mirrored above 4 kHz."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from voice_interviewer.audio.band import is_narrowband, upper_band_share_db, widened
from voice_interviewer.audio.wav import read_audio
from voice_interviewer.config import AsrConfig

SR = 16_000
CFG = AsrConfig()


def narrowband(audio: np.ndarray) -> bool:
    return is_narrowband(audio, CFG.narrowband_above_hz, CFG.narrowband_below_db)


def tone(hz: float, seconds: float = 1.0, level: float = 0.3) -> np.ndarray:
    return (level * np.sin(2 * np.pi * hz * np.arange(int(seconds * SR)) / SR)).astype(np.float32)


def spectrum(audio: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.fft.rfftfreq(audio.size, 1 / SR), np.abs(np.fft.rfft(audio.astype(np.float64)))


def test_the_voice_band_is_mirrored_above_4_khz_and_kept_as_it_was_below():
    audio = tone(1000) + tone(3000, level=0.1)
    wide = widened(audio, -20.0)
    freqs, mag = spectrum(wide)
    peak = {f: mag[np.argmin(np.abs(freqs - f))] for f in (1000, 3000, 5000, 7000)}
    assert 20 * math.log10(peak[7000] / peak[1000]) == pytest.approx(-20.0, abs=0.1)
    assert 20 * math.log10(peak[5000] / peak[3000]) == pytest.approx(-20.0, abs=0.1)
    below = freqs < 4000
    assert np.allclose(mag[below], spectrum(audio)[1][below], rtol=1e-3, atol=1e-2)
    assert wide.dtype == np.float32 and wide.size == audio.size


def test_audio_sampled_at_8_khz_is_told_from_wideband_audio(synth):
    from bench.metrics_accuracy import noisy, telephone, trim
    from voice_interviewer.audio.phone import phone_line

    speech = trim(synth.synthesize("I sort my queue by urgency every morning.", voice="gmw/en-US", rate_wpm=150))
    assert not narrowband(speech)
    assert not narrowband(noisy(speech))
    assert narrowband(telephone(speech))  # a call recorder's 8 kHz G.711 file, read back
    assert narrowband(phone_line(speech))  # the --phone mode's line
    assert not narrowband(np.zeros(SR, np.float32))  # silence: nothing to widen
    assert not narrowband(np.full(SR, np.nan, np.float32))
    assert upper_band_share_db(np.zeros(10), 4500.0) == -math.inf


def test_the_recordings_of_real_people_are_told_apart_by_how_they_were_sampled(real_recordings):
    """The 8 kHz telephone recording is narrowband; JFK's 1961 speech, dull as it is, and the 16 kHz desk recording are not."""
    shares = {name: upper_band_share_db(read_audio(meta["path"]), CFG.narrowband_above_hz)
              for name, meta in real_recordings.items()}
    assert shares["osr_us_000_0034_8k.wav"] < CFG.narrowband_below_db
    assert shares["jfk.flac"] > CFG.narrowband_below_db + 10
    assert shares["desk_bottle_16k.wav"] > CFG.narrowband_below_db + 10


def test_whisper_reads_a_real_telephone_recording_as_well_widened(transcriber, real_recordings):
    """The real 8 kHz call recording, widened as every narrowband input is: its word count stays
    within the pace target of its reference text, as it was read before (73 of 73 words)."""
    from tests.real_marks import reference_words

    meta = real_recordings["osr_us_000_0034_8k.wav"]
    audio = read_audio(meta["path"])
    assert narrowband(audio)
    words = transcriber.transcribe(audio).words
    assert abs(len(words) - reference_words(meta["text"])) <= 0.05 * reference_words(meta["text"])


@settings(max_examples=200, deadline=None)
@given(arrays(np.float32, st.integers(0, 3000),
              elements=st.one_of(st.floats(-1, 1, width=32), st.just(np.float32("nan")), st.just(np.float32("inf")))),
       st.floats(-60, 0))
def test_band_functions_never_fail_and_widened_audio_stays_in_range(audio, mirror_db):
    share = upper_band_share_db(audio, 4500.0)
    assert share <= 1e-9  # a share of the energy: never more than all of it
    assert isinstance(is_narrowband(audio, 4500.0, -60.0), bool)
    wide = widened(audio, mirror_db)
    assert wide.size == audio.size and np.isfinite(wide).all() and np.abs(wide).max(initial=0.0) <= 1.0
