"""The question bank: the six source questions, and one clear error for each kind of malformed file."""

from __future__ import annotations

import pytest

from voice_interviewer.errors import UserError
from voice_interviewer.interview.bank import FOLLOWUP_KINDS, PROMPTS_DIR, load_bank, load_lines
from voice_interviewer.interview.candidates import load_demo_script

REQUIRED = {
    "extra_mile": "Tell me about a time you went the extra mile to help a customer.",
    "irate_customer": "How would you deal with an irate customer?",
    "prioritize": "How would you prioritize your day and your customer requests?",
    "information_overload": "Tell me about a time you were inundated with information while trying to resolve a problem. What steps did you take?",
    "difficult_made_simple": "Give me an example of a situation that others found difficult, but that you solved in a relatively simple way.",
    "upset_customer": "Share an example of dealing with an upset customer. How were you able to help them?",
}


def test_default_bank_holds_the_six_questions_in_full():
    bank = load_bank()
    assert {q.id: q.text for q in bank.questions} == REQUIRED
    for q in bank.questions:
        assert q.competency and q.strong_answer and q.rephrase
        assert q.rephrase != q.text
        assert len(q.followups) >= 2
        assert all(f.kind in FOLLOWUP_KINDS and f.text.endswith("?") for f in q.followups)
        assert q.keywords


def test_unknown_question_id_names_the_known_ones():
    with pytest.raises(UserError, match="Unknown question id 'nope'.*extra_mile"):
        load_bank().question("nope")


def test_interviewer_lines_and_demo_script_load_and_cover_the_bank():
    lines = load_lines()
    assert all(len(v) >= 2 for v in lines.values())
    script = load_demo_script()
    ids = {q.id for q in load_bank().questions}
    assert {a.question for a in script.answers} <= ids
    assert {a.style for a in script.answers} >= {"strong", "weak", "fillers"}


GOOD = (PROMPTS_DIR / "customer_service.toml").read_text()


@pytest.mark.parametrize(
    "mutate, key, problem",
    [
        (lambda s: s.replace('id = "prioritize"', 'ide = "prioritize"', 1), "questions[2].id", "is missing"),
        (lambda s: s.replace('kind = "ask_result"', 'kind = "ask_reslt"', 1), "questions[0].followups[1].kind", "'ask_reslt' is not one of"),
        (lambda s: s.replace('text = "How would you deal with an irate customer?"', 'text = "  "'), "questions[1].text", "is empty"),
        (lambda s: s.replace('id = "prioritize"', 'id = "extra_mile"', 1), "questions[2].id", "used twice"),
        (lambda s: s.replace("asks_for_example = true", 'asks_for_example = "yes"', 1), "questions[0].asks_for_example", "true or false"),
        (lambda s: s.replace("[bank]", "[bnk]"), "[bank]", "is missing"),
    ],
)
def test_malformed_bank_gets_one_error_naming_file_and_key(tmp_path, mutate, key, problem):
    path = tmp_path / "broken.toml"
    path.write_text(mutate(GOOD))
    with pytest.raises(UserError) as err:
        load_bank(path)
    message = str(err.value)
    assert str(path) in message and key in message and problem in message
    assert "\n" not in message


def test_toml_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text(GOOD.replace('title = "Customer service phone screen"', 'title = "Customer service phone screen'))
    with pytest.raises(UserError, match=r"typo\.toml: not valid TOML .*line \d+"):
        load_bank(path)


def test_missing_bank_file_is_one_sentence(tmp_path):
    with pytest.raises(UserError, match="no such prompts file"):
        load_bank(tmp_path / "absent.toml")


def test_bank_by_name_is_looked_up_in_prompts():
    assert load_bank("customer_service").id == "customer_service"
    with pytest.raises(UserError, match="no such prompts file"):
        load_bank("no_such_bank")


@pytest.mark.parametrize(
    "mutate, key, problem",
    [
        (lambda s: s.replace("speak_up = [", "speak_uo = [", 1), "lines.speak_up", "must be a non-empty list"),
        (lambda s: s + '\nshout = ["HELLO"]\n', "lines.shout", "is not a known kind"),
        (lambda s: s.replace('"Thank you.",', '"  ",', 1), "lines.next_question[0]", "is empty"),
    ],
)
def test_malformed_interviewer_lines_get_one_error(tmp_path, mutate, key, problem):
    path = tmp_path / "interviewer.toml"
    path.write_text(mutate((PROMPTS_DIR / "interviewer.toml").read_text()))
    with pytest.raises(UserError) as err:
        load_lines(path)
    assert str(path) in str(err.value) and key in str(err.value) and problem in str(err.value)
