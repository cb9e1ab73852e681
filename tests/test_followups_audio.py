"""Follow-up kinds end to end: espeak-ng answers, the real model, the policy (and the CLI for one)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import run_cli, silence
from voice_interviewer.analyze import analyze_samples
from voice_interviewer.audio.wav import write_wav
from voice_interviewer.config import AnalysisConfig
from voice_interviewer.interview.bank import load_bank, load_lines
from voice_interviewer.interview.policy import decide_followup

BANK, LINES = load_bank(), load_lines()
STORY = ("Last year a customer called because her parcel was lost. I said I was sorry, I tracked it, "
         "and I sent a new one the same day. In the end she thanked me.")


@pytest.mark.parametrize(
    "qid, spoken, scale, kind",
    [
        ("prioritize", "Sorry, could you repeat the question?", 1.0, "repeat_question"),
        ("information_overload", "Sorry, what do you mean?", 1.0, "clarify_question"),
        ("extra_mile", "", 1.0, "no_answer"),
        ("extra_mile", STORY, 0.015, "speak_up"),
        ("upset_customer", "We always help our customers. The team is very good.", 1.0, "ask_action"),
        ("upset_customer", STORY, 1.0, "next_question"),
    ],
)
def test_spoken_answer_gets_the_right_followup(synth, transcriber, qid, spoken, scale, kind):
    speech = synth.synthesize(spoken, rate_wpm=150) if spoken else np.zeros(0, np.float32)
    audio = np.concatenate([silence(0.6), speech * scale, silence(0.8)])
    metrics = analyze_samples(audio, transcriber, AnalysisConfig())
    decision = decide_followup(metrics, BANK.question(qid), LINES)
    assert decision.kind == kind, (metrics["transcript"], decision)
    assert decision.evidence


def test_cli_prints_the_clarification_with_the_rephrasing(synth, tmp_path):
    path = tmp_path / "what.wav"
    write_wav(path, np.concatenate([silence(0.5), synth.synthesize("Sorry, what do you mean?", rate_wpm=150), silence(0.5)]))
    proc = run_cli("analyze", str(path), "--json", "--question", "information_overload")
    assert proc.returncode == 0, proc.stderr
    followup = json.loads(proc.stdout)["followup"]
    assert followup["kind"] == "clarify_question"
    assert followup["text"].endswith(BANK.question("information_overload").rephrase)
