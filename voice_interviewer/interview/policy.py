"""What the interviewer says after an answer: a pure function of the answer and the question.

Checked in this order: could not hear (nothing said, too quiet, unreliable), did
not understand (asked to repeat or to clarify), then the content (too long, no
example, no own action, no outcome, the competency missing). At most
`max_followups` per question, never the same kind twice; `evidence` quotes the
words or numbers behind each decision.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable

from voice_interviewer.analysis.content import ContentCues, content_cues
from voice_interviewer.config import AnalysisConfig
from voice_interviewer.interview.bank import Question

KINDS = (
    "repeat_question", "clarify_question", "no_answer", "speak_up", "say_again", "ask_example",
    "ask_action", "ask_result", "summarize", "competency_probe", "next_question",
)
FINAL_KINDS = ("next_question", "no_answer")  # a follow-up of these kinds closes its question
# a follow-up of these kinds replies to a question about the question: that turn was no answer
REQUEST_KINDS = ("repeat_question", "clarify_question")
# a request about the question is only that when the answer is short: long answers quote people
REQUEST_MAX_WORDS = 30


@dataclass(frozen=True)
class Followup:
    kind: str
    text: str
    evidence: str

    def to_dict(self) -> dict:
        return asdict(self)


def pick_line(options: tuple[str, ...], already_said: frozenset[str] | set[str]) -> str:
    """The first phrasing not said yet in this session (the first one again when all are used)."""
    return next((o for o in options if o not in already_said), options[0])


def _quote(words: tuple[str, ...], limit: int = 4) -> str:
    uniq = list(dict.fromkeys(w.lower() for w in words))
    return ", ".join(f'"{w}"' for w in uniq[:limit])


def decide_followup(
    metrics: dict,
    question: Question,
    lines: dict[str, tuple[str, ...]],
    asked: tuple[str, ...] = (),
    already_said: frozenset[str] = frozenset(),
    max_followups: int = 2,
    config: AnalysisConfig | None = None,
    cues_for: Callable[[str, tuple[str, ...]], ContentCues] = content_cues,
) -> Followup:
    """The next thing to say. `asked`: the follow-up kinds already used for this question."""
    cfg = config or AnalysisConfig()

    def line(kind: str, evidence: str, then: str = "") -> Followup:
        opening = pick_line(lines[kind], already_said)
        return Followup(kind, f"{opening} {then}".strip(), evidence)

    def bank(kind: str, evidence: str) -> Followup | None:
        options = tuple(f.text for f in question.followups if f.kind == kind)
        return Followup(kind, pick_line(options, already_said), evidence) if options else None

    def moving_on(evidence: str) -> Followup:
        return line("next_question", evidence)

    if len(asked) >= max_followups:
        return moving_on(f"{len(asked)} follow-up(s) already asked for this question")

    words = metrics.get("word_count") or 0
    text = metrics.get("transcript", "") or ""
    dbfs = (metrics.get("volume") or {}).get("speech_dbfs")
    asr = metrics.get("asr") or {}
    logprob, no_speech = asr.get("avg_logprob"), asr.get("no_speech_prob")
    cues = cues_for(text, question.keywords)

    candidates: list[Followup | None] = []
    # 1. could not hear
    if words == 0:
        candidates.append(line("no_answer", f"no words recognised in {metrics.get('duration_s', 0)} s of audio"))
    if dbfs is not None and dbfs < cfg.quiet_dbfs:
        candidates.append(line("speak_up", f"speech level {dbfs:.1f} dBFS is below {cfg.quiet_dbfs:.0f} dBFS"))
    if words and logprob is not None and logprob < cfg.unreliable_logprob:
        candidates.append(line("say_again", f"transcription confidence {logprob:.2f} (average log-probability) is below {cfg.unreliable_logprob}"))
    if words and no_speech is not None and no_speech > cfg.unreliable_no_speech:
        candidates.append(line("say_again", f"no-speech probability {no_speech:.2f} is above {cfg.unreliable_no_speech}"))
    # 2. did not understand
    if words and words <= REQUEST_MAX_WORDS:
        if cues.repeat_request:
            candidates.append(line("repeat_question", f"asked {_quote(cues.repeat_request, 1)}", question.text))
        if cues.clarify_request:
            candidates.append(line("clarify_question", f"asked {_quote(cues.clarify_request, 1)}", question.rephrase))
    # 3. content
    span = metrics.get("span_s") or 0.0
    if words and span > cfg.long_answer_s:
        candidates.append(line("summarize", f"the answer ran {span:.0f} s, over {cfg.long_answer_s:.0f} s"))
    if words:
        if question.asks_for_example and not cues.example:
            candidates.append(bank("ask_example", f"no concrete situation (no time, place, number or story) in {words} words"))
        if not cues.first_person:
            seen = f"only {_quote(cues.others)}" if cues.others else "no"
            candidates.append(bank("ask_action", f'{seen} and no "I" or "my": the candidate\'s own actions are missing'))
        if question.asks_for_example and not cues.outcome:
            candidates.append(bank("ask_result", "no outcome (resolved, in the end, thanked...)"))
        if question.keywords and not cues.keywords:
            candidates.append(bank("competency_probe", f"none of the words that show {question.competency.lower()} ({_quote(question.keywords, 3)}...)"))

    for c in candidates:
        if c is not None and c.kind not in asked:
            return c
    if not words:
        return moving_on("no answer again")
    shown = [f"{name} {_quote(hits, 2)}" for name, hits in
             (("example", cues.example), ("action", cues.action), ("outcome", cues.outcome), ("skill", cues.keywords)) if hits]
    return moving_on("; ".join(shown) or "a complete answer")
