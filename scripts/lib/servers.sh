# Sourced by ./scripts/dev and the scripts that read its state: points the settings at PostgreSQL
# and Kafka the way `./scripts/dev --postgres --kafka` runs them.

# use_postgres: start PostgreSQL, create each service's database (mystore_<service>, for every
# service of functions/functions.yaml that has migrations; MYSTORE_DB_PREFIX replaces mystore_,
# as ./scripts/bench does for databases of its own), export MYSTORE_DATABASE_URL.
use_postgres() {
  local services
  "$ROOT/scripts/postgres" start >/dev/null
  mapfile -t services < <(PYTHONPATH="$ROOT/functions" "$PY" -m mystore_kit.migrate --list)
  local prefix=${MYSTORE_DB_PREFIX:-mystore_}
  "$ROOT/scripts/postgres" createdb "${services[@]/#/$prefix}"
  MYSTORE_DATABASE_URL="$("$ROOT/scripts/postgres" url)${prefix}{service}"
  export MYSTORE_DATABASE_URL
}

# use_kafka: start the broker, export MYSTORE_KAFKA_BOOTSTRAP_SERVERS.
use_kafka() {
  MYSTORE_KAFKA_BOOTSTRAP_SERVERS="$("$ROOT/scripts/kafka" start)"
  export MYSTORE_KAFKA_BOOTSTRAP_SERVERS
}

# use_zipkin: start Zipkin, export MYSTORE_TRACING_ENDPOINT (every process then traces to it) and
# MYSTORE_TRACE_UI_URL (the storefront's order journey links to the order's trace there).
use_zipkin() {
  local zipkin
  zipkin="$("$ROOT/scripts/zipkin" start)"
  export MYSTORE_TRACING_ENDPOINT="$zipkin/api/v2/spans" MYSTORE_TRACE_UI_URL="$zipkin/zipkin"
}
