package reco.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Option values from the environment and a config file, for a command whose options an operator sets
 * per deployment ({@code reco serve}). Precedence: the command line, then {@code RECO_*} environment
 * variables, then the config file, then the option's own default.
 *
 * <ul>
 *   <li>Environment: {@code RECO_} + the long option name upper-cased with '-' as '_':
 *       {@code RECO_HTTP_PORT} for {@code --http-port}, {@code RECO_CONFIG} for {@code --config}.</li>
 *   <li>Config file ({@code --config FILE}): Java properties, {@code name = value} per line, names
 *       being the long option names without {@code --} ({@code http-port = 8081}); {@code #} starts a
 *       comment. A name that is no option of the command is a usage error naming the file and line.
 *       Relative paths in it are relative to the file's directory, so a file and the paths it names
 *       move together.</li>
 * </ul>
 *
 * Picocli asks a default provider only for options the command line did not give; a {@code null}
 * answer leaves the option's annotated default.
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    static final String ENV_PREFIX = "RECO_";
    static final String CONFIG_OPTION = "--config";
    /** Options that only make sense on a command line. */
    private static final List<String> NOT_CONFIGURABLE = List.of("--help", "--version", CONFIG_OPTION);

    private final Map<String, String> environment;
    private Path loadedPath;
    private Properties loaded;

    ConfigDefaults() {
        this(System.getenv());
    }

    ConfigDefaults(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** {@code RECO_HTTP_PORT} for {@code --http-port}. */
    static String environmentName(String longOption) {
        return ENV_PREFIX + key(longOption).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** {@code http-port} for {@code --http-port}: the option's name in a config file. */
    static String key(String longOption) {
        return longOption.replaceFirst("^-+", "");
    }

    @Override
    public String defaultValue(ArgSpec arg) throws IOException {
        if (!(arg instanceof OptionSpec option) || option.command() == null) {
            return null;
        }
        String name = option.longestName();
        if (name.equals(CONFIG_OPTION)) {
            return environment.get(environmentName(name));
        }
        if (NOT_CONFIGURABLE.contains(name)) {
            return null;
        }
        String fromEnvironment = environment.get(environmentName(name));
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        Path file = configFile(option.command());
        if (file == null) {
            return null;
        }
        String value = load(option.command(), file).getProperty(key(name));
        if (value == null) {
            return null;
        }
        if (option.type() == Path.class && !value.isBlank()) {
            Path dir = file.toAbsolutePath().getParent();
            return dir == null ? value : dir.resolve(value.strip()).normalize().toString();
        }
        return value.strip();
    }

    /** The config file: {@code --config} from the command line, else {@code RECO_CONFIG}, else none. */
    private Path configFile(CommandSpec command) {
        OptionSpec config = command.findOption(CONFIG_OPTION);
        if (config == null) {
            return null;
        }
        Object given = config.getValue();
        if (given instanceof Path p) {
            return p;
        }
        String fromEnvironment = environment.get(environmentName(CONFIG_OPTION));
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : Path.of(fromEnvironment);
    }

    private Properties load(CommandSpec command, Path file) throws IOException {
        if (loaded != null && file.equals(loadedPath)) {
            return loaded;
        }
        CommandLine cli = command.commandLine();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CommandLine.ParameterException(cli, "config file " + file + " does not exist or is not readable");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            throw new CommandLine.ParameterException(cli, "config file " + file + " is not a properties file: "
                    + e.getMessage());
        }
        TreeSet<String> known = new TreeSet<>();
        for (OptionSpec o : command.options()) {
            if (!NOT_CONFIGURABLE.contains(o.longestName())) {
                known.add(key(o.longestName()));
            }
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (!known.contains(key)) {
                throw new CommandLine.ParameterException(cli, "config file " + file + lineOf(lines, key)
                        + ": unknown option '" + key + "'; " + command.qualifiedName() + " takes: "
                        + String.join(", ", known));
            }
        }
        loadedPath = file;
        loaded = properties;
        return properties;
    }

    /** ", line N" of the first line defining {@code key}, or "" when it cannot be told (continuation lines). */
    private static String lineOf(List<String> lines, String key) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).stripLeading();
            if (line.startsWith(key) && (line.length() == key.length()
                    || " \t=:".indexOf(line.charAt(key.length())) >= 0)) {
                return ", line " + (i + 1);
            }
        }
        return "";
    }
}
