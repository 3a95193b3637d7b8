"""Costs that must not grow with history: five operations at 1,000 and at 1,000,000 stored orders.

    ./scripts/bench growth [--small N] [--large N] [--calls N] [--keep] [--reuse]

Creates scratch databases bench_growth_<service> on the shared PostgreSQL (127.0.0.1:25432),
migrates them, fills --small orders (items, outbox rows all but UNPUBLISHED published, inbox rows,
shipments, analytics statistics) with INSERT ... SELECT generate_series, and times each operation
through the real handler code in this process (the median of --calls calls), then grows the same
databases to --large orders and times again. Prints the ratio large/small per operation, and the
PostgreSQL plan of each statement an operation runs (EXPLAIN ANALYZE, buffers touched) at both
sizes. Drops the databases afterwards (unless --keep; --reuse measures databases a --keep run left,
without filling them again). Measures; asserts nothing.
"""

import json
import os
import random
import re
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg

SERVER = "postgresql://mystore@127.0.0.1:25432/"
ALCHEMY = SERVER.replace("postgresql://", "postgresql+psycopg://")  # the same, for SQLAlchemy
PREFIX = "bench_growth_"
SERVICES = ["orders", "shipping", "analytics"]
ORDERS_PER_USER = 50  # the same history per user at every size: what grows is everybody else's
ORDERS_PER_MINUTE = 5  # a minute_stats row per 5 orders: 200 at 1k (more than the 120 shown), 200k at 1M
UNPUBLISHED = 100  # outbox rows the relay's claim finds, at every size
SAMPLED = 1000  # operations pick users and orders among the first SAMPLED orders (there at every size)


_current = [0]  # the set of databases (by its number of orders) that dsn() and the handlers use
_engines: dict[tuple[int, str], object] = {}


def name(service: str, size: int | None = None) -> str:
    return f"{PREFIX}{_current[0] if size is None else size}_{service}"


def dsn(service: str) -> str:
    return SERVER + name(service)


def use(size: int) -> None:
    """The handlers (database.engine_for) and dsn() go to the databases of `size` orders from now on."""
    from mystore_kit import database

    _current[0] = size
    for service in SERVICES:
        if (size, service) not in _engines:
            _engines[size, service] = database.make_engine(ALCHEMY + name(service))
    database.engine_for = lambda service: _engines[_current[0], service]  # type: ignore[assignment]


def create_databases(sizes: list[int]) -> None:
    from mystore_kit.migrate import migrate

    with psycopg.connect(SERVER + "postgres", autocommit=True) as admin:
        for size in sizes:
            for service in SERVICES:
                admin.execute(f'DROP DATABASE IF EXISTS "{name(service, size)}" WITH (FORCE)')
                admin.execute(f'CREATE DATABASE "{name(service, size)}"')
    for size in sizes:
        for service in SERVICES:
            migrate(service=service, url=ALCHEMY + name(service, size))


def drop_databases(sizes: list[int]) -> None:
    for engine in _engines.values():
        engine.dispose()  # type: ignore[attr-defined]
    with psycopg.connect(SERVER + "postgres", autocommit=True) as admin:
        for size in sizes:
            for service in SERVICES:
                admin.execute(f'DROP DATABASE IF EXISTS "{name(service, size)}" WITH (FORCE)')


# Order i: id md5('order'||i), user i / ORDERS_PER_USER, created 6 s after order i - 1, ending now.
ORDER_ID = "md5('order' || i)::uuid::text"
ADDRESS = "'Bench Mark', 'Unter den Linden 77', NULL, 'Berlin', '10117', NULL, 'DE', NULL"
SHIP_COLUMNS = (
    "ship_recipient_name, ship_line1, ship_line2, ship_city, ship_postal_code, ship_region, "
    "ship_country, ship_phone"
)


def fill_sql(total: int) -> dict[str, list[str]]:
    """Statements that add orders i in [%(start)s, %(end)s) of `total`, per service."""
    created = f"now() - interval '1 minute' - ({total} - i) * interval '6 seconds'"
    series = "FROM generate_series(%(start)s, %(end)s - 1) AS i"
    return {
        "orders": [
            "INSERT INTO orders (id, user_id, status, total_minor, currency, created_at, tracking_id, "
            f"idempotency_key, request_hash, {SHIP_COLUMNS}) SELECT {ORDER_ID}, "
            f"md5('user' || (i / {ORDERS_PER_USER}))::uuid::text, 'SHIPPED', 2490 * (1 + i %% 3), 'EUR', "
            f"{created}, 'MS-' || i, NULL, NULL, {ADDRESS} {series}",
            "INSERT INTO order_lines SELECT "
            f"{ORDER_ID}, 0, md5('product' || (i %% 14))::uuid::text, 'Espresso Beans 1 kg', "
            f"1 + i %% 3, 2490, 2490 * (1 + i %% 3) {series}",
            "INSERT INTO outbox (id, topic, key, type, source, subject, data, created_at, published_at) "
            f"SELECT md5('outbox' || i)::uuid::text, 'orders', {ORDER_ID}, 'mystore.order.v1.OrderCreated', "
            f"'/mystore/order', {ORDER_ID}, convert_to(repeat('x', 600), 'UTF8'), {created}, "
            f"{created} + interval '50 milliseconds' {series}",
            "INSERT INTO processed_events SELECT '/mystore/shipping', md5('shipment' || i)::uuid::text, "
            f"'mystore.shipping.v1.ShipmentCreated', {created} + interval '200 milliseconds' {series}",
        ],
        "shipping": [
            f"INSERT INTO shipments (tracking_id, order_id, created_at, {SHIP_COLUMNS}) "
            f"SELECT 'MS-' || i, {ORDER_ID}, {created}, {ADDRESS} {series}",
        ],
        "analytics": [
            "INSERT INTO processed_events SELECT '/mystore/order', md5('outbox' || i)::uuid::text, "
            f"'mystore.order.v1.OrderCreated', {created} + interval '100 milliseconds' {series}",
            "INSERT INTO minute_stats SELECT timestamptz '2025-01-01 00:00Z' + m * interval '1 minute', "
            f"{ORDERS_PER_MINUTE}, "
            f"{ORDERS_PER_MINUTE} * 4980, 'EUR' FROM generate_series("
            f"%(start)s / {ORDERS_PER_MINUTE}, %(end)s / {ORDERS_PER_MINUTE} - 1) AS m",
        ],
    }


def fill(start: int, end: int, total: int) -> float:
    """Adds orders [start, end) to the current set of databases; then VACUUM ANALYZE, as autovacuum would."""
    began = time.monotonic()
    for service, statements in fill_sql(total).items():
        with psycopg.connect(dsn(service)) as connection:
            connection.execute("SET synchronous_commit = off")  # the fill only; measurements keep it on
            for statement in statements:
                connection.execute(statement, {"start": start, "end": end})
    with psycopg.connect(dsn("orders")) as connection:  # the same UNPUBLISHED waiting rows at every size
        connection.execute(
            "UPDATE outbox SET published_at = NULL WHERE id IN "
            "(SELECT id FROM outbox ORDER BY created_at DESC LIMIT %s)",
            (UNPUBLISHED,),
        )
    with psycopg.connect(dsn("analytics")) as connection:
        connection.execute("DELETE FROM product_stats")
        connection.execute(
            "INSERT INTO product_stats SELECT md5('product' || p)::uuid::text, 'Product ' || p, "
            f"{end} / 14 * 2, {end} / 14 * 4980, 'EUR' FROM generate_series(0, 13) AS p"
        )
        has_totals = connection.execute("SELECT to_regclass('store_totals') IS NOT NULL").fetchone()[0]
        if has_totals:  # what the consumer keeps up: the sums of the statistics
            connection.execute("DELETE FROM store_totals")
            connection.execute(
                "INSERT INTO store_totals SELECT 1, SUM(orders), (SELECT SUM(units) FROM product_stats), "
                "SUM(revenue_minor), 'EUR' FROM minute_stats"
            )
    vacuum()
    return time.monotonic() - began


def vacuum() -> None:
    for service in SERVICES:
        with psycopg.connect(dsn(service), autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")


def operations(sampled: int) -> dict[str, Callable[[random.Random], object]]:
    """The five hot operations, each one call of the real handler code (inbox: two kinds)."""
    from mystore.analytics.v1 import analytics_pb2 as analytics
    from mystore.order.v1 import order_pb2 as orders
    from mystore.shipping.v1 import shipping_pb2 as shipping
    from mystore_kit.database import unit_of_work
    from mystore_kit.events import inbox, publisher
    from mystore_services.analytics.handlers import get_summary
    from mystore_services.orders.handlers import get_order, list_orders
    from mystore_services.shipping.handlers import get_shipment

    def ids(i: int) -> tuple[str, str]:
        order, user = md5(f"order{i}"), md5(f"user{i // ORDERS_PER_USER}")
        return str(uuid.UUID(hex=order)), str(uuid.UUID(hex=user))

    def history(pick: random.Random) -> object:
        _, user = ids(pick.randrange(sampled))
        page = list_orders(orders.ListOrdersRequest(user_id=user, limit=20))
        return list_orders(orders.ListOrdersRequest(user_id=user, limit=20, cursor=page.next_cursor))

    def one_order(pick: random.Random) -> object:  # as GET /api/orders/{id}: the order, its shipment
        order, user = ids(pick.randrange(sampled))
        found = get_order(orders.GetOrderRequest(user_id=user, order_id=order)).order
        return get_shipment(shipping.GetShipmentRequest(tracking_id=found.tracking_id))

    def claim(_: random.Random) -> object:  # MYSTORE_OUTBOX_CLAIM_SECONDS=0: the same rows each time
        rows = publisher.claim("orders")
        assert len(rows) == UNPUBLISHED, len(rows)
        return rows

    def inbox_duplicate(pick: random.Random) -> object:  # a redelivery: the row is there
        event_id = str(uuid.UUID(hex=md5(f"outbox{pick.randrange(sampled)}")))
        with unit_of_work("analytics") as session:
            assert not inbox.record(session, source="/mystore/order", event_id=event_id, event_type="t")

    def inbox_new(_: random.Random) -> object:  # a first delivery: the row is added and committed
        with unit_of_work("analytics") as session:
            assert inbox.record(session, source="/bench", event_id=str(uuid.uuid4()), event_type="t")

    def release_claims() -> None:  # before EXPLAIN ANALYZE runs the claim again, with its `now`
        with psycopg.connect(dsn("orders")) as connection:
            connection.execute("UPDATE outbox SET claimed_at = NULL WHERE published_at IS NULL")

    def forget_new() -> None:  # before EXPLAIN ANALYZE inserts the same new id again
        with psycopg.connect(dsn("analytics")) as connection:
            connection.execute("DELETE FROM processed_events WHERE source = '/bench'")

    return {
        "order history (2 pages of 20)": (history, None),
        "one order (+ its shipment)": (one_order, None),
        "analytics summary": (lambda _: get_summary(analytics.GetSummaryRequest()), None),
        "outbox claim (100 waiting)": (claim, release_claims),
        "inbox check (duplicate)": (inbox_duplicate, None),
        "inbox record (new event)": (inbox_new, forget_new),
    }


def md5(text: str) -> str:
    import hashlib

    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - ids, as the fill's md5()


def measure(sizes: list[int], calls: int, sampled: int, rounds: int = 10) -> dict[int, dict[str, dict]]:
    """Median and p90 (ms) of `calls` calls of each operation on each set of databases, in `rounds`
    rounds that take turns between the sets (so that the machine's other load falls on all of
    them alike), each after 5 calls to warm up; then each operation's plans, once per set."""
    times: dict[int, dict[str, list[float]]] = {size: {} for size in sizes}
    for _ in range(rounds):
        for size in sizes:
            use(size)
            for name_, (operation, _reset) in operations(sampled).items():
                pick = random.Random(len(times[size].get(name_, [])))
                for _ in range(5):
                    operation(pick)
                for _ in range(calls // rounds):
                    began = time.perf_counter()
                    operation(pick)
                    times[size].setdefault(name_, []).append((time.perf_counter() - began) * 1000)
    results: dict[int, dict[str, dict]] = {}
    for size in sizes:
        use(size)
        results[size] = {}
        for name_, (operation, reset) in operations(sampled).items():
            taken = sorted(times[size][name_])
            results[size][name_] = {
                "median_ms": round(statistics.median(taken), 3),
                "p90_ms": round(taken[int(0.9 * len(taken))], 3),
                "plans": plans(lambda op=operation: op(random.Random(7)), reset),
            }
    return results


def plans(run: Callable[[], object], reset: Callable[[], None] | None) -> list[dict]:
    """Each statement `run` sends, with its PostgreSQL plan (EXPLAIN ANALYZE, in a rolled-back
    transaction, after `reset` undid what running it changed): the node names and the shared
    buffers (hit + read) the whole plan touched."""
    from sqlalchemy import event

    from mystore_kit import database

    sent: list[tuple[str, str, object]] = []
    listeners = []
    for service in SERVICES:
        engine = database.engine_for(service)

        def grab(conn, cursor, statement, parameters, context, many, service=service):  # noqa: ANN001, PLR0913
            if not statement.lstrip().upper().startswith(("SELECT", "UPDATE", "INSERT", "DELETE")):
                return
            sent.append((service, statement, parameters))

        event.listen(engine, "before_cursor_execute", grab)
        listeners.append((engine, grab))
    try:
        run()
    finally:
        for engine, grab in listeners:
            event.remove(engine, "before_cursor_execute", grab)
    if reset:
        reset()
    found = []
    for service, statement, parameters in sent:
        with database.engine_for(service).connect() as connection:
            transaction = connection.begin()
            lines = [
                row[0]
                for row in connection.exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) " + statement, parameters
                )
            ]
            transaction.rollback()
        top = next((line for line in lines if "Buffers:" in line), "")  # the whole tree's, inclusive
        buffers = sum(int(count) for count in re.findall(r"(?:hit|read)=(\d+)", top))
        nodes = [lines[0].strip()] + [line.split("->")[1].strip() for line in lines if "->" in line]
        found.append(
            {
                "service": service,
                "sql": " ".join(statement.split())[:160],
                "nodes": nodes,
                "buffers": buffers,
                "plan": lines,
            }
        )
    return found


def row_counts() -> dict[str, int]:
    counts = {}
    for service, tables in {
        "orders": ["orders", "order_lines", "outbox", "processed_events"],
        "shipping": ["shipments"],
        "analytics": ["processed_events", "minute_stats"],
    }.items():
        with psycopg.connect(dsn(service)) as connection:
            for table in tables:
                counts[f"{service}.{table}"] = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[
                    0
                ]
    return counts


def existing(sizes: list[int]) -> bool:
    """Whether every database of these sets is there (kept by an earlier --keep run)."""
    with psycopg.connect(SERVER + "postgres") as admin:
        found = {row[0] for row in admin.execute("SELECT datname FROM pg_database")}
    return all(name(service, size) in found for size in sizes for service in SERVICES)


def run(
    *, small: int = 1000, large: int = 1_000_000, calls: int = 200, keep: bool = False, reuse: bool = False
) -> dict:
    """The growth check; returns its figures (suite.py calls this too)."""
    os.environ["MYSTORE_OUTBOX_CLAIM_SECONDS"] = "0"  # each claim takes the same waiting rows again
    os.environ["MYSTORE_LOG_LEVEL"] = "WARNING"
    from mystore_kit.settings import get_settings

    get_settings.cache_clear()
    sizes = [small, large]
    result: dict = {"calls": calls, "load_average_before": os.getloadavg(), "fill_s": {}}
    if reuse and existing(sizes):
        for size in sizes:  # what earlier claims and inserts left, cleaned up as autovacuum would
            use(size)
            vacuum()
    else:
        create_databases(sizes)
        for size in sizes:
            print(f"growth: filling {size} orders...", file=sys.stderr, flush=True)
            use(size)
            result["fill_s"][size] = round(fill(0, size, size), 1)
    try:
        print("growth: measuring...", file=sys.stderr, flush=True)
        result["load_average_measuring"] = os.getloadavg()
        measured = measure(sizes, calls, min(SAMPLED, small))
        for size in sizes:
            use(size)
            result[f"{size}"] = {"rows": row_counts(), "operations": measured[size]}
    finally:
        if not keep:
            drop_databases(sizes)
    result["load_average_after"] = os.getloadavg()
    result["ratio"] = {
        name_: round(result[f"{large}"]["operations"][name_]["median_ms"] / figures["median_ms"], 2)
        for name_, figures in result[f"{small}"]["operations"].items()
    }
    return result


def report(result: dict, small: int, large: int) -> None:
    load = ", ".join(f"{figure:.1f}" for figure in result["load_average_measuring"])
    print(f"\ncost growth: median of {result['calls']} calls, ms (load average {load} when measuring)")
    print(f"  {'operation':<32}{small:>10}{large:>12}  ratio   buffers {small} -> {large}")
    for name, ratio in result["ratio"].items():
        a, b = result[f"{small}"]["operations"][name], result[f"{large}"]["operations"][name]
        buffers = [p["buffers"] for p in a["plans"]], [p["buffers"] for p in b["plans"]]
        figures = f"{a['median_ms']:>10.2f}{b['median_ms']:>12.2f}  {ratio:5.2f}"
        print(f"  {name:<32}{figures}   {buffers[0]} -> {buffers[1]}")
    print(f"  rows at {large}: {result[f'{large}']['rows']}; fill {result['fill_s']} s")
    print(f"\nplans at {large} orders:")
    for name, figures in result[f"{large}"]["operations"].items():
        print(f"  {name}")
        for plan in figures["plans"]:
            print(f"    [{plan['service']}] {plan['sql'][:100]}")
            print(f"      {' / '.join(plan['nodes'][:4])}  (buffers {plan['buffers']})")


def main(argv: list[str]) -> int:
    def option(name: str, default: int) -> int:
        return int(argv[argv.index(name) + 1]) if name in argv else default

    small, large = option("--small", 1000), option("--large", 1_000_000)
    result = run(
        small=small, large=large, calls=option("--calls", 200), keep="--keep" in argv, reuse="--reuse" in argv
    )
    report(result, small, large)
    out = (
        Path(__file__).resolve().parents[2]
        / "var"
        / "bench"
        / f"growth-{time.strftime('%Y%m%dT%H%M%S')}.json"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str))
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
