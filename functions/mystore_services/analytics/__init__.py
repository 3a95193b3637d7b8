"""The analytics service: store statistics built from OrderCreated events. Database: `analytics`."""

SERVICE = "analytics"
