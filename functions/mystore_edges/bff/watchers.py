"""Who is watching which order, in this BFF process: the hub that wakes live status streams.

    watch = watchers.subscribe(order_id=..., user_id=...)   # before reading the current state
    rang = watch.wait(timeout=10)                           # True: the order changed since
    watchers.unsubscribe(watch)

`ring` (called by the OrderStatusChanged sink) wakes every watch of that order: a doorbell, not the
state. The stream then reads the order from the orders service, so what a browser sees always
comes from the owner of the fact, and a forged event on the public sink shows nobody anything. A
watch stays rung until its stream waits again, so a change that lands between subscribing and the
first read is not lost. Nothing here polls.
"""

import threading


class Watch:
    """One stream's view of one order."""

    def __init__(self, *, order_id: str, user_id: str) -> None:
        self.order_id = order_id
        self.user_id = user_id
        self._rung = threading.Event()

    def ring(self) -> None:
        self._rung.set()

    def wait(self, *, timeout: float) -> bool:
        """True once the order changed since the last wait (at once if it did already), False when
        `timeout` s passed without a change."""
        rung = self._rung.wait(timeout)
        self._rung.clear()
        return rung


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

    def ring(self, order_id: str) -> int:
        """Wakes the watches of `order_id`; returns how many."""
        with self._lock:
            watches = list(self._by_order.get(order_id, ()))
        for watch in watches:
            watch.ring()
        return len(watches)

    def count(self) -> int:
        """Open watches (streams) in this process."""
        with self._lock:
            return sum(len(watches) for watches in self._by_order.values())


watchers = Watchers()
