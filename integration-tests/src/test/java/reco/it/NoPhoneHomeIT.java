package reco.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.v1.RecommenderGrpc;
import reco.v1.SimilarItemsRequest;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The packaged trainer and server, started the way the launcher starts them, make no network connection
 * beyond loopback and leave no Chronicle analytics file in the user's home directory.
 *
 * <p>Every connect(), sendto() and sendmsg() of every thread and child process is recorded with
 * {@code strace -f}; any AF_INET/AF_INET6 address outside loopback fails the test (a DNS lookup would
 * show up as a connect to port 53 of the resolver). Without strace the test fails (never skips):
 * {@code .ci/run} installs it; install it locally with {@code apt-get install strace}.
 */
class NoPhoneHomeIT {
    private static final Pattern INET4 = Pattern.compile("inet_addr\\(\"([^\"]+)\"\\)");
    private static final Pattern INET6 = Pattern.compile("inet_pton\\(AF_INET6, \"([^\"]+)\"");

    @TempDir
    Path work;

    @Test
    void theLaunchersJvmsTalkToLoopbackOnlyAndWriteNoAnalyticsFile() throws Exception {
        Path strace = Stream.of("/usr/bin/strace", "/bin/strace", "/usr/local/bin/strace").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        assertNotNull(strace, "strace is not installed (apt-get install strace); the no-phone-home check needs it");
        Path home = Files.createDirectories(work.resolve("home"));
        Path model = work.resolve("model");
        Path ratings = Files.writeString(work.resolve("ratings.tsv"), tinyInteractions(), StandardCharsets.UTF_8);

        // XDG_CACHE_HOME unset: the launcher's class-data sharing archive goes under this HOME too.
        Map<String, String> environment = Map.of("HOME", home.toString(), "XDG_CACHE_HOME", home.resolve(".cache").toString());
        Path trainTrace = work.resolve("train.strace");
        Launcher.Result train = Launcher.ofRepository().withEnvironment(environment)
                .wrappedIn(straceCommand(strace, trainTrace))
                .run("train", "--interactions", ratings.toString(), "--out", model.toString());
        assertEquals(0, train.exitCode(), train::describe);
        assertLoopbackOnly(trainTrace);

        Path serveTrace = work.resolve("serve.strace");
        try (Launcher.ServerProcess server = Launcher.ofRepository().withEnvironment(environment)
                .wrappedIn(straceCommand(strace, serveTrace))
                .startServer("serve", "--model", model.toString(), "--port", "0")) {
            var response = RecommenderGrpc.newBlockingStub(server.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .similarItems(SimilarItemsRequest.newBuilder().setItemId("i1").setK(2).build());
            assertEquals(2, response.getItemsCount(), response::toString);
            assertEquals(0, server.stop(), server::describe);
        }
        assertLoopbackOnly(serveTrace);

        try (Stream<Path> files = Files.list(home)) {
            List<Path> analytics = files.filter(f -> f.getFileName().toString().startsWith(".chronicle.analytics")).toList();
            assertTrue(analytics.isEmpty(), () -> "Chronicle analytics files in HOME: " + analytics);
        }
    }

    @Test
    void chronicleAnalyticsIsNotPackaged() throws IOException {
        Path repo = Launcher.ofRepository().repository();
        for (String module : List.of("cli")) {
            Path lib = repo.resolve(module).resolve("target/lib");
            assertTrue(Files.isDirectory(lib), () -> "not packaged: " + lib);
            try (Stream<Path> jars = Files.list(lib)) {
                for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
                    assertTrue(!jar.getFileName().toString().startsWith("chronicle-analytics"), () -> "packaged: " + jar);
                    try (ZipFile zip = new ZipFile(jar.toFile())) {
                        Enumeration<? extends ZipEntry> entries = zip.entries();
                        while (entries.hasMoreElements()) {
                            String name = entries.nextElement().getName();
                            assertTrue(!name.startsWith("net/openhft/chronicle/analytics/"), () -> jar + " contains " + name);
                        }
                    }
                }
            }
        }
    }

    /** The checker itself, on lines strace 6.1 printed (the DNS ones from {@code strace getent hosts example.com}). */
    @Test
    void theTraceCheckerTellsLoopbackFromTheOutsideWorld() throws IOException {
        List<String> allowed = List.of(
                "21102 connect(3, {sa_family=AF_UNIX, sun_path=\"/var/run/nscd/socket\"}, 110) = -1 ENOENT (No such file or directory)",
                "4242 connect(12, {sa_family=AF_INET, sin_port=htons(50051), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0",
                "4242 connect(12, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr(\"127.8.9.10\")}, 16) = 0",
                "4242 connect(12, {sa_family=AF_INET6, sin6_port=htons(50051), sin6_flowinfo=htonl(0), "
                        + "inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = 0",
                "4242 connect(12, {sa_family=AF_INET6, sin6_port=htons(50051), sin6_flowinfo=htonl(0), "
                        + "inet_pton(AF_INET6, \"::ffff:127.0.0.1\", &sin6_addr), sin6_scope_id=0}, 28) = 0",
                "21102 sendto(3, \"\\255\\223\\1\\0\\7example\\3com\", 29, MSG_NOSIGNAL, NULL, 0) = 29",
                "4242 sendto(5, [{nlmsg_len=20, nlmsg_type=RTM_GETLINK}], 20, 0, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 20",
                "4242 connect(7, {sa_family=AF_UNSPEC, sa_data=\"\\0\\0\\0\\0\"}, 16) = 0");
        for (String line : allowed) {
            assertEquals(List.of(), nonLoopbackDestinations(line), line);
        }
        List<String> refused = List.of(
                "21102 connect(3, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr(\"10.255.255.53\")}, 16) = 0",
                "4242 connect(12, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), "
                        + "inet_pton(AF_INET6, \"2a00:1450:4001:80b::200e\", &sin6_addr), sin6_scope_id=0}, 28) = -1 ENETUNREACH",
                "4242 connect(12, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), "
                        + "inet_pton(AF_INET6, \"::ffff:93.184.216.34\", &sin6_addr), sin6_scope_id=0}, 28) = 0",
                "4242 sendmsg(9, {msg_name={sa_family=AF_INET, sin_port=htons(123), sin_addr=inet_addr(\"192.0.2.1\")}, "
                        + "msg_namelen=16, msg_iov=[{iov_base=\"x\", iov_len=1}], msg_iovlen=1, msg_controllen=0, msg_flags=0}, 0) = 1",
                "4242 connect(12, {sa_family=AF_INET, sin_port=htons(443), sin_addr=<unfinished ...>");
        for (String line : refused) {
            assertEquals(1, nonLoopbackDestinations(line).size(), line);
        }
    }

    private static List<String> straceCommand(Path strace, Path output) {
        // -f: every thread and child; -qq: no attach/exit chatter; --seccomp-bpf: stop only at the traced
        // calls, so the JVM runs at nearly full speed
        return List.of(strace.toString(), "-f", "-qq", "--seccomp-bpf", "-e", "trace=connect,sendto,sendmsg",
                "-o", output.toString());
    }

    /** user, item, weight: three users and four items, enough for every model the trainer fits. */
    private static String tinyInteractions() {
        return """
                u1\ti1\t1
                u1\ti2\t1
                u2\ti1\t1
                u2\ti3\t1
                u3\ti2\t1
                u3\ti3\t1
                u3\ti4\t1
                """;
    }

    /** Fails on any AF_INET/AF_INET6 address in the trace that is not loopback. */
    static void assertLoopbackOnly(Path trace) throws IOException {
        assertTrue(Files.isRegularFile(trace), () -> "no strace output at " + trace);
        List<String> lines = Files.readAllLines(trace, StandardCharsets.UTF_8);
        List<String> offending = new ArrayList<>();
        for (String line : lines) {
            offending.addAll(nonLoopbackDestinations(line));
        }
        assertTrue(offending.isEmpty(), () -> "non-loopback network calls in " + trace + ":\n" + String.join("\n", offending));
    }

    /** The non-loopback inet destinations a strace line names (with the line); empty for AF_UNIX, AF_NETLINK, NULL. */
    static List<String> nonLoopbackDestinations(String line) throws IOException {
        List<String> offending = new ArrayList<>();
        int families = count(line, "sa_family=AF_INET");
        int parsed = 0;
        Matcher v4 = INET4.matcher(line);
        while (v4.find()) {
            parsed++;
            if (!InetAddress.getByName(v4.group(1)).isLoopbackAddress()) {
                offending.add(line);
            }
        }
        Matcher v6 = INET6.matcher(line);
        while (v6.find()) {
            parsed++;
            InetAddress address = InetAddress.getByName(v6.group(1)); // ::ffff:127.0.0.1 comes back as an Inet4Address
            if (!address.isLoopbackAddress()) {
                offending.add(line);
            }
        }
        if (parsed < families) {
            offending.add("(address not understood) " + line);
        }
        return offending;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
