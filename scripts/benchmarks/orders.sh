#!/usr/bin/env bash
# POST /api/orders through the BFF under load (DESIGN.md budget: 1,000 orders/s, p99 under 50 ms,
# PostgreSQL with synchronous commit on). Measures with wrk (Debian's), asserts nothing.
#   ./scripts/bench orders [SECONDS] [CONNECTIONS]    against a running store at $BASE_URL
# Start the store first, e.g. ./scripts/dev --postgres --kafka (wrk and the store share the cores).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib/common.sh"
MYSTORE_LOG_TAG=bench
command -v wrk >/dev/null || apt_install wrk
base="${BASE_URL:-http://127.0.0.1:8080}"
seconds="${1:-15}" connections="${2:-16}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

email="bench-$(date +%s%N)@example.com"
curl -sf "$base/api/auth/register" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"correct horse\"}" >/dev/null || die "is the store running at $base?"
token=$(curl -sf "$base/api/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"correct horse\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
product=$(curl -sf "$base/api/products" | python3 -c 'import json,sys; print(json.load(sys.stdin)["products"][0]["id"])')

cat >"$work/orders.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
wrk.body = '{"items":[{"productId":"$product","quantity":1}],"shippingAddress":{"recipientName":"Bench Mark","line1":"Unter den Linden 77","city":"Berlin","postalCode":"10117","country":"DE"}}'
local failures = 0
response = function(status) if status ~= 201 then failures = failures + 1 end end
done = function(summary, latency, requests)
  io.write(string.format("orders/s %.0f  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  non-201: %d of %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, summary.errors.status, summary.requests))
end
LUA
log "POST /api/orders for ${seconds}s with $connections connections, 2 threads, against $base"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/orders.lua" "$base/api/orders"
echo "machine: $(nproc) cores; load average $(cut -d' ' -f1 /proc/loadavg)"
