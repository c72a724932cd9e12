"""Wall time and process CPU time per phase of a piece of work, measured as laps (s)."""

import time


class Clock:
    """Laps of wall time (time.perf_counter) and of this process's CPU time (time.process_time: user +
    system time of all its threads, so a multi-threaded factorization can use more CPU than wall time), in s.
    On a shared machine wall time is what the work took and CPU time what it cost, whatever else ran."""

    def __init__(self):
        self.start = self.last = self._now()
        self.wall_s: dict[str, float] = {}
        self.cpu_s: dict[str, float] = {}

    @staticmethod
    def _now() -> tuple[float, float]:
        return time.perf_counter(), time.process_time()

    def lap(self, phase: str) -> None:
        """Book the time since the last lap (or the start) under `phase` (added to it if it has some)."""
        now = self._now()
        for laps, t, t_last in ((self.wall_s, now[0], self.last[0]), (self.cpu_s, now[1], self.last[1])):
            laps[phase] = laps.get(phase, 0.0) + t - t_last
        self.last = now

    def move(self, source: str, timed: dict) -> None:
        """Book the phases of a part timed inside `source`'s lap under their own names, taken out of
        `source`: `timed` as phases() gives it (e.g. a Problem's timings_s, whose 'assemble' is part of the
        lap in which the Problem was made)."""
        for phase, wall in timed.items():
            if phase in ("total", "cpu_s"):
                continue
            cpu = timed.get("cpu_s", {}).get(phase, 0.0)
            for laps, seconds in ((self.wall_s, wall), (self.cpu_s, cpu)):
                laps[source] -= seconds
                laps[phase] = laps.get(phase, 0.0) + seconds

    def phases(self) -> dict:
        """{phase: wall time (s), ..., 'total': wall time from the start to the last lap,
        'cpu_s': {phase: CPU time (s), ..., 'total': CPU time from the start to the last lap}}."""
        return {**self.wall_s, "total": self.last[0] - self.start[0],
                "cpu_s": {**self.cpu_s, "total": self.last[1] - self.start[1]}}
