"""The one Settings class: the only place my-store reads its environment (prefix MYSTORE_)."""

from functools import cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MYSTORE_", extra="ignore")

    # The function this process runs (a name from functions/functions.yaml).
    function: str = ""
    # Serving: Knative sets PORT; locally the declaration's port is used.
    port: int | None = Field(default=None, validation_alias="PORT")
    host: str = "127.0.0.1"
    # Admission (kit.admission): a function works on at most `threads` requests at once; up to
    # `admission_queue` more wait at most `admission_wait_seconds` for a turn; the rest are answered
    # 503 with `Retry-After: retry_after_seconds` at once. Open event streams (the BFF's live status)
    # are bounded by `max_streams` instead. `admission` off: every request waits for one of
    # `threads` threads in cheroot's unbounded queue (no shedding: for comparison only).
    threads: int = Field(default=8, ge=1)
    admission: bool = True
    admission_queue: int = Field(default=8, ge=0)
    admission_wait_seconds: float = Field(default=0.25, ge=0)
    retry_after_seconds: int = Field(default=1, ge=1)
    max_streams: int = Field(default=32, ge=0)  # 0: streams unbounded
    # A request's deadline when its caller sent no Request-Timeout-Ms (kit.admission).
    request_timeout_seconds: float = Field(default=10.0, gt=0)
    # The largest request body a function or the BFF reads; a larger one is answered 413 unread.
    max_body_bytes: int = Field(default=1_048_576, ge=1024)

    # Where local state lives: SQLite files, generated dev keys, logs.
    var_dir: Path = REPO_ROOT / "var"

    # Database of the service, by URL. `{service}` is replaced by the service name, so one value can
    # serve every function locally. Default: one SQLite file per service under var_dir.
    database_url: str = "sqlite:///{var_dir}/db/{service}.sqlite"
    database_pool_size: int = 5
    sqlite_busy_timeout_ms: int = 5000

    # How functions reach each other: `{name}` is the function name, `{port}` its local port.
    function_url_template: str = "http://127.0.0.1:{port}"
    function_timeout_seconds: float = 10.0  # a call waits this long at most, and never past the deadline
    catalog_cache_seconds: float = 5.0  # order-create prices from a catalog copy this old at most

    # Events: the Kafka broker kit.serve publishes to (the local runner without one: mystore_local).
    kafka_bootstrap_servers: str = ""
    kafka_topic_prefix: str = ""  # before every topic name: the chart's release scope ("" for my-store)
    outbox_fast_path: bool = True  # publish right after commit; off: the relay alone publishes
    outbox_claim_seconds: float = 30.0  # a claimed row is retried by the relay after this long
    outbox_relay_grace_seconds: float = 10.0  # the relay leaves younger rows to the fast path
    outbox_retention_seconds: float = 86400.0  # published rows are deleted after this long
    # Consumers forget an applied event after this long (8 days): longer than the broker keeps it
    # (7 days, the chart's kafka.topics.*.retentionMs), so a redelivery always finds its row.
    inbox_retention_seconds: float = Field(default=8 * 86400.0, ge=0)
    delivery_timeout_seconds: float = 10.0
    local_ping_seconds: float = 5.0  # ./scripts/dev's stand-in for the relays' PingSources

    # Observability. Logs: one JSON object per line, at this level and up (kit.logs).
    log_level: str = "INFO"
    # Tracing is off unless this names a Zipkin collector, e.g. http://127.0.0.1:9411/api/v2/spans
    # (kit.tracing); spans are exported in batches this often.
    tracing_endpoint: str = ""
    tracing_export_seconds: float = 0.5
    # The trace UI the storefront links an order's trace to (Zipkin's, e.g.
    # http://127.0.0.1:9411/zipkin: <this>/traces/<trace id>); unset: no link (the BFF, journey).
    trace_ui_url: str = ""
    # Where a process without an HTTP server of its own (grpc-api, the local dispatcher) serves
    # /metrics; unset: grpc-api its port + 1, the dispatcher 8180 (kit.metrics).
    metrics_port: int | None = None

    # JWT signing: PEM texts (from a Secret on the cluster) or, when empty, the dev key files
    # generated under var_dir/keys by `python -m mystore_kit.tokens --generate`.
    jwt_private_key: SecretStr = SecretStr("")
    jwt_public_key: str = ""
    jwt_issuer: str = "my-store"
    jwt_audience: str = "my-store"
    jwt_ttl_seconds: int = 3600

    bcrypt_cost: int = Field(default=12, ge=4, le=31)
    # Passwords hashed or checked at once per process (auth.passwords): the cores given to auth.
    password_hash_threads: int = Field(default=2, ge=1)
    # Register/login requests in flight at once per BFF process (bff.auth); more are answered 503.
    # Below `threads`, so that a login storm leaves the BFF threads for the rest of the API.
    bff_password_requests: int = Field(default=4, ge=1)

    # Storefront and API.
    admin_emails: Annotated[list[str], NoDecode] = []
    cors_origins: Annotated[list[str], NoDecode] = ["http://127.0.0.1:5173", "http://localhost:5173"]
    # The proxies in front of the edges whose X-Forwarded-For entries are believed (mystore_kit.
    # addresses): loopback and the private networks, where a cluster's nodes and pods live.
    # Narrow it to the cluster's networks when clients themselves come from private addresses.
    trusted_proxies: Annotated[list[IPv4Network | IPv6Network], NoDecode] = [
        ip_network(network)
        for network in ("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7")
    ]
    session_cookie: str = "mystore_session"
    cookie_secure: bool = False
    static_dir: Path = REPO_ROOT / "frontend" / "dist"

    @field_validator("admin_emails", "cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("admin_emails")
    @classmethod
    def _normalise_emails(cls, value: list[str]) -> list[str]:
        return [email.strip().casefold() for email in value]

    def database_url_for(self, service: str) -> str:
        return self.database_url.format(service=service, var_dir=self.var_dir)


@cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
