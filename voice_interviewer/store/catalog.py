"""All sessions under a folder: listing, summaries, deleting one. A damaged folder never stops the others."""

from __future__ import annotations


from dataclasses import dataclass
from pathlib import Path

from voice_interviewer.errors import UserError
from voice_interviewer.report.summary import CallSummary, SessionSummary, call_summary, summarize
from voice_interviewer.store.session_store import LOG_NAME, read_events


@dataclass(frozen=True)
class SessionEntry:
    folder: Path
    summary: SessionSummary | None  # over all its turns
    problem: str | None  # one sentence when the folder could not be read
    # its interview answers alone (None: the same as `summary`) and its role-play call, if any
    interview: SessionSummary | None = None
    call: CallSummary | None = None

    def interview_summary(self) -> SessionSummary | None:
        return self.interview if self.interview is not None else self.summary


def list_sessions(root: Path) -> list[SessionEntry]:
    """Every folder under `root`, oldest first; unreadable ones carry their problem instead of a summary."""
    if not root.exists():
        return []
    if not root.is_dir():
        raise UserError(f"{root} is not a folder.")
    entries = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        try:
            events = read_events(folder, warn=False)
            entries.append(SessionEntry(folder, summarize(events), None, summarize(events, part="interview"),
                                        call_summary(events)))
        except UserError as exc:
            entries.append(SessionEntry(folder, None, str(exc)))
    return sorted(entries, key=lambda e: (e.summary.started if e.summary else "", e.folder.name))


# what a session folder may hold; anything else is left alone
SESSION_FILES = (LOG_NAME, "report.md", "report.html", "demo_call*.wav", "*.part", ".write-test")


def delete_session(folder: Path) -> list[Path]:
    """Remove a session's own files (and its audio folder); returns what was left because it is not ours."""
    if not (folder / LOG_NAME).is_file():
        raise UserError(f"{folder} is not a session folder (it has no {LOG_NAME}); nothing was deleted.")
    try:
        audio = folder / "audio"
        if audio.is_dir():
            for wav in list(audio.glob("*.wav")) + list(audio.glob("*.part")):
                wav.unlink()
            if not any(audio.iterdir()):
                audio.rmdir()
        for pattern in SESSION_FILES:
            for path in folder.glob(pattern):
                if path.is_file():
                    path.unlink()
        left = sorted(folder.rglob("*"))
        if not left:
            folder.rmdir()
        return left
    except OSError as exc:
        raise UserError(f"Could not delete {folder}: {exc.strerror}.") from exc



