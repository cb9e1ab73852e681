"""Sessions that are never lost: kill -9 and resume, listing, deleting, progress; pure summary and advice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import run_cli
from voice_interviewer.analysis.metrics import answer_metrics, count_approximate
from voice_interviewer.config import AnalysisConfig
from voice_interviewer.interview.session import unfinished_questions
from voice_interviewer.report.advice import advice_for
from voice_interviewer.report.render import transcript_pieces
from voice_interviewer.report.summary import summarize, with_followups
from voice_interviewer.speech.asr import Segment, Transcript, Word


def events_of(folder: Path) -> list[dict]:
    out = []
    for line in (folder / "session.jsonl").read_text().splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


def start_demo(folder: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "voice_interviewer", "demo", "--out", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill_after_answers(proc: subprocess.Popen, folder: Path, answers: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    log = folder / "session.jsonl"
    while time.monotonic() < deadline and proc.poll() is None:
        if log.exists() and log.read_text().count('"type": "answer"') >= answers:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return
        time.sleep(0.02)
    pytest.fail(f"the demo ended (rc={proc.poll()}) before {answers} answers were logged")


@pytest.fixture(scope="module")
def killed_session(tmp_path_factory):
    folder = tmp_path_factory.mktemp("killed") / "session"
    kill_after_answers(start_demo(folder), folder, answers=2)
    return folder


def test_kill_9_keeps_every_finished_answer(killed_session):
    events = events_of(killed_session)
    answers = [e for e in events if e["type"] == "answer"]
    assert len(answers) >= 2
    assert not any(e["type"] == "session_end" for e in events)
    for a in answers:  # each answer's recording is whole: written under a temporary name, then renamed
        with wave.open(str(killed_session / a["audio"])) as w:
            assert w.getnframes() / w.getframerate() == pytest.approx(a["analysis"]["duration_s"], abs=0.02)


def test_report_works_on_a_killed_session(killed_session, tmp_path):
    proc = run_cli("report", str(killed_session))
    assert proc.returncode == 0, proc.stderr
    html = (killed_session / "report.html").read_text()
    assert "cut off" in html
    assert html.count('<section class="answer"') == len([e for e in events_of(killed_session) if e["type"] == "answer"])


def test_resume_continues_from_the_next_question_and_overwrites_nothing(killed_session):
    before = events_of(killed_session)
    audio_before = {p.name: p.stat().st_size for p in (killed_session / "audio").glob("*.wav")}
    remaining, first = unfinished_questions(before)
    assert remaining and first >= 2
    proc = run_cli("resume", str(killed_session))
    assert proc.returncode == 0, proc.stderr
    after = events_of(killed_session)
    assert after[: len(before)] == before  # the log is only appended to
    resume = after[len(before)]
    assert resume["type"] == "command" and resume["command"] == "resume" and resume["questions"] == remaining
    asked = [e["question_id"] for e in after[len(before):] if e["type"] == "question"]
    assert asked == remaining
    assert after[-1]["type"] == "session_end" and after[-1]["reason"] == "completed"
    for name, size in audio_before.items():
        assert (killed_session / "audio" / name).stat().st_size == size
    assert summarize(after).status == "complete"
    assert summarize(after).questions_done == summarize(after).questions_planned
    # nothing left to do: a second resume says so and changes nothing
    again = run_cli("resume", str(killed_session))
    assert again.returncode == 0 and "nothing to resume" in again.stdout
    assert events_of(killed_session) == after


def test_resume_after_a_cut_off_last_line(tmp_path, killed_session):
    folder = tmp_path / "copy"
    folder.mkdir()
    lines = [json.dumps(e) for e in events_of(killed_session)[:6]]
    (folder / "session.jsonl").write_text("\n".join(lines) + "\n" + lines[-1][:30])
    proc = run_cli("resume", str(folder))
    assert proc.returncode == 0, proc.stderr
    # the damaged line stays skipped (with a warning), and the resumed session reads back whole
    report = run_cli("report", str(folder))
    assert report.returncode == 0 and "damaged" in report.stderr
    assert summarize([json.loads(line) for line in (folder / "session.jsonl").read_text().splitlines()
                      if line.startswith("{") and line.endswith("}")]).status == "complete"


def test_sessions_lists_good_ones_and_names_the_damaged_ones(tmp_path, killed_session):
    root = tmp_path / "root"
    root.mkdir()
    assert run_cli("demo", "--out", str(root / "good"), "--questions", "1").returncode == 0
    (root / "foreign").mkdir()
    (root / "foreign" / "notes.txt").write_text("not a session")
    (root / "garbled").mkdir()
    (root / "garbled" / "session.jsonl").write_text("{not json\n{also not\n")
    proc = run_cli("sessions", "--dir", str(root))
    assert proc.returncode == 0, proc.stderr
    lines = {line.split()[0]: line for line in proc.stdout.splitlines()[2:]}
    assert "complete, 1/1 questions" in lines["good"]
    assert "unreadable" in lines["foreign"] and "no session.jsonl" in lines["foreign"]
    assert "unreadable" in lines["garbled"] and "line 1" in lines["garbled"]


def test_delete_removes_a_session_and_refuses_anything_else(tmp_path):
    folder = tmp_path / "s"
    assert run_cli("demo", "--out", str(folder), "--questions", "1").returncode == 0
    refused = run_cli("delete", str(folder))  # no terminal, no --yes: nothing happens
    assert refused.returncode == 2 and "--yes" in refused.stderr and folder.exists()
    (folder / "my_notes.txt").write_text("keep me")
    proc = run_cli("delete", str(folder), "--yes")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["my_notes.txt"]
    (folder / "my_notes.txt").unlink()
    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_bytes(b"\xff\xd8")
    proc = run_cli("delete", str(other), "--yes")
    assert proc.returncode == 2 and "not a session folder" in proc.stderr and (other / "cat.jpg").exists()


def test_progress_shows_trends_in_the_terminal_and_as_charts(tmp_path):
    root = tmp_path / "root"
    for name, n in (("a", "1"), ("b", "2")):
        assert run_cli("demo", "--out", str(root / name), "--questions", n).returncode == 0
    (root / "broken").mkdir()
    proc = run_cli("progress", "--dir", str(root))
    assert proc.returncode == 0, proc.stderr
    for name in ("Pace", "Fillers per minute", "Hedges per answer", "Long pauses per answer", "Average answer length",
                 "Follow-ups needed"):
        assert name in proc.stdout
    assert "left out broken" in proc.stdout
    html = (root / "progress.html").read_text()
    assert html.count('<svg class="chart trend"') == 6
    assert html.count('<circle class="point"') >= 10  # two sessions on most of the six charts


# --- pure parts -------------------------------------------------------------------------------

def analysis(words: list[tuple[str, float, float, bool]], pauses=(), wpm=140.0, dbfs=-20.0, span=30.0, fpm=0.0) -> dict:
    return {
        "words": [{"text": t, "start": s, "end": e, "filler": f} for t, s, e, f in words],
        "word_count": len(words), "wpm": wpm, "articulation_wpm": wpm, "span_s": span, "duration_s": span + 1,
        "pauses": {"count": len(pauses), "items": [{"start": a, "end": b} for a, b in pauses],
                   "longest_s": max((b - a for a, b in pauses), default=0.0)},
        "fillers": {"count": sum(f for *_, f in words), "per_minute": fpm, "items": []},
        "volume": {"speech_dbfs": dbfs},
    }


def test_transcript_marks_pauses_where_they_fall():
    a = analysis([("I", 0, 0.2, False), ("um", 0.3, 0.6, True), ("called", 2.0, 2.4, False)], pauses=[(0.6, 2.0)])
    assert transcript_pieces(a, 1.0) == [
        {"kind": "word", "text": "I"}, {"kind": "filler", "text": "um"},
        {"kind": "pause", "text": "1.4 s"}, {"kind": "word", "text": "called"},
    ]


def test_advice_ranks_and_backs_each_point_with_a_number_and_a_quote():
    cfg = AnalysisConfig()
    words = [(w, i * 0.3, i * 0.3 + 0.25, w == "um") for i, w in enumerate("so um I um fixed the um bill for her".split())]
    answers = [
        {"turn": 0, "analysis": analysis(words, wpm=195, fpm=9.0, span=12.0), "followup": {"kind": "ask_example", "evidence": "no concrete situation"}},
        {"turn": 0, "analysis": analysis(words, wpm=190, fpm=8.0, span=14.0, pauses=[(1.0, 4.6)]), "followup": {"kind": "ask_example", "evidence": "x"}},
        {"turn": 1, "analysis": analysis(words, wpm=150, span=6.0), "followup": {"kind": "next_question", "evidence": ""}},
    ]
    items = advice_for(answers, cfg)
    assert len(items) == 3
    titles = [i.title for i in items]
    assert titles[0] == "Tell one specific story"
    assert "Replace fillers with a short silence" in titles and "Slow down a little" in titles
    fillers = next(i for i in items if i.title.startswith("Replace fillers"))
    assert "9.0 per minute" in fillers.number and "um" in fillers.quote
    everything = advice_for(answers, cfg, limit=10)
    pause = next(i for i in everything if i.title.startswith("Bridge long silences"))
    assert pause.number == "1 silence of 3 s or more; the longest 3.6 s" and "[3.6 s silence]" in pause.quote
    short = next(i for i in everything if i.title.startswith("Give fuller answers"))
    assert "2 of 2 first answers" in short.number  # the follow-up answer is not counted
    assert advice_for([], cfg) == []


def test_a_short_turn_on_a_call_is_not_told_to_give_a_fuller_answer():
    """The first turn of a call ("Thank you for calling, my name is Sam. I'm so sorry...") is short,
    as it should be: the advice to tell a whole story is for interview answers."""
    cfg = AnalysisConfig()
    words = [(w, i * 0.3, i * 0.3 + 0.25, False) for i, w in enumerate("I fixed the bill for her".split())]
    interview = {"turn": 0, "analysis": analysis(words, span=8.0), "followup": {"kind": "next_question", "evidence": ""}}
    call = {"turn": 0, "talked_over": False, "analysis": analysis(words, span=7.4),
            "followup": {"kind": "customer_reply", "evidence": "empathy"}}
    assert "Give fuller answers" not in " ".join(i.title for i in advice_for([call], cfg, limit=10))
    short = next(i for i in advice_for([interview, call], cfg, limit=10) if i.title.startswith("Give fuller answers"))
    assert short.number.startswith("1 of 1 first answers"), short.number


def test_one_answer_thick_with_fillers_is_advised_over_a_single_follow_up():
    """One answer with a filler every two seconds makes the list; one just over the mark does not
    push out what the interviewer had to ask for (the demo's second answer: 35 fillers a minute)."""
    cfg = AnalysisConfig()
    words = [(w, i * 0.3, i * 0.3 + 0.25, w == "um") for i, w in enumerate("um I would um just fix it um".split())]
    plain = [(w, i * 0.3, i * 0.3 + 0.25, False) for i, w in enumerate("I refunded the bill the same day".split())]

    def session(filler_rate: float) -> list[dict]:
        return [
            {"turn": 0, "analysis": analysis(words, fpm=filler_rate, span=25.0), "followup": None},
            {"turn": 0, "analysis": analysis(plain, span=25.0), "followup": {"kind": "ask_action", "evidence": "only we"}},
            {"turn": 0, "analysis": analysis(plain, span=25.0), "followup": {"kind": "ask_result", "evidence": "no outcome"}},
            {"turn": 0, "analysis": analysis(plain, span=25.0), "followup": {"kind": "ask_example", "evidence": "general"}},
            *[{"turn": 0, "analysis": analysis(plain, span=25.0), "followup": None}] * 3,
        ]

    titles = [i.title for i in advice_for(session(35.0), cfg)]
    assert titles[0] == "Replace fillers with a short silence", titles
    assert "Replace fillers with a short silence" not in [i.title for i in advice_for(session(cfg.filler_rate_high + 1), cfg)]


def test_a_question_about_the_question_is_no_answer_in_the_numbers_or_the_advice():
    cfg = AnalysisConfig()
    asked = analysis([(w, i * 0.3, i * 0.3 + 0.25, False) for i, w in enumerate("what do you mean by inundated".split())],
                     wpm=196.0, span=2.1)
    story = analysis([(w, i * 0.4, i * 0.4 + 0.3, False) for i, w in enumerate("last month I sorted forty emails".split())],
                     wpm=150.0, span=25.0)
    short = analysis([("we", 0, 0.2, False), ("help", 0.3, 0.5, False)], wpm=150.0, span=4.0)
    events = [
        {"type": "session_start", "questions": ["overload", "upset"], "started_at": "2026-01-01T10:00:00"},
        {"type": "answer", "question_id": "overload", "turn": 0, "analysis": asked},
        {"type": "followup", "question_id": "overload", "turn": 0, "kind": "clarify_question", "evidence": "asked"},
        {"type": "answer", "question_id": "overload", "turn": 1, "analysis": story},
        {"type": "followup", "question_id": "overload", "turn": 1, "kind": "next_question", "evidence": ""},
        {"type": "answer", "question_id": "upset", "turn": 0, "analysis": short},
        {"type": "followup", "question_id": "upset", "turn": 0, "kind": "next_question", "evidence": ""},
    ]
    s = summarize(events)
    assert s.answers == 2 and s.median_wpm == 150.0 and s.mean_answer_s == pytest.approx(14.5)
    items = advice_for(with_followups(events), cfg, limit=10)
    assert not any(i.title.startswith("Slow down") for i in items)  # the 196 wpm was the question
    fuller = next(i for i in items if i.title.startswith("Give fuller answers"))
    # the answer after the clarification is that question's first answer; the question itself is none
    assert "1 of 2 first answers" in fuller.number and "4.0 s" in fuller.number
    assert "inundated" not in " ".join(i.quote for i in items)


def hedged_answers(texts: list[str]) -> list[dict]:
    return [{"turn": 0, "followup": None,
             "analysis": analysis([(w, i * 0.3, i * 0.3 + 0.25, False) for i, w in enumerate(t.split())])}
            for t in texts]


def test_hedging_in_most_answers_is_something_to_work_on():
    cfg = AnalysisConfig()
    answers = hedged_answers(["I think I fixed the bill, and I think she was happy",
                              "Maybe I called her back the next day",
                              "I sorted the queue by urgency every morning",
                              "I guess I stayed calm and listened"])
    items = advice_for(answers, cfg, limit=10)
    hedging = next(i for i in items if i.title.startswith("Say it with confidence"))
    assert hedging.number == '4 hedges in 3 of 4 answers ("I think" ×2, "maybe" ×1, "I guess" ×1)'
    assert hedging.quote.startswith("I think I fixed")  # from the answer with the most hedges, at its first
    # the same four hedges in one answer of four: said now and then, not a habit
    once = hedged_answers(["I think maybe I fixed it, I guess, I think", "I called her back",
                           "I sorted the queue", "I stayed calm"])
    assert not any(i.title.startswith("Say it with confidence") for i in advice_for(once, cfg, limit=10))


def test_the_report_shows_the_sessions_speech_habits(tmp_path):
    from voice_interviewer.report.render import write_reports

    texts = ["I think the customer was upset and I think I fixed it", "Maybe I called the customer back",
             "I sent the customer a refund", "", "what do you mean by customer"]
    events = [{"type": "session_start", "questions": ["a", "b", "c"], "started_at": "2026-01-01T10:00:00",
               "bank": "customer_service", "mode": "demo"}]
    for n, (qid, answer) in enumerate(zip("abccc", hedged_answers(texts))):
        kind = "clarify_question" if n == 4 else "next_question"
        events += [{"type": "answer", "question_id": qid, "turn": 0, "prompt": "?", **answer},
                   {"type": "followup", "question_id": qid, "turn": 0, "kind": kind, "text": "Okay."}]
    events.append({"type": "session_end", "reason": "completed"})
    (tmp_path / "session.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    md, html = write_reports(tmp_path)
    # a silent turn and the question about the question ("what do you mean by customer") are no
    # answers: "customer" 3 times in 3 of 3
    line = ('Speech habits over the answers: hedges 3 in 2 of 3 ("I think" ×2, "maybe" ×1) · stutters 0 · '
            "most used words: customer ×3 in 3 of 3.")
    assert line in md.read_text()
    assert line.replace('"I think"', "“I think”").replace('"maybe"', "“maybe”") in html.read_text()
    # no pause at all: the pauses read 0, with no "longest" of nothing ("0 (– s)", "0 (0 s)")
    for text in (md.read_text(), html.read_text()):
        assert "(– s)" not in text and "(0 s)" not in text and "(0.0 s)" not in text


def test_quiet_answers_come_first():
    answers = [{"turn": 0, "analysis": analysis([("hi", 0, 0.3, False)], dbfs=-45.0), "followup": {"kind": "speak_up"}}]
    assert advice_for(answers)[0].title.startswith("Speak up")


def test_hedges_are_counted_per_session_and_trend_across_sessions():
    from voice_interviewer.report.progress import trends
    from voice_interviewer.store.catalog import SessionEntry

    def session(day: str, hedges: list[int | None]) -> list[dict]:
        events = [{"type": "session_start", "questions": ["a"], "started_at": f"2026-01-0{day}T10:00:00"}]
        for n in hedges:
            a = analysis([("I", 0, 0.2, False), ("called", 0.3, 0.6, False)])
            if n is not None:
                a["habits"] = {"hedges": {"count": n, "items": []}}
            events += [{"type": "answer", "question_id": "a", "turn": 0, "analysis": a}]
        return events + [{"type": "session_end", "reason": "completed"}]

    first, second = summarize(session("1", [3, 2])), summarize(session("2", [1, 0]))
    assert (first.hedges, second.hedges) == (5, 1)
    assert summarize(session("3", [None, None])).hedges is None  # logged before hedges were counted: unknown, not 0
    hedging = next(t for t in trends([SessionEntry(Path("1"), first, None), SessionEntry(Path("2"), second, None)])
                   if t.name == "Hedges per answer")
    assert hedging.values == [2.5, 0.5] and hedging.verdict() == "better"


def practice_log(day: str, answer_s: list[float], call: dict | None = None) -> list[dict]:
    """A session's events: interview answers of these lengths (140 wpm, one follow-up each), then,
    with `call`, a role-play call of `call["turns"]` short turns at 190 wpm."""
    words = [("I", 0, 0.2, False), ("called", 0.3, 0.6, False)]
    events = [{"type": "session_start", "mode": "call" if call and not answer_s else "interview", "bank": "customer_service",
               "questions": [f"q{i}" for i in range(len(answer_s))], "started_at": f"2026-01-0{day}T10:00:00"}]
    for i, span in enumerate(answer_s):
        events += [{"type": "answer", "question_id": f"q{i}", "turn": 0, "analysis": analysis(words, wpm=140.0, span=span)},
                   {"type": "followup", "question_id": f"q{i}", "turn": 0, "kind": "ask_example", "text": "For instance?"}]
    end = {"type": "session_end", "reason": "completed"}
    if call:
        for t in range(call["turns"]):
            events += [{"type": "answer", "question_id": "wrong_bill", "turn": t, "talked_over": t < call["over"],
                        "analysis": analysis(words, wpm=190.0, span=8.0, pauses=[(1.0, 5.0)])},
                       {"type": "followup", "question_id": "wrong_bill", "turn": t, "kind": "customer_reply", "text": "Well?"}]
        events += [{"type": "command", "command": "on_hold", "question_id": "wrong_bill", "turn": 0, "heard": "Let me check."}] * call["holds"]
        end["call"] = {"scenario": "wrong_bill", "outcome": call["outcome"], "turns": call["turns"],
                       "checklist": [{"item": f"item {k}", "passed": k < call["passed"], "quote": ""} for k in range(7)]}
    return events + [end]


def test_progress_keeps_calls_apart_from_interview_answers(tmp_path):
    """Before, a trainee who practised answers and then calls was told their pace and answer
    length got worse: a call's turns are short and fast by nature. The interview trends are over
    interview answers only, and the calls have trends of their own: checklist, talking over, dead air."""
    from voice_interviewer.report.progress import progress_text, write_progress_html
    from voice_interviewer.report.summary import call_summary
    from voice_interviewer.store.catalog import list_sessions

    logs = {
        "1": practice_log("1", [40.0, 50.0]),
        "2": practice_log("2", [], {"turns": 4, "over": 2, "holds": 1, "passed": 4, "outcome": "hung_up"}),
        "3": practice_log("3", [60.0], {"turns": 3, "over": 0, "holds": 0, "passed": 7, "outcome": "resolved"}),
    }
    mixed = logs["3"]
    assert summarize(mixed, part="interview").answers == 1 and summarize(mixed, part="interview").mean_answer_s == 60.0
    assert summarize(mixed, part="call").answers == 3 and summarize(mixed).answers == 4
    first_call = call_summary(logs["2"])
    assert (first_call.outcome, first_call.turns, first_call.checklist_passed, first_call.checklist_items,
            first_call.talk_overs, first_call.dead_air) == ("hung_up", 4, 4, 7, 2, 1)
    assert call_summary(logs["1"]) is None
    # a hand-edited log with a checklist that is no list of items: no checklist, no traceback
    edited = logs["2"][:-1] + [{**logs["2"][-1], "call": {**logs["2"][-1]["call"], "checklist": ["oops", 3]}}]
    assert call_summary(edited).checklist_passed is None

    root = tmp_path / "root"
    for day, events in logs.items():
        (root / day).mkdir(parents=True)
        (root / day / "session.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    table = progress_text(list_sessions(root))
    interview, calls = table.split("\ncall ")
    # two sessions with interview answers; the pace and length are those of the answers alone
    assert interview.count("01-0") == 2, interview
    assert "Pace                           140 → 140 wpm" in interview and "no change" in interview.split("Pace")[1].split("\n")[0]
    assert "Average answer length          45 → 60 s" in interview
    assert "Follow-ups needed per answer   1 → 1 per answer" in interview
    assert calls.count("wrong_bill") == 2
    assert "Call checklist items met       4 → 7 items                  better" in calls
    assert "Turns talking over the caller  0.5 → 0 per turn             better" in calls
    assert "Dead air                       1 → 0 per call               better" in calls
    html = write_progress_html(list_sessions(root), root / "progress.html").read_text()
    assert html.count('<svg class="chart trend"') == 6 + 3 and "<h2>Role-play calls</h2>" in html
    assert "<td>hung up</td><td>4</td>\n      <td>4/7</td><td>2</td><td>1</td>" in html

    # calls alone: no interview table, no "no sessions" message
    alone = tmp_path / "calls"
    (alone / "2").mkdir(parents=True)
    (alone / "2" / "session.jsonl").write_text("".join(json.dumps(e) + "\n" for e in logs["2"]))
    text = progress_text(list_sessions(alone))
    assert text.startswith("call ") and "hung up" in text and "wpm" not in text


def test_a_chart_of_zeros_has_a_readable_scale():
    """No hedges or no long pauses in any session: the axis reads 0 to 1, not 0 to 1e-09."""
    import re

    from voice_interviewer.report.charts import bar_chart, line_chart

    for svg in (line_chart("Hedges per answer", ["a", "b"], [0.0, 0.0], "per answer"),
                bar_chart("Fillers per minute", ["A1"], [0.0], "per min")):
        assert re.findall(r'<text class="tick"[^>]*>([^<]+)<', svg) == ["0", "0.5", "1"]
    assert re.findall(r'<text class="tick"[^>]*>([^<]+)<', line_chart("Pace", ["a"], [148.0], "wpm"))[-1] == "200"


def test_the_last_sessions_label_is_not_cut_off_at_the_charts_right_edge():
    import re

    from voice_interviewer.report.charts import line_chart

    svg = line_chart("Pace", ["01-01 10:00", "01-02 10:00", "01-03 10:00"], [140.0, 150.0, 160.0], "wpm")
    labels = re.findall(r'text-anchor="(\w+)" fill="[^"]+">(01-0\d 10:00)<', svg)
    assert labels == [("middle", "01-01 10:00"), ("middle", "01-02 10:00"), ("end", "01-03 10:00")]


def test_unfinished_questions_and_status():
    start = {"type": "session_start", "questions": ["a", "b", "c"], "started_at": "2026-01-01T10:00:00"}
    done_a = [{"type": "question", "question_id": "a"}, {"type": "followup", "question_id": "a", "kind": "next_question"}]
    half_b = [{"type": "question", "question_id": "b"}, {"type": "followup", "question_id": "b", "kind": "ask_result"}]
    assert unfinished_questions([start, *done_a, *half_b]) == (["b", "c"], 2)
    assert summarize([start, *done_a, *half_b]).status == "cut off"
    ended = [start, *done_a, {"type": "session_end", "reason": "interrupted"}]
    assert summarize(ended).status == "interrupted"
    resumed = [*ended, {"type": "command", "command": "resume"}]
    assert summarize(resumed).status == "cut off"


def test_sessions_go_to_the_user_data_folder_by_default(tmp_path):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path / "home")}
    proc = run_cli("demo", "--questions", "1", env=env)
    assert proc.returncode == 0, proc.stderr
    root = tmp_path / "data" / "voice-interviewer" / "sessions"
    folders = list(root.iterdir())
    assert len(folders) == 1 and (folders[0] / "session.jsonl").exists()
    listing = run_cli("sessions", env=env)
    assert listing.returncode == 0 and folders[0].name in listing.stdout and str(root) in listing.stdout


def test_response_delay_of_an_older_log_comes_from_its_timing_parts():
    from voice_interviewer.report.render import response_delay

    assert response_delay({"prompt_end": 10.0, "speech_start": 11.26}) == 1.3
    assert response_delay({"prompt_end": 10.0, "response_delay_s": 0.84, "speech_start": 10.84}) == 0.8
    assert response_delay({"prompt_end": 10.0, "speech_start": None}) is None
    assert response_delay({}) is None


def test_pace_from_words_the_model_was_unsure_of_is_marked_and_taught_nothing(tmp_path):
    """An answer Whisper was unsure of (mean log-probability under `unsure_logprob`) shows its word
    count and pace as approximate, stays out of the median pace and the pace advice, and says why."""
    from voice_interviewer.report.render import write_reports

    cfg = AnalysisConfig()
    words = [(w, i * 0.3, i * 0.3 + 0.25, False) for i, w in enumerate("I sorted the queue by urgency every morning".split())]

    def answer(wpm: float, logprob: float) -> dict:
        a = {**analysis(words, wpm=wpm, span=25.0), "asr": {"model": "tiny.en", "avg_logprob": logprob, "no_speech_prob": 0.1},
             "bands": {"pace": "high" if wpm > cfg.pace_high_wpm else "ok"}}
        for w in a["words"]:  # the analysis leaves words it barely heard out of an unsure answer's count
            w["counted"] = logprob >= cfg.unsure_logprob or w["text"] not in ("by", "every")
        return a

    events = [{"type": "session_start", "questions": ["a", "b", "c"], "started_at": "2026-01-01T10:00:00",
               "bank": "customer_service", "mode": "demo"}]
    for qid, a in zip("abc", [answer(150.0, -0.3), answer(230.0, -0.72), answer(140.0, -0.35)]):
        events += [{"type": "answer", "question_id": qid, "turn": 0, "prompt": "?", "analysis": a},
                   {"type": "followup", "question_id": qid, "turn": 0, "kind": "next_question", "text": "Okay."}]
    events.append({"type": "session_end", "reason": "completed"})
    s = summarize(events)
    assert (s.median_wpm, s.pace_unsure, s.median_wpm_approximate) == (145.0, 1, False)  # 230 left out
    assert not any(i.title.startswith("Slow down") for i in advice_for(with_followups(events), cfg, limit=10))

    (tmp_path / "session.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    md, html = (p.read_text() for p in write_reports(tmp_path))
    assert md.count("≈ 230.0 wpm") == 2 and "≈ 150.0 wpm" not in md and "≈ 8 |" in md  # pace and articulation
    assert "(fast)" not in md  # an approximate pace is neither fast nor slow
    assert "| 145.0 wpm |" in md and "Median pace leaves out 1 answer whose word count is approximate (≈)." in md
    note = "The speech model was unsure of the words here (confidence -0.72; clear speech scores above -0.5)"
    assert md.count(note) == 1 and html.count(note) == 1 and '<td class="approximate">≈ 230.0 wpm</td>' in html
    # the words left out of its count are named, and grey in the transcript
    assert '-0.5), so the 2 words it barely heard ("by", "every") are not counted: the word count' in md
    assert "so the 2 words it barely heard (in grey) are not counted" in html
    assert html.count('<span class="uncounted"') == 2 and '<span class="uncounted" title="not in the word count: the speech model barely heard it">every</span>' in html
    for w in events[3]["analysis"]["words"]:
        w["counted"] = w["text"] != "every"
    (tmp_path / "session.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    md, _ = (p.read_text() for p in write_reports(tmp_path))
    assert '-0.5), so the word it barely heard ("every") is not counted: the word count' in md
    # in the pace chart its bar is grey and reads ≈230, not red as off target
    assert html.count('class="bar approximate"') == 1 and ">≈230</text>" in html

    # every answer unsure: the median is theirs, and approximate
    only = [e for e in events if e.get("question_id") != "a" and e.get("question_id") != "c"]
    s = summarize(only)
    assert (s.median_wpm, s.median_wpm_approximate) == (230.0, True)
    from voice_interviewer.report.progress import progress_text
    from voice_interviewer.store.catalog import SessionEntry

    table = progress_text([SessionEntry(tmp_path, summarize(events), None), SessionEntry(tmp_path, s, None)])
    assert " 145.0 " in table and "≈230.0" in table and "≈145.0" not in table
    # ...and an unsure answer would have been the one to slow down: with a sure fast one, that one is quoted
    fast = [{"turn": 0, "analysis": answer(230.0, -0.72), "followup": None},
            {"turn": 0, "analysis": answer(190.0, -0.2), "followup": None}]
    slow_down = next(i for i in advice_for(fast, cfg, limit=10) if i.title.startswith("Slow down"))
    assert slow_down.number.startswith("1 of 1 answers") and "190 wpm" in slow_down.number


def test_an_answer_whisper_wrote_over_and_over_is_marked_and_its_loop_is_no_habit(tmp_path):
    """A run of words Whisper wrote three times in a row, and that hearing it again did not undo,
    marks the word count and pace approximate though Whisper was sure of it, and says why."""
    from voice_interviewer.report.render import write_reports

    cfg = AnalysisConfig()
    said = "So I picked up the call and".split() + "and I pick Dr. Michael,".split() * 4 + ["Beep."]
    words = [(w, i * 0.3, i * 0.3 + 0.25, False) for i, w in enumerate(said)]
    tokens = [Word(w, a, b, 0.9) for w, a, b, _ in words]
    m = answer_metrics(Transcript(tokens, [Segment(0.0, 9.0, " ".join(said), -0.3, 0.1)], 9.0, "tiny.en", " ".join(said)),
                       np.zeros(9 * 16000, np.float32), [(0.0, 9.0)], cfg)
    assert m["asr"]["looped"] and not m["asr"]["unsure"] and count_approximate(m, cfg.unsure_logprob)
    # the loop's words are no phrase the candidate said again and again, nor one of their most used words
    assert m["habits"]["repeated_phrases"] == [] and "Michael" not in str(m["habits"]["top_words"])
    assert not answer_metrics(Transcript(tokens[:12], [], 4.0, "tiny.en", ""), np.zeros(4 * 16000, np.float32),
                              [(0.0, 4.0)], cfg)["asr"]["looped"]  # written twice: a person may say it so

    sure = {**analysis(words[:6], wpm=150.0, span=20.0), "asr": {"model": "tiny.en", "avg_logprob": -0.3}}
    events = [{"type": "session_start", "questions": ["a", "b"], "started_at": "2026-01-01T10:00:00",
               "bank": "customer_service", "mode": "demo"}]
    for qid, a in zip("ab", [sure, m]):
        events += [{"type": "answer", "question_id": qid, "turn": 0, "prompt": "?", "analysis": a},
                   {"type": "followup", "question_id": qid, "turn": 0, "kind": "next_question", "text": "Okay."}]
    events.append({"type": "session_end", "reason": "completed"})
    assert (summarize(events).median_wpm, summarize(events).pace_unsure) == (150.0, 1)
    (tmp_path / "session.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
    md, html = (p.read_text() for p in write_reports(tmp_path))
    note = "The speech model wrote the same words over and over here"
    assert md.count(note) == 1 and html.count(note) == 1 and f"≈ {m['word_count']} |" in md
    assert "michael" not in md.lower().split("speech habits")[1].split("\n")[0]  # nor the session's habits
    assert "The speech model was unsure of the words here" not in md  # it was not: its confidence was -0.3
