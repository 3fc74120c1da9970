module reco.example/client

// Versions match Debian 12's packages (golang-google-grpc-dev 1.33.3, golang-google-protobuf-dev 1.28.1,
// golang-github-golang-protobuf-1-5-dev 1.5.2), the set build.sh builds offline. With the module proxy,
// run `go mod tidy` once to fetch them and write go.sum, then `go build`.
go 1.19

require (
	google.golang.org/grpc v1.33.3
	google.golang.org/protobuf v1.28.1
)

require github.com/golang/protobuf v1.5.2 // indirect
