package reco.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs `reco train --engine spark` as a separate process: the Spark job (module trainer-spark) keeps its own class
 * path and logging, which must not meet the CLI's. With SPARK_HOME set, through that installation's spark-submit;
 * otherwise with this JVM's java on the class path the trainer-spark build writes (its jar plus Spark, Scala and
 * Hadoop from the local Maven repository), which is enough for --master local[N] and a standalone cluster.
 */
final class SparkJobLauncher {
    static final String MAIN_CLASS = "reco.spark.SparkTrainCommand";
    static final String JAR = "reco-trainer-spark.jar";
    static final String CLASSPATH_FILE = "spark-classpath.txt";

    /**
     * Spark's own JVM options for an in-process driver (JavaModuleOptions in spark-launcher; spark-submit adds them
     * itself); the parent pom's spark.jvm.flags holds the same list for the tests.
     */
    static final List<String> SPARK_JVM_OPTIONS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "--add-modules=jdk.incubator.vector",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true", "--sun-misc-unsafe-memory-access=allow",
            "--enable-native-access=ALL-UNNAMED", "-Dchronicle.analytics.disable=true");

    private SparkJobLauncher() {}

    /**
     * Runs the job with {@code args} (the train command's arguments without --engine) and returns its exit code.
     *
     * @param master --master, or null to leave it to spark-submit's configuration
     */
    static int run(String master, List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        Path home = installation();
        Path jar = firstExisting(home.resolve("trainer-spark/target").resolve(JAR), home.resolve("lib").resolve(JAR));
        List<String> command = new ArrayList<>();
        String sparkHome = env.get("SPARK_HOME");
        if (sparkHome != null && !sparkHome.isBlank()) {
            command.add(Path.of(sparkHome, "bin", "spark-submit").toString());
            if (master != null) {
                command.addAll(List.of("--master", master));
            }
            command.addAll(List.of("--class", MAIN_CLASS, jar.toString()));
            command.addAll(args);
        } else {
            if (master == null) {
                throw new IllegalArgumentException("--engine spark needs --master (e.g. local[2] or spark://host:7077) "
                        + "when SPARK_HOME is not set");
            }
            Path classpathFile = jar.resolveSibling(CLASSPATH_FILE);
            if (!Files.isRegularFile(classpathFile)) {
                throw new IOException(classpathFile + " is missing: build the Spark engine (./mvnw -q -DskipTests package) "
                        + "or set SPARK_HOME to a Spark installation");
            }
            String classpath = jar + java.io.File.pathSeparator + Files.readString(classpathFile, StandardCharsets.UTF_8).strip();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            String opts = env.getOrDefault("RECO_SPARK_DRIVER_OPTS", "");
            for (String o : opts.trim().split("\\s+")) {
                if (!o.isEmpty()) {
                    command.add(o);
                }
            }
            command.addAll(SPARK_JVM_OPTIONS);
            command.addAll(List.of("-cp", classpath, MAIN_CLASS, "--master", master));
            command.addAll(args);
        }
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        if (!env.containsKey("SPARK_LOCAL_IP") && master != null && master.startsWith("local")) {
            pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // a local run needs no reachable interface address
        }
        Process p = pb.start();
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            throw e;
        }
    }

    /** The distribution root (lib/reco-cli.jar) or the source checkout (cli/target/reco-cli.jar). */
    private static Path installation() throws IOException {
        try {
            Path cliJar = Path.of(SparkJobLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dir = cliJar.getParent();
            return dir.getFileName().toString().equals("lib") ? dir.getParent() : dir.getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate reco's installation: " + e.getMessage(), e);
        }
    }

    private static Path firstExisting(Path... candidates) throws IOException {
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                return c;
            }
        }
        throw new IOException(candidates[0] + " is missing: build it with ./mvnw -q -DskipTests package");
    }
}
