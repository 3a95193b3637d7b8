"""The dead-letter service: keeps every event that could not be delivered, for inspection and replay.

Database: `deadletter`.
"""

SERVICE = "deadletter"
