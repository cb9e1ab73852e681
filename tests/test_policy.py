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
        ("prioritize", metrics("Sorry, could you repeat the question?"), "repeat_question", "could you repeat"),
        ("prioritize", metrics("Pardon? I didn't catch that."), "repeat_question", "pardon"),
        ("information_overload", metrics("Um, what do you mean by inundated?"), "clarify_question", "what do you mean"),
        ("information_overload", metrics("Could you clarify the question please?"), "clarify_question", "could you clarify"),
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


def test_repeat_and_clarify_say_the_question_and_its_rephrasing():
    q = BANK.question("information_overload")
    repeat = decide_followup(metrics("Can you say that again?"), q, LINES)
    assert repeat.text.endswith(q.text) and repeat.text != q.text
    clarify = decide_followup(metrics("I don't understand the question."), q, LINES)
    assert clarify.text.endswith(q.rephrase)


def test_a_long_answer_that_quotes_a_request_is_an_answer():
    story = ("Last year a customer called and said what do you mean my bill is late. I checked her account, "
             "I found the payment had bounced, I explained it and she paid again, and in the end she thanked me for the help.")
    assert decide_followup(metrics(story), BANK.question("upset_customer"), LINES).kind != "clarify_question"


def test_understanding_comes_before_content():
    # a short request has no example, no outcome: still, the question comes first
    d = decide_followup(metrics("What do you mean?"), BANK.question("extra_mile"), LINES)
    assert d.kind == "clarify_question"


def test_content_cues_find_star_empathy_and_ownership():
    from voice_interviewer.analysis.content import content_cues

    cues = content_cues(
        "Last winter a customer called about a double bill. I had to fix it before Friday. "
        "I said I'm sorry, I understand how frustrating that is, and I'll make sure it's corrected. "
        "I checked her readings and in the end she got a refund of 80 dollars."
    )
    assert cues.star() == {"situation": True, "task": True, "action": True, "result": True}
    assert "i'm sorry" in cues.empathy and "i understand" in cues.empathy
    assert "i'll make sure" in cues.ownership
    assert "80" in cues.specific and "friday" in cues.specific
    vague = content_cues("We always try to help people with whatever they need.")
    assert vague.star() == {"situation": False, "task": False, "action": False, "result": False}
    assert not vague.first_person and vague.others and not vague.empathy


def test_a_different_content_backend_fits_the_same_interface():
    from voice_interviewer.analysis.content import ContentCues

    def nothing_found(text, keywords):
        return ContentCues(*([()] * 12))

    d = decide_followup(metrics(STRONG), BANK.question("extra_mile"), LINES, cues_for=nothing_found)
    assert d.kind == "ask_example"
