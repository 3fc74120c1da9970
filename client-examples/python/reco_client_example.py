#!/usr/bin/python3
"""A walk through the reco.v1 gRPC API with generated Python stubs.

Usage: reco_client_example.py [address [item-id [user-id]]]   (defaults: localhost:50051 1 1)

The stubs come from the reco-client package in src/ (installed with `pip install .`, or found beside
this file in a checkout). Every step prints one greppable line (e.g. ``similar: item=1 k=5 got=5``),
the same lines as the Java, Node.js and Go examples. Exit codes: 0 every step behaved as documented,
1 an unexpected status or answer, 2 bad command line.
"""

import os
import sys

# In a checkout, the package sources beside this file (an installed reco-client works the same).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "src"))

try:
    import grpc
    from reco.health.v1 import health_pb2, health_pb2_grpc
    from reco.v1 import recommender_pb2 as reco, recommender_pb2_grpc as reco_grpc
except ImportError as e:
    sys.exit(f"cannot import grpc or the reco stubs ({e}); pip install client-examples/python, or install grpcio and protobuf")

DEFAULT_ADDRESS = "localhost:50051"
DEFAULT_ITEM_ID = "1"
DEFAULT_USER_ID = "1"
# Ids no generation should contain: the server must answer the user with popular items and the item
# with NOT_FOUND.
UNKNOWN_USER_ID = "no-such-user-42"
UNKNOWN_ITEM_ID = "no-such-item"
K = 5
# Every call carries a deadline so that a stuck server cannot hang the client.
DEADLINE_SECONDS = 2.0
# The health check is the first call; its deadline also covers connecting, which can take seconds on a
# busy machine.
FIRST_CALL_DEADLINE_SECONDS = 10.0

EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE = 0, 1, 2


class UnexpectedAnswer(Exception):
    """A call succeeded, or failed with a status, that contradicts the documented contract."""


def model_name(value):
    return reco.Model.Name(value)


def print_items(items):
    for rank, item in enumerate(items, start=1):
        print(f"  {rank}. item={item.item_id} score={item.score:.4f} title={item.title}"
              f" categories={'|'.join(item.categories)}")


def neighbour_id(item_id):
    """A second item for the basket: the numeric successor in the demo catalogue, else the item again."""
    try:
        return str(int(item_id) + 1)
    except ValueError:
        return item_id


class Walkthrough:
    def __init__(self, channel):
        self.recommender = reco_grpc.RecommenderStub(channel)
        self.health = health_pb2_grpc.HealthStub(channel)
        self.step = "connect"

    def run(self, item_id, user_id):
        for self.step, action in [
            ("health", self.check_health),
            ("model-info", self.print_model_info),
            ("similar", lambda: self.similar_items(item_id)),
            ("user-known", lambda: self.recommend_for_user(user_id)),
            ("user-unknown", self.recommend_for_unknown_user),
            ("items", lambda: self.recommend_for_items(item_id)),
            ("batch", lambda: self.batch_similar_items_async(item_id)),
            ("error-not-found", self.expect_not_found),
            ("error-invalid-argument", lambda: self.expect_invalid_argument(item_id)),
        ]:
            action()

    def check_health(self):
        response = self.health.Check(health_pb2.HealthCheckRequest(service="reco.v1.Recommender"),
                                     timeout=FIRST_CALL_DEADLINE_SECONDS)
        status = health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)
        print(f"health: {status}")
        if response.status != health_pb2.HealthCheckResponse.SERVING:
            raise UnexpectedAnswer(f"server is {status} (no model generation loaded yet?)")

    def print_model_info(self):
        info = self.recommender.GetModelInfo(reco.GetModelInfoRequest(), timeout=DEADLINE_SECONDS)
        print(f"model-info: generation={info.generation_id} items={info.item_count} users={info.user_count}"
              f" interactions={info.interaction_count} default_model={model_name(info.default_model)}")

    def similar_items(self, item_id):
        response = self.recommender.SimilarItems(reco.SimilarItemsRequest(item_id=item_id, k=K),
                                                 timeout=DEADLINE_SECONDS)
        print(f"similar to {self.display_name(item_id)}:")
        print_items(response.items)
        print(f"similar: item={item_id} k={K} got={len(response.items)}"
              f" served_by={model_name(response.served_by)}")

    def recommend_for_user(self, user_id):
        response = self.recommender.RecommendForUser(reco.RecommendForUserRequest(user_id=user_id, k=K),
                                                     timeout=DEADLINE_SECONDS)
        print(f"for user {user_id}:")
        print_items(response.items)
        print(f"user-known: user={user_id} got={len(response.items)}"
              f" served_by={model_name(response.served_by)} fallback={str(response.fallback).lower()}")

    def recommend_for_unknown_user(self):
        response = self.recommender.RecommendForUser(
            reco.RecommendForUserRequest(user_id=UNKNOWN_USER_ID, k=K), timeout=DEADLINE_SECONDS)
        print(f"for unknown user {UNKNOWN_USER_ID}:")
        print_items(response.items)
        # The reason is free text, so it goes last on the line.
        print(f"user-unknown: fallback={str(response.fallback).lower()} user={UNKNOWN_USER_ID}"
              f" got={len(response.items)} served_by={model_name(response.served_by)}"
              f" reason={response.fallback_reason}")

    def recommend_for_items(self, item_id):
        basket = [item_id, neighbour_id(item_id)]
        response = self.recommender.RecommendForItems(reco.RecommendForItemsRequest(item_ids=basket, k=K),
                                                      timeout=DEADLINE_SECONDS)
        print(f"for items {','.join(basket)}:")
        print_items(response.items)
        print(f"items: items={','.join(basket)} got={len(response.items)}"
              f" served_by={model_name(response.served_by)}")

    def batch_similar_items_async(self, item_id):
        """A batch whose second query is for an unknown item: the batch succeeds and carries a
        per-query NOT_FOUND. Issued with .future() to show the non-blocking form."""
        request = reco.BatchSimilarItemsRequest(requests=[
            reco.SimilarItemsRequest(item_id=item_id, k=K, omit_metadata=True),
            reco.SimilarItemsRequest(item_id=UNKNOWN_ITEM_ID, k=K),
        ])
        future = self.recommender.BatchSimilarItems.future(request, timeout=DEADLINE_SECONDS)
        response = future.result()  # raises the call's grpc.RpcError on failure
        codes = [result.status_code for result in response.results]
        ok = codes.count(grpc.StatusCode.OK.value[0])
        not_found = codes.count(grpc.StatusCode.NOT_FOUND.value[0])
        print(f"batch: results={len(codes)} ok={ok} not_found={not_found}")

    def expect_not_found(self):
        self.expect_status("error-not-found", grpc.StatusCode.NOT_FOUND, lambda: self.recommender.SimilarItems(
            reco.SimilarItemsRequest(item_id=UNKNOWN_ITEM_ID, k=K), timeout=DEADLINE_SECONDS))

    def expect_invalid_argument(self, item_id):
        self.expect_status("error-invalid-argument", grpc.StatusCode.INVALID_ARGUMENT,
                           lambda: self.recommender.SimilarItems(
                               reco.SimilarItemsRequest(item_id=item_id, k=0), timeout=DEADLINE_SECONDS))

    @staticmethod
    def expect_status(step, expected, call):
        try:
            call()
        except grpc.RpcError as e:
            if e.code() == expected:
                print(f"{expected.name} as expected: {e.details()}")
                print(f"{step}: ok")
                return
            raise UnexpectedAnswer(f"{step}: expected {expected.name}, got {e.code().name}: {e.details()}")
        raise UnexpectedAnswer(f"{step}: expected {expected.name}, but the call succeeded")

    def display_name(self, item_id):
        """The item's title, looked up with a one-item allow-list; the id when the server has no title
        for it. Best effort: the example must not fail because of it."""
        try:
            response = self.recommender.RecommendForItems(
                reco.RecommendForItemsRequest(item_ids=[item_id], k=1, include_input_items=True,
                                              filter=reco.Filter(allow_item_ids=[item_id])),
                timeout=DEADLINE_SECONDS)
        except grpc.RpcError:
            return item_id
        for item in response.items:
            if item.item_id == item_id and item.title:
                return item.title
        return item_id


def main(argv):
    if len(argv) > 3 or (argv and argv[0] in ("-h", "--help")):
        print(f"usage: reco_client_example.py [address [item-id [user-id]]]   (defaults: "
              f"{DEFAULT_ADDRESS} {DEFAULT_ITEM_ID} {DEFAULT_USER_ID})", file=sys.stderr)
        return EXIT_USAGE
    address = argv[0] if len(argv) > 0 else DEFAULT_ADDRESS
    item_id = argv[1] if len(argv) > 1 else DEFAULT_ITEM_ID
    user_id = argv[2] if len(argv) > 2 else DEFAULT_USER_ID

    # Plaintext to a local server; use grpc.secure_channel with credentials for anything else.
    with grpc.insecure_channel(address) as channel:
        walkthrough = Walkthrough(channel)
        try:
            walkthrough.run(item_id, user_id)
        except UnexpectedAnswer as e:
            print(f"FAILED at {walkthrough.step}: {e}", file=sys.stderr)
            return EXIT_UNEXPECTED
        except grpc.RpcError as e:
            print(f"FAILED at {walkthrough.step}: unexpected status {e.code().name}: {e.details()}",
                  file=sys.stderr)
            return EXIT_UNEXPECTED
    print("done")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
