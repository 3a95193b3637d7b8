"""grpc-api: the store's RPCs over gRPC (h2c), calling the handlers the CloudEvent functions call."""
