"""Showing a harvest's progress: the stages (listing pages, downloads, tag queries) and its notes
(waits, retries), told to a :class:`Progress`; :class:`RichProgress` draws them as rich bars."""

from __future__ import annotations

from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Bars

STAGES = {"pages": "listing pages", "downloads": "downloads", "tags": "tag queries"}


class Progress(Protocol):
    """What a harvest tells of its progress."""

    def stage(self, name: str, total: int | None) -> None:
        """A stage starts (``pages``, ``downloads``, ``tags``), with its size if known."""

    def advance(self, name: str, total: int | None = None) -> None:
        """One more step of a stage done; ``total`` when it has become known."""

    def note(self, message: str) -> None:
        """Something worth telling: a wait, a retry."""


class _Silent:
    def stage(self, name: str, total: int | None) -> None:
        pass

    def advance(self, name: str, total: int | None = None) -> None:
        pass

    def note(self, message: str) -> None:
        pass


NO_PROGRESS: Progress = _Silent()


class RichProgress:
    """Progress bars on a console (stderr in the CLI), one per stage, with notes printed above them."""

    def __init__(self, console: Console) -> None:
        self._bars = Bars(TextColumn("{task.description:>14}"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), console=console, transient=True)
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RichProgress:
        self._bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bars.stop()

    def stage(self, name: str, total: int | None) -> None:
        self._tasks[name] = self._bars.add_task(STAGES.get(name, name), total=total)

    def advance(self, name: str, total: int | None = None) -> None:
        task = self._tasks.get(name)
        if task is None:
            self.stage(name, total)
            task = self._tasks[name]
        if total is not None:
            self._bars.update(task, total=total)
        self._bars.advance(task)

    def note(self, message: str) -> None:
        self._bars.console.print(message, markup=False, highlight=False, soft_wrap=True)
