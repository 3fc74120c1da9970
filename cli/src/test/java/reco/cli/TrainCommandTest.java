package reco.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {
    @Test
    void theSparkJobGetsTheTrainArgumentsWithoutEngineAndMaster() {
        assertEquals(List.of("--verbose", "--interactions", "r.csv", "--min-weight", "4", "--out", "m"),
                TrainCommand.sparkArguments(List.of("--verbose", "train", "--engine", "spark", "--interactions", "r.csv",
                        "--master=local[2]", "--min-weight", "4", "--engine=spark", "--master", "local[2]", "--out", "m")));
    }

    @Test
    void sparkOnlyOptionsAreAUsageErrorOfTheLocalEngine() {
        StringWriter err = new StringWriter();
        CommandLine cl = Reco.commandLine();
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("train", "--interactions", "r.csv", "--out", "m", "--partitions", "2");
        assertEquals(ExitCodes.USAGE, exit, err.toString());
        assertTrue(err.toString().contains("--partitions"), err.toString());
    }

    @Test
    void masterWithoutTheSparkEngineIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cl = Reco.commandLine();
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("train", "--interactions", "r.csv", "--out", "m", "--master", "local[2]");
        assertEquals(ExitCodes.USAGE, exit, err.toString());
        assertTrue(err.toString().contains("--master needs --engine spark"), err.toString());
    }
}
