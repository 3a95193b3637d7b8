"""functions/functions.yaml: the one list of functions and subscriptions, as typed objects."""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DECLARATION = Path(__file__).resolve().parents[1] / "functions.yaml"
TRIGGERS = {"http", "rpc", "event", "ping", "grpc"}


@dataclass(frozen=True)
class Function:
    name: str
    source: str  # relative to functions/
    service: str
    trigger: str
    port: int
    request: str = ""
    public: bool = False
    schedule: str = ""  # ping only: cron schedule of the PingSource
    threads: int = 0  # requests worked on at once; 0: Settings.threads (MYSTORE_THREADS) decides
    streams: int = 0  # open event streams besides them (the BFF's live status); 0: Settings.max_streams

    @property
    def path(self) -> Path:
        return DECLARATION.parent / self.source


@dataclass(frozen=True)
class Delivery:
    retry: int
    backoffPolicy: str  # noqa: N815 - Knative's field names
    backoffDelay: str  # noqa: N815
    deadLetterSink: str  # noqa: N815


@dataclass(frozen=True)
class Subscription:
    name: str
    topic: str
    consumerGroup: str  # noqa: N815
    sink: str
    types: tuple[str, ...]
    delivery: Delivery


@dataclass(frozen=True)
class Declaration:
    functions: tuple[Function, ...]
    subscriptions: tuple[Subscription, ...] = field(default=())

    def function(self, name: str) -> Function:
        for function in self.functions:
            if function.name == name:
                return function
        raise KeyError(f"no function named {name!r} in {DECLARATION.name}")


@cache
def load_declaration(path: Path = DECLARATION) -> Declaration:
    raw = yaml.safe_load(path.read_text())
    functions = tuple(Function(**item) for item in raw["functions"])
    default = raw.get("delivery") or {}
    subscriptions = tuple(
        Subscription(
            **{
                **item,
                "types": tuple(item["types"]),
                "delivery": Delivery(**{**default, **item.get("delivery", {})}),
            }
        )
        for item in raw.get("subscriptions") or ()
    )
    declaration = Declaration(functions=functions, subscriptions=subscriptions)
    check(declaration)
    return declaration


def check(declaration: Declaration) -> None:
    """Fails on a declaration that cannot be deployed (dangling sinks, clashing names or ports)."""
    names = [f.name for f in declaration.functions]
    ports = [f.port for f in declaration.functions]
    problems = []
    if len(set(names)) != len(names):
        problems.append("function names repeat")
    if len(set(ports)) != len(ports):
        problems.append("function ports repeat")
    for function in declaration.functions:
        if function.trigger not in TRIGGERS:
            problems.append(f"{function.name}: unknown trigger {function.trigger!r}")
        if (function.trigger == "rpc") != bool(function.request):
            problems.append(f"{function.name}: `request` is required for rpc functions, and only for them")
    for sub in declaration.subscriptions:
        for target in (sub.sink, sub.delivery.deadLetterSink):
            if target not in names:
                problems.append(f"subscription {sub.name}: no function named {target!r}")
    if problems:
        raise ValueError(f"{DECLARATION.name}: " + "; ".join(problems))
