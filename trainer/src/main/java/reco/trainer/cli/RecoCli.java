package reco.trainer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * Entry point of the offline commands ({@code bin/reco train|inspect|eval|tune|synth|demo}).
 * Results go to stdout, logs and progress to stderr; errors are one line (stack traces with
 * {@code --verbose}); usage errors exit 2.
 */
@Command(name = "reco",
        mixinStandardHelpOptions = true,
        versionProvider = RecoCli.Version.class,
        description = "reco: train recommendation models into memory-mapped generations, inspect and evaluate them.",
        subcommands = {
                TrainCommand.class,
                InspectCommand.class,
                EvalCommand.class,
                TuneCommand.class,
                DemoCommand.class,
                SynthCommand.class,
                EvalDiversityCommand.class,
                CommandLine.HelpCommand.class
        })
public final class RecoCli {
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
    boolean verbose;

    public static void main(String[] args) {
        reco.model.Logs.configure(java.util.Arrays.asList(args).contains("--verbose"));
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (used by tests, no System.exit). */
    public static int run(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new RecoCli());
        cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.FAILURE);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            boolean verbose = parseResult.originalArgs().contains("--verbose");
            if (e instanceof IllegalArgumentException) {
                err.println("reco " + commandLine.getCommandName() + ": " + e.getMessage());
                if (verbose) {
                    e.printStackTrace(err);
                }
                err.flush();
                return ExitCodes.USAGE;
            }
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            err.println("reco " + commandLine.getCommandName() + ": " + message);
            if (verbose) {
                e.printStackTrace(err);
            } else if (!(e instanceof java.io.IOException) && !(e instanceof CliException)
                    && !(e instanceof reco.trainer.data.DataException)) {
                err.println("(run with --verbose for details)");
            }
            err.flush();
            return ExitCodes.FAILURE;
        });
        return cli;
    }

    /** A failure already explained in its message (no stack trace hint needed). */
    public static final class CliException extends RuntimeException {
        public CliException(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {reco.trainer.generation.GenerationBuilder.TRAINER_VERSION};
        }
    }
}
