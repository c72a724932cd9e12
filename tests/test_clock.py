"""sim.clock.Clock: wall and process CPU time per phase, told apart by a phase that sleeps and one that computes."""

import time

import pytest

from sim.clock import Clock


def _burn_cpu_s(seconds: float) -> None:
    """Compute until this process has used `seconds` of CPU time."""
    start = time.process_time()
    x = 0
    while time.process_time() - start < seconds:
        x += sum(range(1000))


@pytest.fixture
def phases():
    clock = Clock()
    time.sleep(0.3)
    clock.lap("sleep")
    _burn_cpu_s(0.2)
    clock.lap("compute")
    return clock.phases()


def test_every_phase_has_wall_and_cpu_time_and_a_total(phases):
    assert set(phases) == {"sleep", "compute", "total", "cpu_s"}
    assert set(phases["cpu_s"]) == {"sleep", "compute", "total"}
    for timed in (phases, phases["cpu_s"]):
        assert timed["total"] == pytest.approx(timed["sleep"] + timed["compute"])


def test_sleeping_takes_wall_time_but_no_cpu_time(phases):
    assert phases["sleep"] >= 0.3
    assert phases["cpu_s"]["sleep"] < 0.1


def test_computing_takes_cpu_time(phases):
    assert phases["cpu_s"]["compute"] >= 0.2
    assert phases["compute"] >= 0.9 * phases["cpu_s"]["compute"]  # one thread: no more CPU than wall time


def test_a_part_timed_inside_a_lap_is_booked_under_its_own_name():
    inner = Clock()
    _burn_cpu_s(0.1)
    inner.lap("assemble")
    clock = Clock()
    clock.wall_s, clock.cpu_s = {"factorize": 1.0}, {"factorize": 0.5}
    clock.move("factorize", inner.phases())
    moved = inner.phases()
    assert clock.wall_s == pytest.approx({"factorize": 1.0 - moved["assemble"], "assemble": moved["assemble"]})
    assert clock.cpu_s == pytest.approx({"factorize": 0.5 - moved["cpu_s"]["assemble"],
                                         "assemble": moved["cpu_s"]["assemble"]})
    assert moved["cpu_s"]["assemble"] >= 0.1
