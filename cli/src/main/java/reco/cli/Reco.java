package reco.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;

/**
 * {@code reco}: the one command tree of every reco process (what {@code bin/reco} runs). Results go to
 * stdout, logs and progress to stderr; errors are one line (stack traces with {@code --verbose}); exit
 * codes are {@link ExitCodes}: 0 success, 1 failure (bad data, damaged model, I/O), 2 usage error.
 */
@Command(name = "reco",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "reco: train recommendation models into memory-mapped generations and serve them over gRPC.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run 'reco COMMAND --help' for a command's options."},
        subcommands = {
                DemoCommand.class,
                TrainCommand.class,
                ServeCommand.class,
                InspectCommand.class,
                GenerationsCommand.class,
                PullCommand.class,
                EvalCommand.class,
                EvalDiversityCommand.class,
                EvalFeedbackCommand.class,
                TuneCommand.class,
                SynthCommand.class,
                LoadTestCommand.class,
                VersionCommand.class,
                CommandLine.HelpCommand.class
        })
public final class Reco implements Runnable {
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Debug logging, and stack traces with errors.")
    boolean verbose;

    @Option(names = "--log-format", scope = CommandLine.ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "Logs on stderr as text (one readable line per record) or json (one JSON object per line: "
                    + "time, level, logger, thread, message, exception). Default: text.")
    Logging.Format logFormat = Logging.Format.text;

    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code reco} without a command: the usage on stderr, as a usage error. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        List<String> list = Arrays.asList(args);
        // before parsing, so that parsing problems are logged in the asked-for format too
        Logging.configure(System.err, list.contains("--verbose"),
                list.contains("--log-format=json") || String.join(" ", list).contains("--log-format json")
                        ? Logging.Format.json : Logging.Format.text);
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (used by tests: no System.exit). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** The command tree with commands created by {@code factory} (tests inject commands with their own streams). */
    public static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cli = new CommandLine(new Reco(), factory);
        // bash/zsh completion: `source <(reco completion)`
        cli.addSubcommand("completion", new CommandLine(new AutoComplete.GenerateCompletion(), factory)
                .setUsageHelpAutoWidth(true));
        // once parsed: --verbose and --log-format (or RECO_LOG_FORMAT for serve) decide the log setup
        cli.setExecutionStrategy(parseResult -> {
            Reco root = (Reco) parseResult.commandSpec().userObject();
            Logging.configure(System.err, root.verbose, root.logFormat);
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.FAILURE);
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println(name(cmd) + ": " + e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
                err.println("Run '" + name(cmd) + " --help' for usage.");
            }
            err.flush();
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            boolean verbose = parseResult.originalArgs().contains("--verbose");
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            err.println(name(commandLine) + ": " + message);
            if (verbose) {
                e.printStackTrace(err);
            } else if (!(e instanceof IllegalArgumentException) && !(e instanceof java.io.IOException)
                    && !(e instanceof CliException) && !(e instanceof reco.trainer.data.DataException)) {
                err.println("(run with --verbose for details)");
            }
            err.flush();
            return e instanceof IllegalArgumentException ? ExitCodes.USAGE : ExitCodes.FAILURE;
        });
        return cli;
    }

    /** "reco train" for a subcommand, "reco" for the root: how messages name the command. */
    private static String name(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName(); // "reco generations activate"
    }

    /** A failure already explained in its message: exit 1, no stack-trace hint. */
    public static final class CliException extends RuntimeException {
        public CliException(String message) {
            super(message);
        }
    }
}
