"""The notification service: tells customers about their orders ("email sent"). Database: `notification`."""

SERVICE = "notification"
