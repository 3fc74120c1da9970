package reco.it;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code bin/reco} the way a user does, on the jars {@code ./mvnw package} just built
 * ({@code RECO_NO_BUILD=1}: an integration test never triggers a nested build).
 *
 * <p>Timeouts are generous on purpose: they only turn a hang into a failure, and CI boxes with two
 * cores run a JVM start in anything from 3 to 30 seconds.
 */
public final class Launcher {
    /** A hung command, not a slow one. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(4);
    /** From launch to the listening line. */
    public static final Duration SERVER_START_TIMEOUT = Duration.ofMinutes(2);

    private static final Pattern LISTENING = Pattern.compile(
            "^reco server listening on (\\S+):(\\d+), serving generation (\\S+) \\((\\d+) items\\)$");

    private final Path repo;
    private final Map<String, String> extraEnvironment;
    private final List<String> prefix;

    private Launcher(Path repo, Map<String, String> extraEnvironment, List<String> prefix) {
        this.repo = repo;
        this.extraEnvironment = extraEnvironment;
        this.prefix = prefix;
    }

    /** The launcher of the repository under test (system property {@code reco.repo.dir}, set by the build). */
    public static Launcher ofRepository() {
        Path repo = Path.of(System.getProperty("reco.repo.dir", "..")).toAbsolutePath().normalize();
        if (!Files.isExecutable(repo.resolve("bin/reco"))) {
            throw new IllegalStateException("no executable bin/reco under reco.repo.dir=" + repo);
        }
        return new Launcher(repo, Map.of(), List.of());
    }

    /**
     * The launcher of an unpacked distribution archive: {@code HOME_DIR/bin/reco}, run from
     * {@code HOME_DIR} (the archive's {@code lib/} layout, no source tree).
     */
    public static Launcher ofInstallation(Path home) {
        if (!Files.isExecutable(home.resolve("bin/reco"))) {
            throw new IllegalStateException("no executable bin/reco under " + home);
        }
        return new Launcher(home.toAbsolutePath().normalize(), Map.of(), List.of());
    }

    /** The same launcher with extra environment variables (e.g. HOME). */
    public Launcher withEnvironment(Map<String, String> environment) {
        Map<String, String> merged = new java.util.HashMap<>(extraEnvironment);
        merged.putAll(environment);
        return new Launcher(repo, Map.copyOf(merged), prefix);
    }

    /** The same launcher run under a wrapper command (e.g. strace), which must exec or follow {@code bin/reco}. */
    public Launcher wrappedIn(List<String> wrapper) {
        return new Launcher(repo, extraEnvironment, List.copyOf(wrapper));
    }

    public Path repository() {
        return repo;
    }

    private ProcessBuilder builder(String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(repo.resolve("bin/reco").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile());
        Map<String, String> env = builder.environment();
        env.put("RECO_NO_BUILD", "1");
        env.put("JAVA_HOME", System.getProperty("java.home")); // the JDK 25 running the build
        env.remove("RECO_JAVA_OPTS");
        env.putAll(extraEnvironment);
        return builder;
    }

    /** A finished command: exit code and everything it printed. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** For assertion messages. */
        public String describe() {
            return String.join(" ", command) + "\nexit code " + exitCode + "\n--- stdout ---\n" + stdout
                    + "\n--- stderr ---\n" + stderr;
        }
    }

    /** Runs {@code bin/reco ARGS} to completion. */
    public Result run(String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = builder(args);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", builder.command()) + " did not finish in " + COMMAND_TIMEOUT
                    + "\n--- stderr ---\n" + stderr.getNow("(not drained)"));
        }
        return new Result(builder.command(), process.exitValue(), stdout.join(), stderr.join());
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
    }

    /** Starts {@code bin/reco ARGS} and returns at once; its output is collected as it comes. */
    public RunningCommand start(String... args) throws IOException {
        ProcessBuilder builder = builder(args);
        Process process = builder.start();
        process.getOutputStream().close();
        return new RunningCommand(process, builder.command());
    }

    /** A command started by {@link #start}: its output so far, and its result once it exits. */
    public static final class RunningCommand {
        private final Process process;
        private final List<String> command;
        private final StringBuffer stdout = new StringBuffer();
        private final StringBuffer stderr = new StringBuffer();
        private final Thread stdoutReader;
        private final Thread stderrReader;

        RunningCommand(Process process, List<String> command) {
            this.process = process;
            this.command = command;
            this.stdoutReader = Thread.ofVirtual().start(() -> copy(process.getInputStream(), stdout));
            this.stderrReader = Thread.ofVirtual().start(() -> copy(process.getErrorStream(), stderr));
        }

        private static void copy(InputStream stream, StringBuffer sink) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.append(line).append('\n');
                }
            } catch (IOException e) {
                // the process went away; waitFor reports its exit
            }
        }

        public String stderr() {
            return stderr.toString();
        }

        public String stdout() {
            return stdout.toString();
        }

        /** The process, e.g. to signal it. */
        public Process process() {
            return process;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Waits until stderr contains {@code text}; fails if the command exits first or it takes longer than {@code timeout}. */
        public void awaitStderr(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!stderr.toString().contains(text)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    Thread.sleep(200); // let the readers catch up before judging
                    if (stderr.toString().contains(text)) {
                        return;
                    }
                    throw new AssertionError("no '" + text + "' on stderr" + (process.isAlive() ? " within " + timeout
                            : " before exit " + process.exitValue()) + "\n--- stderr ---\n" + stderr);
                }
                Thread.sleep(20);
            }
        }

        /** Waits for the exit (killing a hung command after {@link #COMMAND_TIMEOUT}). */
        public Result await() throws InterruptedException {
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT
                        + "\n--- stderr ---\n" + stderr);
            }
            stdoutReader.join(Duration.ofSeconds(10));
            stderrReader.join(Duration.ofSeconds(10));
            return new Result(command, process.exitValue(), stdout.toString(), stderr.toString());
        }
    }

    /**
     * Starts {@code bin/reco ARGS} (serve or demo) and returns once it printed the listening line; fails
     * with its output if it exits first or does not serve within {@link #SERVER_START_TIMEOUT}.
     */
    public ServerProcess startServer(String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = builder(args);
        Process process = builder.start();
        process.getOutputStream().close();
        ServerProcess server = new ServerProcess(process, String.join(" ", builder.command()));
        server.awaitListening();
        return server;
    }

    /** A running server process; {@link #close()} stops it with SIGTERM like a supervisor would. */
    public static final class ServerProcess implements AutoCloseable {
        private final Process process;
        private final String command;
        private final StringBuffer stdout = new StringBuffer();
        private final StringBuffer stderr = new StringBuffer();
        private final CompletableFuture<Matcher> listening = new CompletableFuture<>();
        private final Thread stdoutReader;
        private final Thread stderrReader;
        private ManagedChannel channel;
        private Integer exitCode;

        ServerProcess(Process process, String command) {
            this.process = process;
            this.command = command;
            this.stdoutReader = Thread.ofVirtual().start(() -> readLines(process.getInputStream(), stdout, true));
            this.stderrReader = Thread.ofVirtual().start(() -> readLines(process.getErrorStream(), stderr, false));
        }

        private void readLines(InputStream stream, StringBuffer sink, boolean watchForListening) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (watchForListening && m.matches()) {
                        listening.complete(m);
                    }
                }
            } catch (IOException e) {
                // the process went away; its exit is reported by awaitListening/close
            } finally {
                if (watchForListening) {
                    listening.completeExceptionally(new IllegalStateException("stdout closed before the listening line"));
                }
            }
        }

        private void awaitListening() throws InterruptedException {
            long deadline = System.nanoTime() + SERVER_START_TIMEOUT.toNanos();
            while (!listening.isDone()) {
                if (!process.isAlive()) {
                    stdoutReader.join(Duration.ofSeconds(5));
                    break;
                }
                if (System.nanoTime() > deadline) {
                    close();
                    throw new AssertionError("no listening line within " + SERVER_START_TIMEOUT + ": " + describe());
                }
                Thread.sleep(50);
            }
            if (!listening.isDone() || listening.isCompletedExceptionally()) {
                close();
                throw new AssertionError("server exited before serving: " + describe());
            }
        }

        private Matcher listeningLine() {
            return listening.join();
        }

        public int port() {
            return Integer.parseInt(listeningLine().group(2));
        }

        public String address() {
            return listeningLine().group(1) + ":" + port();
        }

        /** The generation the listening line named. */
        public String initialGenerationId() {
            return listeningLine().group(3);
        }

        public long initialItemCount() {
            return Long.parseLong(listeningLine().group(4));
        }

        public long pid() {
            return process.pid();
        }

        public Process process() {
            return process;
        }

        /** A plaintext channel to the server, shut down by {@link #close()}. */
        public synchronized ManagedChannel channel() {
            if (channel == null) {
                channel = NettyChannelBuilder.forAddress(listeningLine().group(1), port()).usePlaintext().build();
            }
            return channel;
        }

        public String stdout() {
            return stdout.toString();
        }

        public String stderr() {
            return stderr.toString();
        }

        /** Command, output so far, and the exit code once stopped: for assertion messages. */
        public String describe() {
            return command + (exitCode == null ? "" : "\nexit code " + exitCode)
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }

        /**
         * Sends SIGTERM to the JVM (bin/reco execs it, or it is the only descendant of a wrapper such as
         * strace) and waits for the exit code; SIGKILL if it does not stop in time.
         */
        public int stop() throws InterruptedException {
            if (exitCode != null) {
                return exitCode;
            }
            if (channel != null) {
                channel.shutdownNow();
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
            List<ProcessHandle> javas = process.descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false)).toList();
            if (javas.isEmpty()) {
                process.destroy();
            } else {
                javas.forEach(ProcessHandle::destroy);
            }
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor();
            }
            stdoutReader.join(Duration.ofSeconds(10));
            stderrReader.join(Duration.ofSeconds(10));
            exitCode = process.exitValue();
            return exitCode;
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
