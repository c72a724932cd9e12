"""A small progress bar on stderr: cases and gait frames done, elapsed time and estimate."""

import sys
import time


class Progress:
    """Call update(frames) as each case finishes; a line per case when stderr is not a terminal."""

    def __init__(self, n_cases: int, n_frames: int, skipped: int = 0, stream=None):
        self.n_cases, self.n_frames, self.done, self.frames = n_cases, n_frames, skipped, 0
        self.skipped = skipped
        self.stream = stream or sys.stderr
        self.start = time.perf_counter()
        self.tty = self.stream.isatty()
        if skipped:
            print(f"{skipped} of {n_cases} cases already done (same config hash): skipped", file=self.stream)
        self._draw("")

    def update(self, frames: int, label: str) -> None:
        self.done += 1
        self.frames += frames
        self._draw(label)

    def _draw(self, label: str) -> None:
        elapsed = time.perf_counter() - self.start
        computed = self.done - self.skipped
        remaining = self.n_cases - self.done
        eta = f", about {elapsed / computed * remaining:.0f} s left" if computed and remaining else ""
        width = 24
        filled = int(width * self.done / max(self.n_cases, 1))
        bar = "#" * filled + "." * (width - filled)
        text = (f"[{bar}] {self.done}/{self.n_cases} cases, {self.frames}/{self.n_frames} frames, "
                f"{elapsed:.0f} s{eta}" + (f"  {label}" if label else ""))
        if self.tty:
            print("\r" + text.ljust(110), end="", file=self.stream, flush=True)
        elif label:
            print(text, file=self.stream, flush=True)

    def close(self) -> None:
        if self.tty:
            print(file=self.stream)
