"""Per-user sliding-window rate limit (in memory; each replica limits its own traffic)."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable


class RateLimiter:
    """At most ``per_minute`` events per key in any 60-second window.

    The table is bounded (least recently seen keys are dropped) so a flood of distinct users
    cannot grow memory without limit.
    """

    def __init__(
        self,
        per_minute: int,
        *,
        window: float = 60.0,
        max_keys: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_minute = per_minute
        self.window = window
        self.max_keys = max_keys
        self.clock = clock
        self._events: OrderedDict[int, deque[float]] = OrderedDict()
        self._warned: dict[int, float] = {}

    def hit(self, key: int) -> float:
        """Record an event; 0.0 if allowed, else the seconds until the next one is allowed."""
        now = self.clock()
        events = self._events.pop(key, None) or deque()
        while events and now - events[0] >= self.window:
            events.popleft()
        self._events[key] = events
        if len(self._events) > self.max_keys:
            old, _ = self._events.popitem(last=False)
            self._warned.pop(old, None)
        if len(events) >= self.per_minute:
            return max(self.window - (now - events[0]), 0.1)
        events.append(now)
        return 0.0

    def should_warn(self, key: int) -> bool:
        """Tell a limited user once per window, not on every dropped message."""
        now = self.clock()
        last = self._warned.get(key)
        if last is not None and now - last < self.window:
            return False
        self._warned[key] = now
        return True
