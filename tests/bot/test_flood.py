"""Per-user flood control, with a clock the test moves by hand."""

from __future__ import annotations

from bot.flood import FloodGate, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_gets_one_warning_then_silence():
    gate = FloodGate(limit=5, window=5.0, pause=30.0, clock=Clock())
    verdicts = [gate.check(1) for _ in range(20)]
    assert verdicts[:5] == [Verdict.ALLOW] * 5
    assert verdicts[5] is Verdict.WARN
    assert verdicts[6:] == [Verdict.DROP] * 14


def test_other_users_are_unaffected():
    gate = FloodGate(limit=2, clock=Clock())
    for _ in range(5):
        gate.check(1)
    assert gate.check(2) is Verdict.ALLOW


def test_steady_questions_are_always_answered():
    clock = Clock()
    gate = FloodGate(limit=5, window=5.0, clock=clock)
    for _ in range(50):
        assert gate.check(1) is Verdict.ALLOW
        clock.now += 1.1


def test_the_pause_ends():
    clock = Clock()
    gate = FloodGate(limit=1, window=5.0, pause=30.0, clock=clock)
    assert [gate.check(1) for _ in range(3)] == [Verdict.ALLOW, Verdict.WARN, Verdict.DROP]
    clock.now += 29
    assert gate.check(1) is Verdict.DROP
    clock.now += 2
    assert gate.check(1) is Verdict.ALLOW


def test_the_wait_left_counts_down_from_the_pause():
    clock = Clock()
    gate = FloodGate(limit=1, window=5.0, pause=30.0, clock=clock)
    assert gate.wait_left(1) == 0
    gate.check(1)
    assert gate.check(1) is Verdict.WARN
    assert gate.wait_left(1) == 30
    clock.now += 12.5
    assert gate.wait_left(1) == 17.5
    clock.now += 20
    assert gate.wait_left(1) == 0
