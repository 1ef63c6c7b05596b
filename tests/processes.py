"""Watching processes from a test (Linux /proc): the children of a process, and whether one still runs."""

import time
from pathlib import Path


def children_of(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")  # (an ended process that no one has reaped yet is a zombie)


def ended(pid: int, *, within: float = 10.0) -> bool:
    """Whether process `pid` ends within `within` seconds."""
    deadline = time.monotonic() + within
    while running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
