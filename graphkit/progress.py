"""Progress that suits its reader: a tqdm bar on a terminal, plain lines in a log.

A bar redraws itself with carriage returns; written to a file, CI or `docker compose logs`, one
line would hold hundreds of frames. When stderr is not a terminal, a `LineProgress` writes one
whole line every `LINE_EVERY_S` seconds or every tenth of the total, and at the end.
"""

from __future__ import annotations

import sys
import time
from typing import IO, Any, Protocol

from tqdm import tqdm

LINE_EVERY_S = 10.0
LINE_EVERY_PARTS = 10  # a line at every tenth of the total


class ProgressBar(Protocol):
    def update(self, n: int = 1) -> Any: ...
    def set_postfix(self, **values: Any) -> Any: ...
    def close(self) -> Any: ...
    def __enter__(self) -> Any: ...
    def __exit__(self, *exc: object) -> Any: ...


class _Closing:
    """`with bar:` closes it, as with tqdm."""

    def close(self) -> None:
        pass

    def __enter__(self) -> _Closing:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Silent(_Closing):
    """Progress that shows nothing (`--no-progress`)."""

    def update(self, n: int = 1) -> None:
        pass

    def set_postfix(self, **values: Any) -> None:
        pass

    def close(self) -> None:
        pass


class LineProgress(_Closing):
    """'DESC: DONE/TOTAL UNIT (P%) ...' lines, each a whole line, never a carriage return."""

    def __init__(
        self,
        total: int | None,
        desc: str,
        unit: str,
        stream: IO[str],
        every_s: float = LINE_EVERY_S,
        clock: Any = time.monotonic,
    ) -> None:
        self.total, self.desc, self.unit, self.stream = total, desc, unit, stream
        self.every_s, self.clock = every_s, clock
        self.done = 0
        self.postfix = ""
        self.started = self.last_at = clock()
        self.last_part = 0
        self.closed = False

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.total is not None and self.done >= self.total:
            return  # the end is close()'s line
        now = self.clock()
        part = self.done * LINE_EVERY_PARTS // self.total if self.total else 0
        if now - self.last_at >= self.every_s or part > self.last_part:
            self._line(now)
            self.last_part = part

    def set_postfix(self, **values: Any) -> None:
        self.postfix = ", ".join(f"{key}={value}" for key, value in values.items())

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._line(self.clock(), final=True)

    def _line(self, now: float, final: bool = False) -> None:
        self.last_at = now
        count = f"{self.done}/{self.total}" if self.total is not None else str(self.done)
        share = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        rate = self.done / max(now - self.started, 1e-9)
        tail = f", {self.postfix}" if self.postfix else ""
        end = " done" if final else ""
        self.stream.write(
            f"{self.desc}: {count} {self.unit}{share}, {rate:.1f} {self.unit}/s{tail}{end}\n"
        )
        self.stream.flush()


def progress_bar(
    total: int | None,
    desc: str,
    *,
    enabled: bool,
    unit: str = "it",
    stream: IO[str] | None = None,
    leave: bool = True,
) -> ProgressBar:
    """A bar on a terminal, lines elsewhere, nothing when not ENABLED."""
    stream = stream if stream is not None else sys.stderr
    if not enabled:
        return Silent()
    if stream.isatty():
        return tqdm(total=total, desc=desc, unit=unit, file=stream, mininterval=0.5, leave=leave)
    return LineProgress(total, desc, unit, stream)
