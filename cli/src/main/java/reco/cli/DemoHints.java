package reco.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands {@code reco demo} prints to show how to call the demo server. Each one must work as
 * printed, from the directory the demo was started in, on a fresh source checkout (after {@code bin/reco
 * demo} built it) or an unpacked distribution: so only what those hold is printed (no grpcurl, which
 * reco does not ship), paths are relative to the working directory when they lie under it, and the
 * Java example runs on the JDK that runs reco (the default {@code java} may be older).
 *
 * @param home          where {@code bin/reco} lives ({@code RECO_HOME}, set by the launcher)
 * @param workingDir    the directory the demo runs in
 * @param javaHome      the JDK running reco
 * @param modelDir      the demo's model root
 * @param address       {@code localhost:PORT} of the server (or {@code localhost:PORT} literally for --port 0)
 * @param item          a well-known item id of the generation
 * @param itemTitle     its title, or null
 * @param user          a known user id
 */
record DemoHints(Path home, Path workingDir, Path javaHome, Path modelDir, String address, String item,
                 String itemTitle, String user) {

    /** The Java example's jar in a source checkout (built by {@code bin/reco demo} and by {@code ./mvnw package}). */
    static final String JAVA_EXAMPLE_JAR = "client-examples/java/target/reco-client-example.jar";
    static final String RUN_ALL = "client-examples/run-all.sh";

    /** One command to try, with what it shows. */
    record Hint(String command, String comment) {
        String line() {
            return "  " + command + "   # " + comment;
        }
    }

    /** The commands that call the running server or look at its generation, in the order printed. */
    List<Hint> hints() {
        List<Hint> hints = new ArrayList<>();
        String reco = shown(home.resolve("bin/reco"));
        String model = shown(modelDir);
        hints.add(new Hint(reco + " inspect " + model + " --item " + item,
                "the generation, and the neighbours of " + (itemTitle == null ? "item " + item : itemTitle)));
        hints.add(new Hint(reco + " loadtest --target " + address + " --model " + model
                + " --call mix --warmup 1s --duration 5s", "five seconds of mixed calls: latency percentiles"));
        Path javaExample = home.resolve(JAVA_EXAMPLE_JAR);
        if (Files.isRegularFile(javaExample)) {
            hints.add(new Hint(shown(javaHome.resolve("bin/java")) + " -jar " + shown(javaExample) + " " + address
                    + " " + item + " " + user, "a Java client walking the whole API"));
        }
        Path runAll = home.resolve(RUN_ALL);
        if (Files.isRegularFile(runAll)) {
            hints.add(new Hint(shown(runAll) + " " + address,
                    "the Java, Python, Node.js and Go clients (each one whose toolchain is installed)"));
        }
        return hints;
    }

    /** The command that serves the demo generation (printed with --no-serve). */
    String serveCommand() {
        String port = address.substring(address.lastIndexOf(':') + 1);
        return shown(home.resolve("bin/reco")) + " serve --model " + shown(modelDir)
                + ("PORT".equals(port) || Integer.toString(ServeCommand.DEFAULT_PORT).equals(port) ? "" : " --port " + port);
    }

    /** A path as the user types it from the working directory: relative when under it, else absolute. */
    private String shown(Path path) {
        Path absolute = workingDir.resolve(path).toAbsolutePath().normalize();
        Path cwd = workingDir.toAbsolutePath().normalize();
        String text = absolute.startsWith(cwd) ? cwd.relativize(absolute).toString() : absolute.toString();
        if (text.isEmpty()) {
            text = ".";
        }
        return text.matches("[A-Za-z0-9_./:@%+=,-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
    }
}
