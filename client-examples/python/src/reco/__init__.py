"""Python stubs of the reco gRPC API (package reco.v1) and of the standard health service."""
