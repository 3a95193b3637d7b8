# Sourced by ./scripts/dev and the scripts that read its state: points the settings at PostgreSQL
# and Kafka the way `./scripts/dev --postgres --kafka` runs them.

# use_postgres: start PostgreSQL, create each service's database, export MYSTORE_DATABASE_URL.
use_postgres() {
  "$ROOT/scripts/postgres" start >/dev/null
  "$ROOT/scripts/postgres" createdb mystore_auth mystore_catalog mystore_orders mystore_shipping \
    mystore_analytics mystore_notification mystore_deadletter
  MYSTORE_DATABASE_URL="$("$ROOT/scripts/postgres" url)mystore_{service}"
  export MYSTORE_DATABASE_URL
}

# use_kafka: start the broker, export MYSTORE_KAFKA_BOOTSTRAP_SERVERS.
use_kafka() {
  MYSTORE_KAFKA_BOOTSTRAP_SERVERS="$("$ROOT/scripts/kafka" start)"
  export MYSTORE_KAFKA_BOOTSTRAP_SERVERS
}
