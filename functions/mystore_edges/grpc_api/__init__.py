"""grpc-api: the store's RPCs over gRPC (h2c), calling the RPC functions that serve them."""
