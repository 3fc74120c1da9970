package reco.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code reco serve} option values: command line > RECO_* environment > --config file > default. */
class ConfigDefaultsTest {
    @TempDir
    Path dir;

    /** Parses {@code reco serve ARGS} with {@code env} as the environment; returns the command with its fields set. */
    private static ServeCommand parse(Map<String, String> env, String... args) {
        CommandLine cli = Reco.commandLine();
        cli.getSubcommands().get("serve").setDefaultValueProvider(new ConfigDefaults(env));
        String[] full = new String[args.length + 1];
        full[0] = "serve";
        System.arraycopy(args, 0, full, 1, args.length);
        CommandLine.ParseResult result = cli.parseArgs(full);
        return (ServeCommand) result.subcommand().commandSpec().userObject();
    }

    private Path config(String text) throws Exception {
        Path file = dir.resolve("reco.properties");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void commandLineBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
        Path file = config("""
                # a deployment's settings
                model = models
                port = 50100
                http-port = 18100
                poll-interval = 5s
                host = 0.0.0.0
                """);
        ServeCommand serve = parse(Map.of("RECO_PORT", "50101", "RECO_HTTP_PORT", "18101"),
                "--config", file.toString(), "--port", "50102");
        assertEquals(50102, serve.port, "the command line wins");
        assertEquals("18101", serve.httpPort, "the environment beats the file");
        assertEquals(Duration.ofSeconds(5), serve.pollInterval, "the file beats the default");
        assertEquals("0.0.0.0", serve.host);
        assertEquals(Duration.ofSeconds(10), serve.gracePeriod, "nothing sets it: the default");
        assertEquals(dir.resolve("models"), serve.modelRoot, "relative paths are relative to the file");
    }

    @Test
    void configFileFromTheEnvironmentAndRequiredOptionsFromIt() throws Exception {
        Path file = config("model=/srv/models\nmetrics=false\n");
        ServeCommand serve = parse(Map.of("RECO_CONFIG", file.toString()));
        assertEquals(Path.of("/srv/models"), serve.modelRoot, "--model is required, and the file gives it");
        assertFalse(serve.metrics);
        assertEquals(ServeCommand.DEFAULT_PORT, serve.port);
    }

    @Test
    void environmentAloneSuffices() {
        ServeCommand serve = parse(Map.of("RECO_MODEL", "/srv/m", "RECO_MAX_CONCURRENT_CALLS", "64",
                "RECO_JAVA_OPTS", "-Xmx1g"));
        assertEquals(Path.of("/srv/m"), serve.modelRoot);
        assertEquals(64, serve.maxConcurrentCalls);
    }

    @Test
    void logFormatFromTheEnvironment() {
        CommandLine cli = Reco.commandLine();
        cli.getSubcommands().get("serve").setDefaultValueProvider(new ConfigDefaults(Map.of("RECO_LOG_FORMAT", "json")));
        CommandLine.ParseResult result = cli.parseArgs("serve", "--model", "/srv/m");
        assertEquals(Logging.Format.json, ((ServeCommand) result.subcommand().commandSpec().userObject()).logFormat());
        for (String[] args : List.of(new String[] {"serve", "--model", "/srv/m", "--log-format", "json"},
                new String[] {"--log-format", "json", "serve", "--model", "/srv/m"})) {
            CommandLine.ParseResult given = Reco.commandLine().parseArgs(args);
            assertEquals(Logging.Format.json, ((ServeCommand) given.subcommand().commandSpec().userObject()).logFormat());
        }
        CommandLine.ParseResult plain = Reco.commandLine().parseArgs("serve", "--model", "/srv/m");
        assertEquals(Logging.Format.text, ((ServeCommand) plain.subcommand().commandSpec().userObject()).logFormat());
    }

    @Test
    void withoutAnySourceTheRequiredModelIsMissing() {
        assertThrows(CommandLine.MissingParameterException.class, () -> parse(Map.of()));
    }

    @Test
    void unknownKeyIsAUsageErrorWithFileAndLine() throws Exception {
        Path file = config("model = m\n\n# comment\nprot = 1\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = Reco.commandLine();
        cli.getSubcommands().get("serve").setDefaultValueProvider(new ConfigDefaults(Map.of()));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = cli.execute("serve", "--config", file.toString());
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(ExitCodes.USAGE, code, message);
        assertTrue(message.contains(file + ", line 4: unknown option 'prot'"), message);
        assertTrue(message.contains("port"), "lists what it takes: " + message);
    }

    @Test
    void missingConfigFileIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = Reco.commandLine();
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = cli.execute("serve", "--config", dir.resolve("nope.properties").toString());
        assertEquals(ExitCodes.USAGE, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("nope.properties does not exist"), err.toString());
    }

    @Test
    void badValueFromTheEnvironmentIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = Reco.commandLine();
        cli.getSubcommands().get("serve").setDefaultValueProvider(new ConfigDefaults(Map.of("RECO_PORT", "eighty")));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = cli.execute("serve", "--model", dir.toString());
        assertEquals(ExitCodes.USAGE, code, err.toString());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("eighty"), err.toString());
    }

    @Test
    void helpDocumentsTheSources() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CommandLine cli = Reco.commandLine();
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        assertEquals(ExitCodes.OK, cli.execute("serve", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--config=FILE"), help);
        assertTrue(help.contains("RECO_HTTP_PORT"), help);
    }

    @Test
    void environmentNames() {
        assertEquals("RECO_HTTP_PORT", ConfigDefaults.environmentName("--http-port"));
        assertEquals("RECO_ADMIN_TOKEN_FILE", ConfigDefaults.environmentName("--admin-token-file"));
    }
}
