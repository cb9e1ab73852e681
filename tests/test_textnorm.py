"""The test helper that finds what the interviewer said in a transcript of the speaker."""

from tests.textnorm import find_phrase

HEARD = "tell me about a time you went next remind a help a customer thank you that's all my questions"


def test_a_phrase_is_found_with_one_word_misheard_but_not_two():
    assert find_phrase(HEARD, "to help a customer") == 9  # "a help a customer"
    assert find_phrase(HEARD, "all my questions") == 16
    assert find_phrase(HEARD, "the extra mile to") == -1  # "next remind a help": three words wrong
    assert find_phrase(HEARD, "all my answers", max_wrong_words=0) == -1


def test_nothing_heard_finds_nothing():
    assert find_phrase("", "all my questions") == -1
    assert find_phrase("thank you", "all my questions") == -1
