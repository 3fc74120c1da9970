package reco.it;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.v1.GetModelInfoRequest;
import reco.v1.ModelInfo;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;
import reco.v1.SimilarItemsRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution archive {@code reco-VERSION.tar.gz} the build packaged, unpacked into a temporary
 * directory away from the source tree: its {@code bin/reco} runs {@code demo}, {@code train} and
 * {@code serve} with nothing but a JDK (no Maven, no sources), and the server answers over gRPC.
 */
class DistributionIT {
    /** A small demo catalogue: the point is the layout, not the model (the full demo is DemoIT's). */
    private static final String ITEMS = "400";
    private static final String USERS = "150";

    @TempDir
    static Path work;

    private static Path home;
    private static Launcher launcher;

    @BeforeAll
    static void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("reco.distribution.archive", "")).toAbsolutePath();
        assertTrue(Files.isRegularFile(archive), "no distribution archive at " + archive
                + " (the distribution module writes it in `package`)");
        Path unpacked = work.resolve("unpacked");
        Files.createDirectories(unpacked);
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString())
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, tar.waitFor(), "tar -xzf " + archive + ": " + output);
        try (Stream<Path> top = Files.list(unpacked)) {
            List<Path> roots = top.toList();
            assertEquals(1, roots.size(), "the archive unpacks into one reco-VERSION folder: " + roots);
            home = roots.getFirst();
        }
        assertTrue(home.getFileName().toString().matches("reco-\\d+\\.\\d+\\.\\d+.*"), home::toString);
        // A private cache directory: the class-data sharing archive of this installation lives with the test.
        launcher = Launcher.ofInstallation(home).withEnvironment(Map.of("XDG_CACHE_HOME", work.resolve("cache").toString()));
    }

    @Test
    void archiveHoldsTheLauncherTheJarsAndTheNoticesButNoSources() throws IOException {
        assertTrue(Files.isExecutable(home.resolve("bin/reco")));
        assertTrue(Files.isRegularFile(home.resolve("lib/reco-cli.jar")));
        for (String notice : List.of("README.md", "LICENSE", "THIRD-PARTY.txt")) {
            assertTrue(Files.size(home.resolve(notice)) > 0, notice);
        }
        String thirdParty = Files.readString(home.resolve("THIRD-PARTY.txt"));
        assertTrue(thirdParty.contains("io.grpc:grpc-core"), "THIRD-PARTY.txt lists the runtime dependencies");
        assertFalse(thirdParty.contains("Unknown license"), thirdParty);
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            List<String> jars = lib.map(p -> p.getFileName().toString()).toList();
            assertTrue(jars.stream().anyMatch(j -> j.startsWith("grpc-netty-shaded-")), jars::toString);
            assertTrue(jars.stream().anyMatch(j -> j.startsWith("reco-server-")), jars::toString);
            assertFalse(jars.stream().anyMatch(j -> j.startsWith("junit")), "no test jars: " + jars);
        }
        for (String sourceOnly : List.of("mvnw", "pom.xml", "cli", "server", "trainer")) {
            assertFalse(Files.exists(home.resolve(sourceOnly)), sourceOnly + " is not part of the distribution");
        }
    }

    @Test
    void demoTrainAndServeRunFromTheUnpackedArchive() throws Exception {
        Launcher.Result version = launcher.run("version");
        assertEquals(0, version.exitCode(), version::describe);
        assertTrue(version.stdout().startsWith("reco "), version::describe);

        Path demoDir = work.resolve("demo");
        Launcher.Result demo = launcher.run("demo", "--no-serve", "--items", ITEMS, "--users", USERS,
                "--model-dir", demoDir.toString());
        assertEquals(0, demo.exitCode(), demo::describe);
        assertTrue(Files.isRegularFile(demoDir.resolve("CURRENT")), demo::describe);
        assertTrue(demo.stdout().contains("reco demo: generation "), demo::describe);

        // train on the catalogue the demo wrote, into a fresh model root
        Path ratings = demoDir.resolve("demo-data/ratings.csv");
        Path movies = demoDir.resolve("demo-data/movies.csv");
        Path models = work.resolve("models");
        Launcher.Result train = launcher.run("train", "--interactions", ratings.toString(), "--items", movies.toString(),
                "--min-weight", "4", "--out", models.toString());
        assertEquals(0, train.exitCode(), train::describe);
        Matcher published = Pattern.compile("published generation (\\S+) in ").matcher(train.stdout());
        assertTrue(published.find(), train::describe);
        String generation = published.group(1);
        assertEquals(generation, Files.readString(models.resolve("CURRENT")).strip());

        // serve as deploy/Dockerfile's default command does (every interface), on free ports; called over loopback
        try (Launcher.ServerProcess server = launcher.startServer("serve", "--model", models.toString(),
                "--host", "0.0.0.0", "--http-host", "0.0.0.0", "--port", "0", "--http-port", "0")) {
            assertEquals(generation, server.initialGenerationId(), server::describe);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                callOverLoopback(channel, generation);
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }

            // what the demo printed works from the installation, against this server
            PrintedHints.assertEveryCommandWorks(demo.stdout(), home, "localhost:50051", "localhost:" + server.port(),
                    Map.of("JAVA_HOME", System.getProperty("java.home"),
                            "XDG_CACHE_HOME", work.resolve("cache").toString()));
        }
    }

    private static void callOverLoopback(ManagedChannel channel, String generation) {
        RecommenderGrpc.RecommenderBlockingStub stub = RecommenderGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        ModelInfo info = stub.getModelInfo(GetModelInfoRequest.getDefaultInstance());
        assertEquals(generation, info.getGenerationId(), info::toString);
        assertEquals(Long.parseLong(ITEMS), info.getItemCount(), info::toString);

        RecommendResponse similar = stub.similarItems(SimilarItemsRequest.newBuilder().setItemId("1").setK(5).build());
        assertEquals(5, similar.getItemsCount(), similar::toString);
        assertFalse(similar.getItems(0).getTitle().isEmpty(), similar::toString);
        RecommendResponse user = stub.recommendForUser(RecommendForUserRequest.newBuilder().setUserId("1").setK(5).build());
        assertEquals(5, user.getItemsCount(), user::toString);
        assertFalse(user.getFallback(), user::toString);
    }
}
