package reco.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import reco.model.generation.Generations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code reco pull SOURCE DIR}: copy a generation from elsewhere into a model root and make it current. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        header = "Copy a generation from another location into a model directory and make it current.",
        description = {"Copy a generation into DIR and make it current: every file is checked against the size and "
                + "CRC32C its manifest lists while it is copied, the copy is validated, renamed into place, and only "
                + "then named in DIR/CURRENT (a server serving DIR swaps to it). A generation already in DIR is not "
                + "copied again.",
                "SOURCE is a generation directory or a model root (its current generation is copied), as a path or a "
                        + "URI: file:/..., jar:file:/models.zip!/gen-..., or any scheme whose Java file system provider "
                        + "is on the class path."})
public final class PullCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "Generation directory or model root: a path or URI.")
    String source;

    @Parameters(index = "1", paramLabel = "DIR", description = "The model root to copy into (created if missing).")
    Path root;

    @Option(names = "--lock-wait", defaultValue = "5m", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "How long to wait for a trainer publishing into DIR. Default: ${DEFAULT-VALUE}.")
    Duration lockWait;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String id = Generations.pull(Generations.sourcePath(source), root, lockWait);
        spec.commandLine().getOut().println("pulled " + id + " into " + root + "; CURRENT now names it");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
