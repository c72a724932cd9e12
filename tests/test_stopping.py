"""Stopping class: Ctrl-C and SIGTERM print only the clean message, and a parallel run's workers die
with their parent, even when it is killed outright (no worker left, no case file written afterwards)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SWEEP = """
[experiment]
name = "stop"
[geometry]
ray = 2
[geometry.resection]
bone = "metatarsal"
resection_length_mm = 25.0
[geometry.spacer]
shape = "plug"
[mesh]
size_mm = 3.0
order = 2
[loads]
n_frames = 40
[outputs]
fields = false
[sweep]
"geometry.spacer.fill_fraction" = [0.2, 0.4, 0.6, 0.8, 1.0, 0.1, 0.3, 0.5]
"""


def descendants(pid: int) -> set[int]:
    """Live descendant processes of pid (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def as_in_a_terminal() -> None:
    """Ctrl-C at its default in the run, as in a terminal's foreground job: a test suite started in the
    background by a shell without job control inherits SIGINT ignored, and the run would never see it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_run(tmp_path):
    (tmp_path / "stop.toml").write_text(SWEEP)
    proc = subprocess.Popen([sys.executable, "-m", "sim.cli", "run", str(tmp_path / "stop.toml"), "--out",
                             str(tmp_path / "out"), "--jobs", "2"], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True, preexec_fn=as_in_a_terminal)
    deadline = time.time() + 120
    while time.time() < deadline and len(descendants(proc.pid)) < 2:
        time.sleep(0.2)
    workers = descendants(proc.pid)
    assert len(workers) >= 2, proc.communicate()
    time.sleep(6.0)  # the workers are importing and meshing
    return proc, descendants(proc.pid) | workers


def case_files(tmp_path) -> set:
    folder = tmp_path / "out" / "cases"
    return {(p.name, p.stat().st_mtime_ns) for p in folder.iterdir()} if folder.is_dir() else set()


def assert_all_gone(pids, seconds=15.0):
    deadline = time.time() + seconds
    while time.time() < deadline and any(alive(p) for p in pids):
        time.sleep(0.2)
    assert not [p for p in pids if alive(p)]


@pytest.mark.slow
def test_workers_die_with_a_killed_parent_and_write_nothing_after(tmp_path):
    proc, workers = start_run(tmp_path)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    at_kill = case_files(tmp_path)
    assert_all_gone(workers)
    time.sleep(3.0)
    assert case_files(tmp_path) == at_kill


@pytest.mark.slow
@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_and_sigterm_print_only_the_clean_message(tmp_path, signum, code):
    proc, workers = start_run(tmp_path)
    if signum == signal.SIGINT:
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole process group
    else:
        proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert "Traceback" not in err and "interrupted; finished cases are kept" in err
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("[")]
    assert lines == ["spacer-sim: interrupted; finished cases are kept and a rerun resumes"], err
    assert_all_gone(workers)
