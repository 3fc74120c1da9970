"""grpc.health.v1 (health_pb2, health_pb2_grpc), as the reco server reports it."""
