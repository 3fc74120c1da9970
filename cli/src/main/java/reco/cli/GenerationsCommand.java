package reco.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reco.model.generation.Generations;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code reco generations list|activate|prune}: the generations of a model root, on disk. A server
 * serving the root follows CURRENT (within its poll interval), so {@code activate} is how to roll back
 * or forward; the server's Admin RPCs {@code ListGenerations} and {@code Activate} do the same remotely.
 */
@Command(name = "generations",
        header = "List the generations of a model directory, make one current (roll back), prune old ones.",
        mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "List the generations of a model directory, make one current (roll back or forward), or prune "
                + "old ones. A server serving the directory follows CURRENT within its --poll-interval.",
        subcommands = {GenerationsCommand.ListCommand.class, GenerationsCommand.ActivateCommand.class,
                GenerationsCommand.PruneCommand.class})
public final class GenerationsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: list, activate or prune");
    }

    /** The model root option every subcommand takes. */
    static final class ModelRoot {
        @Option(names = "--model", required = true, paramLabel = "DIR",
                description = "Model root: the directory holding CURRENT and the generation directories.")
        Path root;

        @Option(names = "--lock-wait", defaultValue = "5m", paramLabel = "DURATION", converter = Durations.Converter.class,
                description = "How long to wait for a trainer publishing into the same directory. Default: ${DEFAULT-VALUE}.")
        Duration lockWait;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            header = "List the generations, newest first; '*' marks the one CURRENT names.",
            description = {"List the generations, newest first: name, creation time, items, users, size on disk.",
                    "'*' marks the one CURRENT names. A generation with missing or resized files says so; checksums "
                            + "are verified by 'activate' and by the server when it loads one."})
    static final class ListCommand implements Callable<Integer> {
        @CommandLine.Mixin
        ModelRoot model;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<Generations.Info> generations = Generations.list(model.root);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "  %-28s %-24s %10s %10s %12s  %s%n", "GENERATION", "CREATED", "ITEMS", "USERS",
                    "BYTES", "STATUS");
            for (Generations.Info g : generations) {
                out.printf(Locale.ROOT, "%s %-28s %-24s %10d %10d %12d  %s%n", g.current() ? "*" : " ", g.id(),
                        g.createdAt() == null ? "-" : g.createdAt().toString(), g.items(), g.users(), g.bytes(),
                        g.problem() != null ? "damaged: " + g.problem() : g.current() ? "current" : "ok");
            }
            out.flush();
            if (generations.isEmpty()) {
                spec.commandLine().getErr().println("no generations under " + model.root
                        + " (train one with `reco train --out " + model.root + "`)");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true,
            header = "Validate a generation and point CURRENT at it (roll back or forward).",
            description = {"Validate a generation fully (manifest, sizes, CRC32C, headers) and atomically point CURRENT "
                    + "at it. A generation that does not validate is refused and CURRENT stays as it was (exit 1).",
                    "A server serving the directory swaps to it within its --poll-interval, without failing a call."})
    static final class ActivateCommand implements Callable<Integer> {
        @CommandLine.Mixin
        ModelRoot model;

        @Parameters(paramLabel = "GENERATION", description = "The generation's name, as 'reco generations list' shows it.")
        String generation;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Generations.activate(model.root, generation, model.lockWait);
            spec.commandLine().getOut().println("CURRENT now names " + generation);
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true,
            header = "Delete all but the newest generations (never the current one).",
            description = "Delete all but the newest --keep generations, never the one CURRENT names. A server still "
                    + "serving a deleted generation keeps its mapped files until it swaps.")
    static final class PruneCommand implements Callable<Integer> {
        @CommandLine.Mixin
        ModelRoot model;

        @Option(names = "--keep", defaultValue = "3", paramLabel = "N",
                description = "Generations to keep, newest first (at least 1). Default: ${DEFAULT-VALUE}.")
        int keep;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (keep < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--keep must be at least 1, got " + keep);
            }
            List<String> removed = Generations.prune(model.root, keep, model.lockWait);
            PrintWriter out = spec.commandLine().getOut();
            for (String name : removed) {
                out.println("deleted " + name);
            }
            out.println(removed.size() + " generation(s) deleted");
            out.flush();
            return ExitCodes.OK;
        }
    }
}
