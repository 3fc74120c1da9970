module github.com/reco-engine/reco/client-examples/go

// The stubs in recov1/ (package recov1: Recommender and Admin) are generated with the grpc-go
// SupportPackageIsVersion7 API, which every grpc-go from 1.33 to the current release compiles. The
// health client comes from grpc-go itself (google.golang.org/grpc/health/grpc_health_v1).
// With the module proxy: `go mod tidy` once (writes go.sum), then `go build ./...`.
go 1.24

require (
	google.golang.org/grpc v1.85.0
	google.golang.org/protobuf v1.36.12
)
