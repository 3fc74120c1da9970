// Command reco-client-example walks through the reco.v1 gRPC API with generated Go stubs.
//
// Usage: reco-client-example [address [item-id [user-id]]]   (defaults: localhost:50051 1 1)
//
// Every step prints one greppable line (e.g. "similar: item=1 k=5 got=5"), the same lines as the
// Java, Python and Node.js examples. Exit codes: 0 every step behaved as documented, 1 an unexpected
// status or answer, 2 bad command line.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	recov1 "github.com/reco-engine/reco/client-examples/go/recov1"
)

const (
	defaultAddress = "localhost:50051"
	defaultItemID  = "1"
	defaultUserID  = "1"
	// Ids no generation should contain: the server must answer the user with popular items and the
	// item with NOT_FOUND.
	unknownUserID = "no-such-user-42"
	unknownItemID = "no-such-item"
	k             = 5
	// Every call carries a deadline so that a stuck server cannot hang the client.
	deadline = 2 * time.Second
	// The health check is the first call; its deadline also covers connecting, which can take seconds
	// on a busy machine.
	firstCallDeadline = 10 * time.Second

	exitOK         = 0
	exitUnexpected = 1
	exitUsage      = 2
)

// unexpectedAnswer: a call succeeded, or failed with a status, that contradicts the documented contract.
type unexpectedAnswer struct{ message string }

func (e *unexpectedAnswer) Error() string { return e.message }

type walkthrough struct {
	recommender recov1.RecommenderClient
	health      healthpb.HealthClient
	step        string
}

// call gives each RPC its own deadline: a deadline is absolute, so it cannot be shared.
func call[T any](rpc func(ctx context.Context) (T, error)) (T, error) {
	return callWithin(deadline, rpc)
}

func callWithin[T any](timeout time.Duration, rpc func(ctx context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return rpc(ctx)
}

func (w *walkthrough) run(itemID, userID string) error {
	steps := []struct {
		name   string
		action func() error
	}{
		{"health", w.checkHealth},
		{"model-info", w.printModelInfo},
		{"similar", func() error { return w.similarItems(itemID) }},
		{"user-known", func() error { return w.recommendForUser(userID) }},
		{"user-unknown", w.recommendForUnknownUser},
		{"items", func() error { return w.recommendForItems(itemID) }},
		{"batch", func() error { return w.batchSimilarItems(itemID) }},
		{"error-not-found", w.expectNotFound},
		{"error-invalid-argument", func() error { return w.expectInvalidArgument(itemID) }},
	}
	for _, step := range steps {
		w.step = step.name
		if err := step.action(); err != nil {
			return err
		}
	}
	return nil
}

func (w *walkthrough) checkHealth() error {
	response, err := callWithin(firstCallDeadline, func(ctx context.Context) (*healthpb.HealthCheckResponse, error) {
		return w.health.Check(ctx, &healthpb.HealthCheckRequest{Service: "reco.v1.Recommender"})
	})
	if err != nil {
		return err
	}
	fmt.Printf("health: %s\n", response.GetStatus())
	if response.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		return &unexpectedAnswer{fmt.Sprintf("server is %s (no model generation loaded yet?)", response.GetStatus())}
	}
	return nil
}

func (w *walkthrough) printModelInfo() error {
	info, err := call(func(ctx context.Context) (*recov1.ModelInfo, error) {
		return w.recommender.GetModelInfo(ctx, &recov1.GetModelInfoRequest{})
	})
	if err != nil {
		return err
	}
	fmt.Printf("model-info: generation=%s items=%d users=%d interactions=%d default_model=%s\n",
		info.GetGenerationId(), info.GetItemCount(), info.GetUserCount(), info.GetInteractionCount(),
		info.GetDefaultModel())
	return nil
}

func (w *walkthrough) similarItems(itemID string) error {
	response, err := call(func(ctx context.Context) (*recov1.RecommendResponse, error) {
		return w.recommender.SimilarItems(ctx, &recov1.SimilarItemsRequest{ItemId: itemID, K: k})
	})
	if err != nil {
		return err
	}
	fmt.Printf("similar to %s:\n", w.displayName(itemID))
	printItems(response.GetItems())
	fmt.Printf("similar: item=%s k=%d got=%d served_by=%s\n", itemID, k, len(response.GetItems()), response.GetServedBy())
	return nil
}

func (w *walkthrough) recommendForUser(userID string) error {
	response, err := call(func(ctx context.Context) (*recov1.RecommendResponse, error) {
		return w.recommender.RecommendForUser(ctx, &recov1.RecommendForUserRequest{UserId: userID, K: k})
	})
	if err != nil {
		return err
	}
	fmt.Printf("for user %s:\n", userID)
	printItems(response.GetItems())
	fmt.Printf("user-known: user=%s got=%d served_by=%s fallback=%t\n",
		userID, len(response.GetItems()), response.GetServedBy(), response.GetFallback())
	return nil
}

func (w *walkthrough) recommendForUnknownUser() error {
	response, err := call(func(ctx context.Context) (*recov1.RecommendResponse, error) {
		return w.recommender.RecommendForUser(ctx, &recov1.RecommendForUserRequest{UserId: unknownUserID, K: k})
	})
	if err != nil {
		return err
	}
	fmt.Printf("for unknown user %s:\n", unknownUserID)
	printItems(response.GetItems())
	// The reason is free text, so it goes last on the line.
	fmt.Printf("user-unknown: fallback=%t user=%s got=%d served_by=%s reason=%s\n",
		response.GetFallback(), unknownUserID, len(response.GetItems()), response.GetServedBy(),
		response.GetFallbackReason())
	return nil
}

func (w *walkthrough) recommendForItems(itemID string) error {
	basket := []string{itemID, neighbourID(itemID)}
	response, err := call(func(ctx context.Context) (*recov1.RecommendResponse, error) {
		return w.recommender.RecommendForItems(ctx, &recov1.RecommendForItemsRequest{ItemIds: basket, K: k})
	})
	if err != nil {
		return err
	}
	fmt.Printf("for items %s:\n", strings.Join(basket, ","))
	printItems(response.GetItems())
	fmt.Printf("items: items=%s got=%d served_by=%s\n", strings.Join(basket, ","), len(response.GetItems()),
		response.GetServedBy())
	return nil
}

// batchSimilarItems sends a batch whose second query is for an unknown item: the batch succeeds and
// carries a per-query NOT_FOUND.
func (w *walkthrough) batchSimilarItems(itemID string) error {
	response, err := call(func(ctx context.Context) (*recov1.BatchRecommendResponse, error) {
		return w.recommender.BatchSimilarItems(ctx, &recov1.BatchSimilarItemsRequest{Requests: []*recov1.SimilarItemsRequest{
			{ItemId: itemID, K: k, OmitMetadata: true},
			{ItemId: unknownItemID, K: k},
		}})
	})
	if err != nil {
		return err
	}
	ok, notFound := 0, 0
	for _, result := range response.GetResults() {
		switch codes.Code(result.GetStatusCode()) {
		case codes.OK:
			ok++
		case codes.NotFound:
			notFound++
		}
	}
	fmt.Printf("batch: results=%d ok=%d not_found=%d\n", len(response.GetResults()), ok, notFound)
	return nil
}

func (w *walkthrough) expectNotFound() error {
	return expectStatus("error-not-found", codes.NotFound, func(ctx context.Context) error {
		_, err := w.recommender.SimilarItems(ctx, &recov1.SimilarItemsRequest{ItemId: unknownItemID, K: k})
		return err
	})
}

func (w *walkthrough) expectInvalidArgument(itemID string) error {
	return expectStatus("error-invalid-argument", codes.InvalidArgument, func(ctx context.Context) error {
		_, err := w.recommender.SimilarItems(ctx, &recov1.SimilarItemsRequest{ItemId: itemID, K: 0})
		return err
	})
}

func expectStatus(step string, expected codes.Code, rpc func(ctx context.Context) error) error {
	_, err := call(func(ctx context.Context) (struct{}, error) { return struct{}{}, rpc(ctx) })
	if err == nil {
		return &unexpectedAnswer{fmt.Sprintf("%s: expected %s, but the call succeeded", step, codeName(expected))}
	}
	got := status.Convert(err)
	if got.Code() != expected {
		return &unexpectedAnswer{fmt.Sprintf("%s: expected %s, got %s: %s", step, codeName(expected),
			codeName(got.Code()), got.Message())}
	}
	fmt.Printf("%s as expected: %s\n", codeName(expected), got.Message())
	fmt.Printf("%s: ok\n", step)
	return nil
}

// displayName is the item's title, looked up with a one-item allow-list; the id when the server has no
// title for it. Best effort: the example must not fail because of it.
func (w *walkthrough) displayName(itemID string) string {
	response, err := call(func(ctx context.Context) (*recov1.RecommendResponse, error) {
		return w.recommender.RecommendForItems(ctx, &recov1.RecommendForItemsRequest{
			ItemIds: []string{itemID}, K: 1, IncludeInputItems: true,
			Filter: &recov1.Filter{AllowItemIds: []string{itemID}},
		})
	})
	if err != nil {
		return itemID
	}
	for _, item := range response.GetItems() {
		if item.GetItemId() == itemID && item.GetTitle() != "" {
			return item.GetTitle()
		}
	}
	return itemID
}

func printItems(items []*recov1.ScoredItem) {
	for i, item := range items {
		fmt.Printf("  %d. item=%s score=%.4f title=%s categories=%s\n", i+1, item.GetItemId(), item.GetScore(),
			item.GetTitle(), strings.Join(item.GetCategories(), "|"))
	}
}

// neighbourID is a second item for the basket: the numeric successor in the demo catalogue, else the
// item again.
func neighbourID(itemID string) string {
	if n, err := strconv.ParseUint(itemID, 10, 63); err == nil {
		return strconv.FormatUint(n+1, 10)
	}
	return itemID
}

// codeName spells a status code as the proto enum does (NOT_FOUND), like the other examples, rather
// than Go's CamelCase String().
func codeName(code codes.Code) string {
	names := map[codes.Code]string{
		codes.OK: "OK", codes.Canceled: "CANCELLED", codes.Unknown: "UNKNOWN",
		codes.InvalidArgument: "INVALID_ARGUMENT", codes.DeadlineExceeded: "DEADLINE_EXCEEDED",
		codes.NotFound: "NOT_FOUND", codes.AlreadyExists: "ALREADY_EXISTS",
		codes.PermissionDenied: "PERMISSION_DENIED", codes.ResourceExhausted: "RESOURCE_EXHAUSTED",
		codes.FailedPrecondition: "FAILED_PRECONDITION", codes.Aborted: "ABORTED",
		codes.OutOfRange: "OUT_OF_RANGE", codes.Unimplemented: "UNIMPLEMENTED", codes.Internal: "INTERNAL",
		codes.Unavailable: "UNAVAILABLE", codes.DataLoss: "DATA_LOSS", codes.Unauthenticated: "UNAUTHENTICATED",
	}
	if name, ok := names[code]; ok {
		return name
	}
	return code.String()
}

func run(args []string) int {
	if len(args) > 3 || (len(args) > 0 && (args[0] == "-h" || args[0] == "--help")) {
		fmt.Fprintf(os.Stderr, "usage: reco-client-example [address [item-id [user-id]]]   (defaults: %s %s %s)\n",
			defaultAddress, defaultItemID, defaultUserID)
		return exitUsage
	}
	address, itemID, userID := defaultAddress, defaultItemID, defaultUserID
	if len(args) > 0 {
		address = args[0]
	}
	if len(args) > 1 {
		itemID = args[1]
	}
	if len(args) > 2 {
		userID = args[2]
	}

	// Plaintext to a local server; use grpc.WithTransportCredentials for anything else. WithInsecure
	// rather than insecure.NewCredentials(): the latter needs grpc >= 1.34 and Debian 12 ships 1.33.
	conn, err := grpc.Dial(address, grpc.WithInsecure())
	if err != nil {
		fmt.Fprintf(os.Stderr, "FAILED at connect: %v\n", err)
		return exitUnexpected
	}
	defer conn.Close()

	w := &walkthrough{recommender: recov1.NewRecommenderClient(conn), health: healthpb.NewHealthClient(conn), step: "connect"}
	if err := w.run(itemID, userID); err != nil {
		var unexpected *unexpectedAnswer
		if errors.As(err, &unexpected) {
			fmt.Fprintf(os.Stderr, "FAILED at %s: %s\n", w.step, unexpected.message)
		} else {
			got := status.Convert(err)
			fmt.Fprintf(os.Stderr, "FAILED at %s: unexpected status %s: %s\n", w.step, codeName(got.Code()), got.Message())
		}
		return exitUnexpected
	}
	fmt.Println("done")
	return exitOK
}

func main() {
	os.Exit(run(os.Args[1:]))
}
