"""Per-user flood control: a few questions in a few seconds, then a pause.

A user over the limit gets one notice (`Verdict.WARN`) and is then ignored
(`Verdict.DROP`) for `pause` seconds; other users are never affected.
"""

from __future__ import annotations

import enum
import time
from collections import deque
from collections.abc import Callable


class Verdict(enum.Enum):
    ALLOW = "allow"
    WARN = "warn"
    DROP = "drop"


class FloodGate:
    """Counts each user's questions in a sliding window."""

    def __init__(
        self,
        *,
        limit: int = 5,
        window: float = 5.0,
        pause: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.limit = limit
        self.window = window
        self.pause = pause
        self._clock = clock
        self._recent: dict[int, deque[float]] = {}
        self._paused_until: dict[int, float] = {}

    def check(self, user_id: int) -> Verdict:
        """Record one question from `user_id` and say whether to answer it."""
        now = self._clock()
        if self._paused_until.get(user_id, now) > now:
            return Verdict.DROP
        self._paused_until.pop(user_id, None)
        recent = self._recent.setdefault(user_id, deque())
        while recent and recent[0] <= now - self.window:
            recent.popleft()
        if len(recent) >= self.limit:
            del self._recent[user_id]
            self._paused_until[user_id] = now + self.pause
            return Verdict.WARN
        recent.append(now)
        self._forget_quiet_users(now)
        return Verdict.ALLOW

    def wait_left(self, user_id: int) -> float:
        """Seconds until `user_id` is answered again; 0 when not paused."""
        return max(0.0, self._paused_until.get(user_id, 0.0) - self._clock())

    def _forget_quiet_users(self, now: float) -> None:
        """Keep memory bounded: drop users with nothing in the window."""
        if len(self._recent) <= 1000:
            return
        for user_id in [u for u, times in self._recent.items() if times[-1] <= now - self.window]:
            del self._recent[user_id]
