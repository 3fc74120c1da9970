package reco.server;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.v1.GetModelInfoRequest;
import reco.v1.ModelInfo;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;
import reco.v1.SimilarItemsRequest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client threads call the server without pause while generations are published under it, one of
 * them corrupt: no call may fail, every good generation must be picked up and answer, and every
 * answer must be self-consistent with the generation it names (GetModelInfo's item count is that
 * generation's, so a call never mixes two generations).
 */
class SwapUnderLoadTest {
    private static final int CLIENT_THREADS = 3;
    /** Item counts of the published generations, in order; each good one differs, so answers tell them apart. */
    private static final int[] GENERATION_ITEMS = {12, 13, 14, 15};

    @TempDir
    Path root;

    @Test
    void generationsSwapUnderLoadWithoutAFailedCall() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<String, Integer> itemsByGeneration = new ConcurrentHashMap<>();
        Path first = TestGenerations.write(root, GENERATION_ITEMS[0]);
        itemsByGeneration.put(first.getFileName().toString(), GENERATION_ITEMS[0]);
        ModelHolder models = new ModelHolder(root, registry);
        models.loadCurrent();
        models.startWatching(Duration.ofMillis(20));

        ExecutorService callExecutor = Executors.newFixedThreadPool(2);
        String name = InProcessServerBuilder.generateName();
        RecoServer server = new RecoServer(InProcessServerBuilder.forName(name).executor(callExecutor), models, registry)
                .start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(channel);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong calls = new AtomicLong();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Set<String> answeredBy = ConcurrentHashMap.newKeySet();
        Map<String, Set<Integer>> reportedItems = new ConcurrentHashMap<>();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < CLIENT_THREADS; t++) {
            Thread client = new Thread(() -> {
                while (running.get()) {
                    try {
                        RecommenderGrpc.RecommenderBlockingStub s = stub.withDeadlineAfter(30, TimeUnit.SECONDS);
                        RecommendResponse similar = s.similarItems(
                                SimilarItemsRequest.newBuilder().setItemId("item-0").setK(2).build());
                        RecommendResponse user = s.recommendForUser(
                                RecommendForUserRequest.newBuilder().setUserId("alice").setK(3).build());
                        ModelInfo info = s.getModelInfo(GetModelInfoRequest.getDefaultInstance());
                        answeredBy.add(similar.getGenerationId());
                        answeredBy.add(user.getGenerationId());
                        answeredBy.add(info.getGenerationId());
                        reportedItems.computeIfAbsent(info.getGenerationId(), k -> ConcurrentHashMap.newKeySet())
                                .add((int) info.getItemCount());
                        calls.addAndGet(3);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            }, "swap-load-client-" + t);
            client.start();
            clients.add(client);
        }
        try {
            await("load to start", () -> calls.get() > 30);
            List<String> published = new ArrayList<>(List.of(first.getFileName().toString()));
            for (int g = 1; g < GENERATION_ITEMS.length; g++) {
                if (g == 2) {
                    // a damaged generation in the middle: refused, the served one stays
                    TestGenerations.publishCorruptCopy(root, root.resolve(published.getLast()), "gen-corrupt");
                    await("the corrupt generation to be refused", () -> refusedCount(registry) == 1.0);
                }
                int items = GENERATION_ITEMS[g];
                String id = TestGenerations.write(root, items).getFileName().toString();
                itemsByGeneration.put(id, items);
                published.add(id);
                long callsBefore = calls.get();
                await("generation " + id + " to be served", () -> answeredBy.contains(id));
                await("load to continue on " + id, () -> calls.get() > callsBefore + 30);
            }
            assertTrue(answeredBy.containsAll(published), "answered by " + answeredBy + ", published " + published);
            assertEquals(Set.copyOf(published), answeredBy, "only good generations answer");
        } finally {
            running.set(false);
            for (Thread c : clients) {
                c.join(30_000);
            }
            channel.shutdownNow();
            server.shutdown(Duration.ofSeconds(5));
            callExecutor.shutdownNow();
        }
        assertEquals(List.of(), failures, "failed calls out of " + calls.get());
        for (Map.Entry<String, Set<Integer>> r : reportedItems.entrySet()) {
            assertEquals(Set.of(itemsByGeneration.get(r.getKey())), r.getValue(), "item counts GetModelInfo reported for " + r.getKey());
        }
        assertEquals(1.0, refusedCount(registry));
        assertEquals(GENERATION_ITEMS.length, registry.get("reco.model.reloads").counter().count());
    }

    private static double refusedCount(SimpleMeterRegistry registry) {
        Counter c = registry.find("reco.model.refused").tag("reason", "corrupt").counter();
        return c == null ? 0 : c.count();
    }

    /** Waits (bounded) for another thread's progress: a liveness wait, not a timing assertion. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(5);
        }
    }
}
