"""One folder per session: `session.jsonl` (append-only, fsynced per event) and `audio/`.

Each event is one JSON line, flushed and fsynced as it is written, so Ctrl-C or a
crash keeps every finished answer. WAVs are written under a temporary name and renamed.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np

from voice_interviewer.audio.wav import write_wav
from voice_interviewer.errors import UserError

EVENT_TYPES = ("session_start", "question", "answer", "followup", "command", "session_end")
LOG_NAME = "session.jsonl"


def default_sessions_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("voice-interviewer", appauthor=False)) / "sessions"


def new_session_dir(out: str | Path | None) -> Path:
    if out is not None:
        return Path(out).expanduser()
    return default_sessions_dir() / datetime.now().strftime("%Y%m%d-%H%M%S")


def ensure_writable(folder: Path) -> None:
    """Refuse up front when answers could not be saved (read-only or full disk)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        with open(probe, "wb") as fh:
            fh.write(b"\0" * 65536)  # a real write, so a full disk shows now, not mid-interview
            fh.flush()
            os.fsync(fh.fileno())
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UserError(f"Cannot save the session in {folder}: {reason}. Choose another folder with --out.") from exc


class SessionStore:
    """Writes one session folder. `resume=True` appends to an existing session instead."""

    def __init__(self, folder: Path, keep_audio: bool = True, resume: bool = False) -> None:
        self.folder = folder
        self.keep_audio = keep_audio
        ensure_writable(folder)
        has_log = (folder / LOG_NAME).exists() and (folder / LOG_NAME).stat().st_size > 0
        if has_log and not resume:
            raise UserError(f"{folder} already holds a session; choose a new folder with --out (or `resume` it).")
        if resume:
            _end_with_newline(folder / LOG_NAME)
        if keep_audio:
            (folder / "audio").mkdir(exist_ok=True)
        self._log = open(folder / LOG_NAME, "a", encoding="utf-8")
        self._t0 = time.monotonic()

    def event(self, type_: str, **data) -> dict:
        if type_ not in EVENT_TYPES:
            raise ValueError(f"unknown event type {type_}")
        record = {"type": type_, "t": round(time.monotonic() - self._t0, 3), **data}
        try:
            self._log.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._log.flush()
            os.fsync(self._log.fileno())
        except OSError as exc:
            raise UserError(f"Could not write to {self.folder / LOG_NAME}: {exc.strerror}.") from exc
        return record

    def save_audio(self, name: str, samples: np.ndarray) -> str | None:
        """Write audio/<name>.wav atomically; the path relative to the folder (None with --no-audio)."""
        if not self.keep_audio:
            return None
        rel = f"audio/{name}.wav"
        try:
            write_wav(self.folder / rel, samples)
        except OSError as exc:
            raise UserError(f"Could not save {self.folder / rel}: {exc.strerror}.") from exc
        return rel

    def close(self) -> None:
        if not self._log.closed:
            self._log.close()


def _end_with_newline(log: Path) -> None:
    """After a cut-off write the log may end mid-line: start appending on a fresh line."""
    with open(log, "rb+") as fh:
        fh.seek(0, os.SEEK_END)
        if fh.tell() > 0:
            fh.seek(-1, os.SEEK_END)
            if fh.read(1) != b"\n":
                fh.write(b"\n")
                fh.flush()
                os.fsync(fh.fileno())


def read_events(folder: str | Path, warn: bool = True) -> list[dict]:
    """Events of a session folder. A damaged last line (cut mid-write) is skipped with a warning."""
    path = Path(folder)
    log = path / LOG_NAME
    if not path.is_dir():
        raise UserError(f"{path} is not a session folder (no such folder).")
    if not log.exists():
        raise UserError(f"{path} is not a session folder (it has no {LOG_NAME}).")
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise UserError(f"{log} cannot be read ({exc.strerror}).") from exc
    events = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict) or "type" not in record:
                raise ValueError("not an event")
        except ValueError as exc:
            # a power cut mid-write leaves a partial line: at the end, or just before a resume
            following = lines[n] if n < len(lines) else ""
            if n == len(lines) or '"command": "resume"' in following:
                if warn:
                    print(f"warning: {log}: line {n} is damaged (cut off mid-write) and was skipped.", file=sys.stderr)
                continue
            raise UserError(f"{log}: line {n} is not a session event.") from exc
        events.append(record)
    if not events or events[0].get("type") != "session_start":
        raise UserError(f"{log} does not start with a session_start event.")
    return events
