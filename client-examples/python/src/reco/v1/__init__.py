"""reco.v1: Recommender (recommender_pb2, recommender_pb2_grpc) and Admin (admin_pb2, admin_pb2_grpc)."""
