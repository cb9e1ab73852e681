"""Question banks and interviewer texts from TOML, validated on load.

Every problem is one UserError that names the file, the key and what is wrong,
e.g. "prompts/x.toml: questions[2].followups[0].kind 'ask_exmple' is not one of ...".
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from voice_interviewer.errors import UserError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PROMPTS_DIR = Path(__file__).resolve().parent.parent.parent / "prompts"
FOLLOWUP_KINDS = ("ask_example", "ask_action", "ask_result", "competency_probe", "summarize")
LINE_KINDS = ("repeat_question", "clarify_question", "no_answer", "speak_up", "say_again", "summarize", "next_question",
              # hands-free sessions: silence, and the candidate's voice commands
              "offer_repeat", "take_your_time", "skip", "pause", "resume", "confirm_end", "go_on", "end")


@dataclass(frozen=True)
class BankFollowup:
    kind: str
    text: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    competency: str
    strong_answer: str
    rephrase: str
    asks_for_example: bool
    keywords: tuple[str, ...]
    followups: tuple[BankFollowup, ...]


@dataclass(frozen=True)
class Bank:
    id: str
    title: str
    intro: str
    closing: str
    questions: tuple[Question, ...]
    path: Path

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        known = ", ".join(q.id for q in self.questions)
        raise UserError(f"Unknown question id '{question_id}' in {self.path.name}; known ids: {known}.")


def read_toml(path: Path) -> dict:
    if not path.exists():
        raise UserError(f"{path}: no such prompts file.")
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML ({exc}).") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot be read ({exc}).") from exc


class _Checker:
    """Reads typed values out of a TOML table, naming file and key in every error."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> UserError:
        return UserError(f"{self.path}: {key} {problem}.")

    def text(self, table: dict, key: str, where: str, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail(f"{where}{key}", "is missing")
            return ""
        if not isinstance(value, str):
            raise self.fail(f"{where}{key}", f"must be text, not {type(value).__name__}")
        if required and not value.strip():
            raise self.fail(f"{where}{key}", "is empty")
        return value.strip()

    def table_list(self, table: dict, key: str, where: str) -> list[dict]:
        value = table.get(key)
        if value is None:
            raise self.fail(f"{where}{key}", "is missing")
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"{where}{key}", "must be a list of tables ([[...]])")
        return value


def load_bank(spec: str | Path = "customer_service") -> Bank:
    """A bank by name (a file in prompts/) or by path."""
    path = Path(spec)
    if path.suffix != ".toml" and not path.exists():
        path = PROMPTS_DIR / f"{spec}.toml"
    data = read_toml(path)
    c = _Checker(path)
    meta = data.get("bank")
    if not isinstance(meta, dict):
        raise c.fail("[bank]", "is missing")
    questions: list[Question] = []
    seen: set[str] = set()
    raw_questions = c.table_list(data, "questions", "")
    if not raw_questions:
        raise c.fail("questions", "is empty")
    for i, q in enumerate(raw_questions):
        where = f"questions[{i}]."
        qid = c.text(q, "id", where)
        if qid in seen:
            raise c.fail(f"{where}id", f"'{qid}' is used twice")
        seen.add(qid)
        followups = []
        for j, f in enumerate(c.table_list(q, "followups", where)):
            fwhere = f"{where}followups[{j}]."
            kind = c.text(f, "kind", fwhere)
            if kind not in FOLLOWUP_KINDS:
                raise c.fail(f"{fwhere}kind", f"'{kind}' is not one of {', '.join(FOLLOWUP_KINDS)}")
            followups.append(BankFollowup(kind, c.text(f, "text", fwhere)))
        if len(followups) < 2:
            raise c.fail(f"{where}followups", "needs at least two follow-ups")
        keywords = q.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
            raise c.fail(f"{where}keywords", "must be a list of non-empty texts")
        asks = q.get("asks_for_example", False)
        if not isinstance(asks, bool):
            raise c.fail(f"{where}asks_for_example", "must be true or false")
        questions.append(
            Question(
                id=qid,
                text=c.text(q, "text", where),
                competency=c.text(q, "competency", where),
                strong_answer=c.text(q, "strong_answer", where),
                rephrase=c.text(q, "rephrase", where),
                asks_for_example=asks,
                keywords=tuple(k.strip().lower() for k in keywords),
                followups=tuple(followups),
            )
        )
    return Bank(
        id=c.text(meta, "id", "bank."),
        title=c.text(meta, "title", "bank."),
        intro=c.text(meta, "intro", "bank.", required=False),
        closing=c.text(meta, "closing", "bank.", required=False),
        questions=tuple(questions),
        path=path,
    )


def load_lines(path: Path = PROMPTS_DIR / "interviewer.toml") -> dict[str, tuple[str, ...]]:
    """The interviewer's general lines, several phrasings per kind."""
    data = read_toml(path)
    c = _Checker(path)
    lines = data.get("lines")
    if not isinstance(lines, dict):
        raise c.fail("[lines]", "is missing")
    out: dict[str, tuple[str, ...]] = {}
    for kind in LINE_KINDS:
        value = lines.get(kind)
        if not isinstance(value, list) or not value:
            raise c.fail(f"lines.{kind}", "must be a non-empty list of texts")
        for k, text in enumerate(value):
            if not isinstance(text, str) or not text.strip():
                raise c.fail(f"lines.{kind}[{k}]", "is empty")
        out[kind] = tuple(t.strip() for t in value)
    unknown = set(lines) - set(LINE_KINDS)
    if unknown:
        raise c.fail(f"lines.{sorted(unknown)[0]}", f"is not a known kind ({', '.join(LINE_KINDS)})")
    return out
