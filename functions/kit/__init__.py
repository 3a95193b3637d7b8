"""The function kit: everything my-store's functions share, written once.

settings      the one Settings class (the only place the environment is read)
errors        RFC 9457 problems with gRPC-style codes
messages      protobuf <-> proto3 JSON, strict
cloudevent    the RPC adapter: CloudEvent request in, CloudEvent reply out
database      one SQLModel engine per service, units of work
migrate       applies each service's Alembic migrations
client        calls other functions (pooled keep-alive HTTP)
tokens        EdDSA-signed JWTs: issue and verify
declaration   functions/functions.yaml, the one list of functions and subscriptions
serve         runs one declared function with functions-framework
"""
