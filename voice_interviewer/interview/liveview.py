"""The live terminal view of a hands-free session: the question, a level meter, the state, the transcript.

rich draws it in place on a terminal (a well-kept library for exactly this); when the
output is not a terminal (a pipe, a log, the tests) it prints plain lines instead,
one per change of state, so scripts can follow along.
"""

from __future__ import annotations

import sys
import time

from voice_interviewer.interview.handsfree import View

METER_FLOOR_DB = -60.0


def level_bar(dbfs: float, width: int = 24) -> str:
    """A text level meter: empty at -60 dBFS and below, full at 0 dBFS."""
    filled = round(width * max(0.0, min(1.0, (dbfs - METER_FLOOR_DB) / -METER_FLOOR_DB)))
    return "█" * filled + "·" * (width - filled)


class PlainView(View):
    def __enter__(self) -> PlainView:
        return self

    def __exit__(self, *exc) -> None:
        pass


class RichView(View):
    """Redraws a small panel about ten times a second."""

    def __init__(self, console=None) -> None:  # noqa: ANN001 (a rich Console; tests pass one that records)
        from rich.console import Console
        from rich.live import Live

        self.console = console or Console()
        self._question, self._state, self._db = "", "starting", -120.0
        self._transcript: list[str] = []
        self._live = Live(self._render(), console=self.console, refresh_per_second=10, transient=False)
        self._last = 0.0

    def render(self):
        """The panel as it is now (a rich renderable)."""
        return self._render()

    def _render(self):
        from rich.panel import Panel
        from rich.table import Table

        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        grid.add_row("Question", self._question or "-")
        grid.add_row("State", self._state)
        grid.add_row("Level", f"{level_bar(self._db)} {self._db:6.1f} dBFS")
        grid.add_row("You", " ".join(self._transcript)[-400:] or "-")
        return Panel(grid, title="voice-interviewer", subtitle="say \"pause\" or \"end the interview\"; Ctrl-C stops")

    def _refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last > 0.1:
            self._last = now
            self._live.update(self._render())

    def __enter__(self) -> RichView:
        self._live.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._live.__exit__(*exc)

    def state(self, text: str) -> None:
        self._state = text
        self._refresh(force=True)

    def heard(self, text: str) -> None:
        if text:
            self._transcript.append(text)
            self._refresh(force=True)

    def level(self, dbfs_value: float) -> None:
        self._db = dbfs_value
        self._refresh()

    def question(self, text: str) -> None:
        if text != self._question:
            self._question, self._transcript = text, []
        self._refresh(force=True)


def make_view() -> View:
    return RichView() if sys.stdout.isatty() else PlainView()
