"""Progress of long work (preview, pack, checkov), on stderr, never mixed into a report on stdout.

The rooms below the CLI report progress to an observer they are given — `phase(name, total)`,
`step(name, item)`, `end(name)` — and never print; the commands pick how it shows:

- on a terminal, a rich progress bar per phase (zones previewed, stacks judged, checkov);
- elsewhere (CI logs, pipes, tests), one plain line per phase when it ends:
  `byside: preview 3/3 zones (sa1, we1, we2) in 4.2 s`.

Every method is safe to call from worker threads (the pack judges stacks in a thread pool).
"""

from __future__ import annotations

import threading
import time

PREFIX = "byside: "  # every plain progress line starts with it (readers can tell them from a report's lines)


class Progress:
    """The observer's interface, and the silent default (library use, tests of the rooms)."""

    def phase(self, name: str, total: int | None = None, unit: str = "") -> None:
        """A phase starts: `total` items of `unit` (None: one step of unknown length)."""

    def step(self, name: str, item: str = "", ok: bool = True) -> None:
        """One item of the phase is done (a zone previewed, a stack judged)."""

    def end(self, name: str, note: str = "") -> None:
        """The phase is over (`note`: what it found, e.g. checkov's counts)."""

    def close(self) -> None:
        """Stop drawing (the command is done)."""


NULL = Progress()


class _Phase:
    def __init__(self, total: int | None, unit: str):
        self.total, self.unit, self.items, self.failed = total, unit, [], []
        self.started = time.monotonic()
        self.ended = False


class LineProgress(Progress):
    """One plain line per phase, printed when it ends."""

    def __init__(self, console):
        self.console = console
        self.phases: dict[str, _Phase] = {}
        self.lock = threading.Lock()

    def phase(self, name, total=None, unit=""):
        with self.lock:
            self.phases[name] = _Phase(total, unit)

    def step(self, name, item="", ok=True):
        with self.lock:
            p = self.phases.setdefault(name, _Phase(None, ""))
            (p.items if ok else p.failed).append(item)

    def end(self, name, note=""):
        with self.lock:
            p = self.phases.get(name)
            if p is None or p.ended:
                return
            p.ended = True
            seconds = time.monotonic() - p.started
            done = len(p.items)
            count = f" {done}/{p.total} {p.unit}" if p.total is not None else ""
            items = sorted(i for i in p.items if i)
            listed = f" ({', '.join(items[:10])}{', …' if len(items) > 10 else ''})" if items else ""
            failed = f", {len(p.failed)} failed ({', '.join(sorted(p.failed))})" if p.failed else ""
            extra = f": {note}" if note else ""
            self.console.print(f"{PREFIX}{name}{count}{listed}{failed} in {seconds:.1f} s{extra}")


class RichProgress(Progress):
    """A rich progress bar per phase, on the terminal's stderr (transient: gone when done)."""

    def __init__(self, console):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, SpinnerColumn, TextColumn
        from rich.progress import TimeElapsedColumn

        self.bar = Bar(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TimeElapsedColumn(), TextColumn("{task.fields[last]}"), console=console, transient=True)
        self.tasks: dict[str, int] = {}
        self.lock = threading.Lock()
        self.bar.start()

    def phase(self, name, total=None, unit=""):
        with self.lock:
            self.tasks[name] = self.bar.add_task(f"{name} {unit}".strip(), total=total, last="")

    def step(self, name, item="", ok=True):
        with self.lock:
            task = self.tasks.get(name)
            if task is not None:
                self.bar.update(task, advance=1, last=item if ok else f"{item} failed")

    def end(self, name, note=""):
        with self.lock:
            task = self.tasks.get(name)
            if task is not None:
                t = next(x for x in self.bar.tasks if x.id == task)
                total = t.total if t.total is not None else max(t.completed, 1)
                self.bar.update(task, total=total, completed=total, last=note)

    def close(self):
        self.bar.stop()


def for_console(console) -> Progress:
    """A progress bar on a terminal, plain lines elsewhere (console: the stderr console)."""
    if console.is_terminal:
        return RichProgress(console)
    return LineProgress(console)
