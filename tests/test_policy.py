"""The follow-up policy: each kind from the answer that should trigger it, in the documented order."""

from __future__ import annotations

import pytest

from voice_interviewer.interview.bank import load_bank, load_lines
from voice_interviewer.interview.policy import decide_followup, pick_line

BANK = load_bank()
LINES = load_lines()


def metrics(transcript: str, dbfs: float = -20.0, logprob: float = -0.3, no_speech: float = 0.05, span: float = 30.0) -> dict:
    words = len(transcript.split())
    return {
        "transcript": transcript, "word_count": words, "span_s": span if words else 0.0, "duration_s": span + 2,
        "volume": {"speech_dbfs": dbfs if words else None}, "asr": {"avg_logprob": logprob, "no_speech_prob": no_speech},
    }


STRONG = ("Last winter a customer called about a double bill. I checked her readings, I booked a technician, "
          "and in the end she got a refund and thanked me; I went out of my way to call her back.")


@pytest.mark.parametrize(
    "qid, m, kind, evidence",
    [
        ("extra_mile", metrics(""), "no_answer", "no words"),
        ("extra_mile", metrics(STRONG, dbfs=-42.0), "speak_up", "-42.0 dBFS"),
        ("extra_mile", metrics(STRONG, logprob=-1.4), "say_again", "-1.40"),
        ("extra_mile", metrics(STRONG, span=200.0), "summarize", "200 s"),
        ("extra_mile", metrics("I always help customers as much as I can because I care."), "ask_example", "no concrete situation"),
        ("upset_customer", metrics("Once a customer was upset. We said sorry and the team fixed it, she was happy."), "ask_action", '"we"'),
        ("extra_mile", metrics("Last year a customer called and I went beyond my job and stayed late to help her."), "ask_result", "no outcome"),
        ("irate_customer", metrics("I would fix the problem fast and move on to the next call."), "competency_probe", "patience under aggression"),
        ("extra_mile", metrics(STRONG), "next_question", "refund"),
    ],
)
def test_each_kind_from_its_trigger(qid, m, kind, evidence):
    decision = decide_followup(m, BANK.question(qid), LINES)
    assert decision.kind == kind
    assert evidence in decision.evidence
    assert decision.text


def test_cannot_hear_comes_before_content():
    decision = decide_followup(metrics("we fix it", dbfs=-50.0), BANK.question("upset_customer"), LINES)
    assert decision.kind == "speak_up"


def test_never_the_same_kind_twice_and_a_cap_per_question():
    q = BANK.question("extra_mile")
    m = metrics("I always help customers as much as I can because I care.")
    first = decide_followup(m, q, LINES, asked=(), max_followups=2)
    second = decide_followup(m, q, LINES, asked=(first.kind,), max_followups=2)
    assert first.kind == "ask_example" and second.kind != first.kind and second.kind != "next_question"
    third = decide_followup(m, q, LINES, asked=(first.kind, second.kind), max_followups=2)
    assert third.kind == "next_question" and "already asked" in third.evidence


def test_phrasings_are_not_repeated_until_all_are_used():
    options = LINES["next_question"]
    assert pick_line(options, frozenset()) == options[0]
    assert pick_line(options, frozenset(options[:1])) == options[1]
    assert pick_line(options, frozenset(options)) == options[0]
