package reco.trainer.cli;
import picocli.CommandLine.Command;
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train models into a new generation.")
public final class TrainCommand implements java.util.concurrent.Callable<Integer> {
    @Override public Integer call() { throw new RecoCli.CliException("not wired yet"); }
}
