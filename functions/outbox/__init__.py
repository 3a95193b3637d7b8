"""The outbox relay: publishes the outbox rows the fast path did not (no database of its own)."""
