package reco.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import reco.v1.Model;
import reco.v1.RecommendForUserRequest;
import reco.v1.RecommendResponse;
import reco.v1.RecommenderGrpc;
import reco.v1.ScoredItem;
import reco.v1.SimilarItemsRequest;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Spark engine on a real standalone cluster: a Master and a Worker on loopback as separate JVMs (from the
 * class path the trainer-spark build writes, under a stand-in SPARK_HOME), executors on a Java 17 runtime (the
 * executor code is compiled for 17), the job submitted with spark-submit's main class. Its generation, served by
 * `reco serve`, answers every user and item exactly as the generation of `reco train --engine spark --master
 * local[2]` with the same seed and partitions does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterIT {
    private static final int MASTER_PORT = 51710;
    private static final String MASTER = "spark://127.0.0.1:" + MASTER_PORT;
    private static final List<String> JOB_ARGS = List.of("--min-weight", "4", "--partitions", "2", "--seed", "7",
            "--als-iterations", "3", "--als-factors", "8", "--neighbors", "20");
    /** A Spark job on tiny data takes about a minute on two idle cores; far longer only on a machine shared with other builds. */
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(12);

    @TempDir
    Path work;

    private final List<Process> cluster = new ArrayList<>();
    private Path repo;
    private Path jar;
    private List<String> closure;

    @BeforeAll
    void locateTheBuild() throws IOException {
        repo = Launcher.ofRepository().repository();
        jar = repo.resolve("trainer-spark/target/reco-trainer-spark.jar");
        Path classpath = repo.resolve("trainer-spark/target/spark-classpath.txt");
        assertTrue(Files.isRegularFile(jar) && Files.isRegularFile(classpath), "build trainer-spark first (./mvnw package)");
        closure = List.of(Files.readString(classpath).strip().split(File.pathSeparator));
    }

    @AfterAll
    void stopCluster() throws InterruptedException {
        for (Process p : cluster.reversed()) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void standaloneClusterServesTheSameRecommendationsAsLocal() throws Exception {
        Path log = work.resolve("interactions.tsv");
        Files.writeString(log, syntheticLog());

        Path sparkHome = fakeSparkHome();
        Path executorJava = java17();
        startCluster(sparkHome, executorJava);

        Path clusterModel = work.resolve("model-cluster");
        List<String> submit = new ArrayList<>(javaCommand(Path.of(System.getProperty("java.home"))));
        submit.addAll(List.of("-cp", String.join(File.pathSeparator, closure), "org.apache.spark.deploy.SparkSubmit",
                "--master", MASTER, "--deploy-mode", "client", "--class", "reco.spark.SparkTrainCommand",
                "--conf", "spark.executor.memory=512m", "--conf", "spark.cores.max=2", "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.ui.enabled=false", jar.toString(), "--interactions", log.toString(), "--out", clusterModel.toString()));
        submit.addAll(JOB_ARGS);
        Path submitLog = work.resolve("submit.log");
        ProcessBuilder submitter = new ProcessBuilder(submit).redirectErrorStream(true).redirectOutput(submitLog.toFile())
                .directory(work.toFile());
        submitter.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process job = submitter.start();
        job.getOutputStream().close();
        if (!job.waitFor(JOB_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            job.descendants().forEach(ProcessHandle::destroyForcibly);
            job.destroyForcibly();
            fail("spark-submit did not finish in " + JOB_TIMEOUT + ":\n" + tail(submitLog));
        }
        String submitted = Files.readString(submitLog);
        assertEquals(0, job.exitValue(), submitted);
        assertTrue(submitted.contains("published generation"), submitted);
        assertTrue(executorsRanOn(executorJava, sparkHome), "no executor ran on " + executorJava);

        Launcher launcher = Launcher.ofRepository();
        Path localModel = work.resolve("model-local");
        List<String> local = new ArrayList<>(List.of("train", "--engine", "spark", "--master", "local[2]",
                "--interactions", log.toString(), "--out", localModel.toString()));
        local.addAll(JOB_ARGS);
        Launcher.RunningCommand running = launcher.start(local.toArray(String[]::new));
        running.awaitStderr("phase timings", JOB_TIMEOUT); // longer than a plain command's timeout
        Launcher.Result trained = running.await();
        assertEquals(0, trained.exitCode(), trained::describe);

        try (Launcher.ServerProcess fromCluster = launcher.startServer("serve", "--model", clusterModel.toString(),
                "--port", "51720", "--http-port", "18720");
             Launcher.ServerProcess fromLocal = launcher.startServer("serve", "--model", localModel.toString(),
                "--port", "51721", "--http-port", "18721")) {
            var a = RecommenderGrpc.newBlockingStub(fromCluster.channel());
            var b = RecommenderGrpc.newBlockingStub(fromLocal.channel());
            for (Model model : List.of(Model.MODEL_HYBRID, Model.MODEL_ALS, Model.MODEL_ITEM_KNN, Model.MODEL_EASE)) {
                for (int u = 0; u < 40; u++) {
                    RecommendForUserRequest r = RecommendForUserRequest.newBuilder().setUserId("u" + u).setK(10)
                            .setModel(model).build();
                    RecommendResponse x = a.withDeadlineAfter(30, TimeUnit.SECONDS).recommendForUser(r);
                    assertFalse(x.getFallback(), () -> "user served by a fallback: " + x);
                    assertEquals(ids(b.withDeadlineAfter(30, TimeUnit.SECONDS).recommendForUser(r)), ids(x),
                            model + " for user u" + u);
                }
                for (int i = 0; i < 30; i++) {
                    SimilarItemsRequest r = SimilarItemsRequest.newBuilder().setItemId("i" + i).setK(10).setModel(model).build();
                    assertEquals(ids(b.withDeadlineAfter(30, TimeUnit.SECONDS).similarItems(r)),
                            ids(a.withDeadlineAfter(30, TimeUnit.SECONDS).similarItems(r)), model + " similar to i" + i);
                }
            }
        }
    }

    private static List<String> ids(RecommendResponse r) {
        return r.getItemsList().stream().map(ScoredItem::getItemId).toList();
    }

    /** Two taste groups of users over 30 items, 5-star ratings with timestamps. */
    static String syntheticLog() {
        Random random = new Random(11);
        StringBuilder b = new StringBuilder();
        for (int u = 0; u < 40; u++) {
            int group = u % 2;
            for (int n = 0; n < 15; n++) {
                int item = random.nextInt(5) == 0 ? random.nextInt(30) : group * 15 + random.nextInt(15);
                b.append("u").append(u).append("\ti").append(item).append('\t').append(1 + random.nextInt(5)).append('\t')
                        .append(1_000_000 + random.nextInt(100_000)).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * A SPARK_HOME for the Worker, which builds its executors' class path from {@code jars/}: the Spark, Scala and
     * Hadoop jars of the build's class path, and a RELEASE file as a distribution has.
     */
    private Path fakeSparkHome() throws IOException {
        Path home = Files.createDirectories(work.resolve("spark-home"));
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : closure) {
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            if (name.endsWith(".jar") && !name.startsWith("reco-")) {
                Files.createSymbolicLink(jars.resolve(name), p);
            }
        }
        Files.writeString(home.resolve("RELEASE"), "Spark (reco integration test: the jars of trainer-spark's class path)\n");
        return home;
    }

    /** The executors' runtime: a Java 17 (system property reco.executor.java.home, else the usual install places). */
    private static Path java17() throws IOException {
        String configured = System.getProperty("reco.executor.java.home");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path p : jvms.sorted().toList()) {
                Path release = p.resolve("release");
                if (Files.isExecutable(p.resolve("bin/java")) && Files.isRegularFile(release)
                        && Files.readString(release).contains("JAVA_VERSION=\"17")) {
                    return p;
                }
            }
        }
        fail("no Java 17 runtime under /usr/lib/jvm for the executors (set -Dreco.executor.java.home): the test checks "
                + "that executor code runs on Java 17");
        return null;
    }

    private List<String> javaCommand(Path javaHome) {
        List<String> c = new ArrayList<>();
        c.add(javaHome.resolve("bin/java").toString());
        c.add("-Xmx512m");
        c.addAll(List.of(System.getProperty("reco.spark.jvm.flags", "").trim().split("\\s+")));
        return c;
    }

    private void startCluster(Path sparkHome, Path executorJava) throws IOException, InterruptedException {
        Path jdk = Path.of(System.getProperty("java.home"));
        String cp = String.join(File.pathSeparator, closure);
        List<String> master = new ArrayList<>(javaCommand(jdk));
        master.addAll(List.of("-cp", cp, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", String.valueOf(MASTER_PORT), "--webui-port", "18710"));
        Process m = daemon(master, sparkHome, jdk, "master.log");
        awaitLog(work.resolve("master.log"), "I have been elected leader", m);
        List<String> worker = new ArrayList<>(javaCommand(jdk));
        worker.addAll(List.of("-cp", cp, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "51711",
                "--webui-port", "18711", "--cores", "2", "--memory", "1g", "--work-dir", work.resolve("worker").toString(), MASTER));
        // the Worker starts executors with JAVA_HOME's java: Java 17, unlike the driver
        Process w = daemon(worker, sparkHome, executorJava, "worker.log");
        awaitLog(work.resolve("worker.log"), "Successfully registered with master", w);
    }

    private Process daemon(List<String> command, Path sparkHome, Path javaHome, String logName) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve(logName).toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        // Spark's launcher asks a distribution for its Scala version (else it looks for a source build's directories)
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("JAVA_HOME", javaHome.toString());
        Process p = pb.start();
        cluster.add(p);
        return p;
    }

    private static void awaitLog(Path log, String text, Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                fail(log.getFileName() + ": exited before '" + text + "':\n" + tail(log));
            }
            Thread.sleep(250);
        }
        fail(log.getFileName() + ": no '" + text + "' within 2 minutes:\n" + tail(log));
    }

    /** Executor logs under the Worker's work directory name the java that ran them (first line of stderr's command). */
    private boolean executorsRanOn(Path javaHome, Path sparkHome) throws IOException {
        try (Stream<Path> files = Files.walk(work.resolve("worker"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                if (text.contains(javaHome.resolve("bin/java").toString())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
