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
outbox        the transactional outbox table and add_event
publisher     publishes outbox rows (fast path and relay), to Kafka or straight to subscribers
delivery      Knative's delivery semantics: retries, backoff, dead letters
consumer      the event-handler adapter: each event applied once
inbox         the processed-events table behind it
serve         runs one declared function (functions-framework; grpcio for the grpc trigger)
"""
