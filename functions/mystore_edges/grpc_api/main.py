"""grpc-api: the auth, catalog, order, shipping and analytics services over gRPC (h2c).

Every method calls the RPC function that serves it, as the BFF does (grpc_api.servicers); server
reflection and grpc.health.v1 come with it. It holds no database and no signing key. `mystore_kit.serve`
runs `main(address=...)` for functions whose trigger is grpc, on Settings.host and $PORT (locally
the declared port, 8090).

    grpcurl -plaintext 127.0.0.1:8090 list          (docs/grpc.md has more)
"""

from mystore_edges.grpc_api.server import serve

main = serve
