"""Speech habits speaking coaches point out: hedging, stutters, pet phrases, the most used words (pure)."""

from __future__ import annotations

from collections import Counter

# Snowball's English stemmer (pure Python, the one Sphinx uses): "customer" and "customers",
# "help" and "helped" are one word to a listener counting what comes back
import snowballstemmer

from voice_interviewer.analysis.fillers import SINGLE_LEXICAL, is_filled_pause, normalize

HEDGES = ("i guess", "i think", "i suppose", "kind of", "sort of", "maybe", "probably", "perhaps")
STOPWORDS = frozenset(
    "a an the and or but so to of in on at for with from by as is was were be been are am it its it's this that "
    "these those i i'm i'd i'll i've me my we our us you your they them their he she his her him not no do did "
    "does have has had just then there here what when which who how if would could should can will about up out "
    "very really like well okay yes".split()
)


def _said(text: str) -> str | None:
    """A recognised word as the habits compare it (lower case, no punctuation); None for a filled pause."""
    word = normalize(text)
    return word if word and not is_filled_pause(text) else None


def _content_words(plain: list[str]) -> list[str]:
    """The words that say what an answer is about: no function words, no fillers, no two-letter words."""
    return [w for w in plain if w not in STOPWORDS and w not in SINGLE_LEXICAL and len(w) > 2]


def _stem(words: list[str]) -> list[str]:
    # a stemmer keeps state while it works, so each call gets its own (it costs under a microsecond)
    return snowballstemmer.stemmer("english").stemWords(words)


def _usual_forms(said: list[tuple[str, str]]) -> dict[str, str]:
    """For each stem of (word, stem) pairs, the form of it said most often (the first said on a tie)."""
    forms: dict[str, Counter[str]] = {}
    for word, stem in said:
        forms.setdefault(stem, Counter())[word] += 1
    return {stem: words.most_common(1)[0][0] for stem, words in forms.items()}


def speech_habits(tokens: list[tuple[str, float]], phrase_min_count: int = 3, top: int = 5,
                  word_min_count: int = 2) -> dict:
    """`tokens`: (word as recognised, start time). Filled pauses are left out of everything here.

    `top_words` holds only words said `word_min_count` times or more: a word said once is
    no habit, and among words said once the order would be arbitrary.
    """
    words = [(w, s) for w, s in ((_said(t), s) for t, s in tokens) if w]
    plain = [w for w, _ in words]

    hedges = []
    i = 0
    while i < len(plain):
        two = " ".join(plain[i:i + 2])
        if two in HEDGES:
            hedges.append({"text": two, "start": words[i][1]})
            i += 2
            continue
        if plain[i] in HEDGES:
            hedges.append({"text": plain[i], "start": words[i][1]})
        i += 1

    stutters = [{"text": f"{plain[i]} {plain[i]}", "start": words[i][1]}
                for i in range(1, len(plain)) if plain[i] == plain[i - 1]]

    phrases: Counter[str] = Counter()
    for n in (4, 3, 2):
        for i in range(len(plain) - n + 1):
            gram = plain[i:i + n]
            if all(g in STOPWORDS for g in gram):
                continue
            phrases[" ".join(gram)] += 1
    repeated = []
    for phrase, count in phrases.most_common():
        if count < phrase_min_count:
            break
        # keep the longest form: drop "the customer" when "called the customer" counts as often
        if any(phrase in longer["phrase"] and longer["count"] >= count for longer in repeated):
            continue
        repeated.append({"phrase": phrase, "count": count})

    content = _content_words(plain)
    stems = _stem(content)
    form = _usual_forms(list(zip(content, stems)))
    return {
        "hedges": {"count": len(hedges), "items": hedges},
        "stutters": {"count": len(stutters), "items": stutters},
        "repeated_phrases": repeated[:top],
        "top_words": [{"word": form[w], "count": c} for w, c in Counter(stems).most_common(top) if c >= word_min_count],
    }


def session_habits(answers: list[list[str]], word_min_count: int = 3, top: int = 5) -> dict:
    """Hedges, stutters and the most used words over a whole session.

    `answers`: each answer's words as recognised (filled pauses may be among them: they
    are left out). A habit shows across answers: "I think" in four of five answers is
    one, twice in one answer is not; so each hedge and word also says in how many
    answers it came.
    """
    hedges: Counter[str] = Counter()
    hedge_answers: Counter[str] = Counter()
    words: Counter[str] = Counter()  # by stem
    word_answers: Counter[str] = Counter()
    said_as: list[tuple[str, str]] = []  # every content word as said, with its stem, for each stem's usual form
    answers_hedged = stutters = 0
    for answer in answers:
        habits = speech_habits([(w, 0.0) for w in answer])
        said = [h["text"] for h in habits["hedges"]["items"]]
        hedges.update(said)
        hedge_answers.update(set(said))
        answers_hedged += bool(said)
        stutters += habits["stutters"]["count"]
        content = _content_words([w for w in map(_said, answer) if w])
        stems = _stem(content)
        said_as += zip(content, stems)
        words.update(stems)
        word_answers.update(set(stems))
    form = _usual_forms(said_as)
    return {
        "answers": len(answers),
        "hedges": {"count": sum(hedges.values()), "answers": answers_hedged,
                   "kinds": [{"text": t, "count": c, "answers": hedge_answers[t]} for t, c in hedges.most_common()]},
        "stutters": stutters,
        "top_words": [{"word": form[w], "count": c, "answers": word_answers[w]}
                      for w, c in words.most_common(top) if c >= word_min_count],
    }
