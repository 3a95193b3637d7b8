"""The code's structure: imports run one way, and the laptop's stand-ins stay out of the functions.

The import graph is read from every module's source (ast), with the imports inside functions too,
so a cycle hidden behind a function-local import counts.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUNCTIONS = ROOT / "functions"
PACKAGES = ("mystore_kit", "mystore_services", "mystore_edges")  # what ships in the image
LOCAL = "mystore_local"  # what stands in for Knative on one machine


def module_name(path: Path, base: Path) -> str:
    return ".".join(path.relative_to(base).with_suffix("").parts).removesuffix(".__init__")


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (FUNCTIONS / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[module_name(path, FUNCTIONS)] = path
    for path in (ROOT / LOCAL).rglob("*.py"):
        found[module_name(path, ROOT)] = path
    return found


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """The project modules `path` imports, anywhere in it (`from a import b` counts a and a.b)."""
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert not node.level, f"{path}: a relative import (the project imports by full name)"
            targets |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return {target for target in targets if target in known and target != name}


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(path, name, set(found)) for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in edges[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in edges:
        if node not in index:
            visit(node)
    return groups


def test_the_graph_is_read_from_the_code():
    edges = graph()
    assert "mystore_kit.events.outbox" in edges["mystore_kit.events.publisher"]
    assert "mystore_kit.database" in edges["mystore_kit.events.outbox"]
    assert (
        "mystore_kit.events.publisher" in edges["mystore_local.serve"]
        or "mystore_kit.serve" in edges["mystore_local.serve"]
    )


def test_the_cycle_finder_finds_a_hidden_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_anywhere():
    assert cycles(graph()) == []


def test_the_backbone_imports_one_way():
    """publisher -> outbox -> database, never back; the transport seam knows no storage."""
    edges = graph()
    assert "mystore_kit.events.publisher" not in edges["mystore_kit.events.outbox"]
    assert not {m for m in edges["mystore_kit.events.transport"] if m != "mystore_kit.events.envelope"}
    assert not {m for m in edges["mystore_kit.events.envelope"]}


def test_nothing_that_ships_imports_the_local_stand_ins():
    edges = graph()
    shipped = {name: deps for name, deps in edges.items() if name.split(".")[0] in PACKAGES}
    offenders = {name: sorted(d for d in deps if d.startswith(LOCAL)) for name, deps in shipped.items()}
    assert {name: deps for name, deps in offenders.items() if deps} == {}


def test_services_do_not_import_each_other_nor_the_edges():
    edges = graph()
    for name, deps in edges.items():
        parts = name.split(".")
        if parts[0] != "mystore_services":
            continue
        others = {d for d in deps if d.startswith("mystore_services.") and d.split(".")[1] != parts[1]}
        assert not others, f"{name} imports another service: {sorted(others)}"
        assert not {d for d in deps if d.startswith("mystore_edges")}, name


def test_the_edges_reach_no_service_database():
    """The BFF and grpc-api call the functions; they import no service's models or handlers."""
    edges = graph()
    for name, deps in edges.items():
        if name.startswith("mystore_edges"):
            touched = {
                d
                for d in deps
                if d.startswith("mystore_services.") and d.rsplit(".", 1)[-1] in ("models", "handlers")
            }
            assert not touched, f"{name} reaches a service's data: {sorted(touched)}"
