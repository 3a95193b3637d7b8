"""The auth service: users, bcrypt password hashes, signed session tokens. Database: `auth`."""

SERVICE = "auth"
