"""Who is watching which order, in this BFF process: the hub that wakes live status streams.

    watch = watchers.subscribe(order_id=..., user_id=...)   # before reading the current state
    change = watch.next(timeout=10)                         # a state dict, or None on timeout
    watchers.unsubscribe(watch)

`publish` (called by the OrderStatusChanged sink) hands the new state to every watch of that order
whose user owns it; a watch keeps what it was handed until its stream takes it, so a change that
lands between subscribing and the first read is not lost. Nothing here polls.
"""

import queue
import threading
from typing import Any

State = dict[str, Any]  # {"status": ..., "trackingId": ...}, as the stream sends it


class Watch:
    """One stream's view of one order."""

    def __init__(self, *, order_id: str, user_id: str) -> None:
        self.order_id = order_id
        self.user_id = user_id
        self._changes: queue.SimpleQueue[State] = queue.SimpleQueue()

    def put(self, state: State) -> None:
        self._changes.put(state)

    def next(self, *, timeout: float) -> State | None:
        """The next state published for this order, or None if none came within `timeout` s."""
        try:
            return self._changes.get(timeout=timeout)
        except queue.Empty:
            return None


class Watchers:
    """The process's watches, by order id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_order: dict[str, set[Watch]] = {}

    def subscribe(self, *, order_id: str, user_id: str) -> Watch:
        watch = Watch(order_id=order_id, user_id=user_id)
        with self._lock:
            self._by_order.setdefault(order_id, set()).add(watch)
        return watch

    def unsubscribe(self, watch: Watch) -> None:
        with self._lock:
            watches = self._by_order.get(watch.order_id)
            if watches is not None:
                watches.discard(watch)
                if not watches:
                    del self._by_order[watch.order_id]

    def publish(self, *, order_id: str, user_id: str, state: State) -> int:
        """Hands `state` to the watches of `order_id` of its owner; returns how many."""
        with self._lock:
            owners = [w for w in self._by_order.get(order_id, ()) if w.user_id == user_id]
        for watch in owners:
            watch.put(state)
        return len(owners)

    def count(self) -> int:
        """Open watches (streams) in this process."""
        with self._lock:
            return sum(len(watches) for watches in self._by_order.values())


watchers = Watchers()
