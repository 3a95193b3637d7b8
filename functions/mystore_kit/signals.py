"""Stopping on SIGTERM (what Knative and the runner send) and SIGINT (Ctrl-C).

The handler sets the Event from a thread of its own: Python runs signal handlers in the main
thread between bytecodes, and if that is inside the same Event's wait(), holding its lock, a
handler calling set() there deadlocks (seen: a grpc-api that never stopped).
"""

import signal
import threading


def stop_on_signals(stopping: threading.Event) -> None:
    def handle(signum: int, frame: object) -> None:
        threading.Thread(target=stopping.set, name="stopping", daemon=True).start()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, handle)
