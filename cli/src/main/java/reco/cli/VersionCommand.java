package reco.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code reco version}: what {@code reco --version} prints, as a command. */
@Command(name = "version",
        header = "Print the version of reco, its model format and the Java runtime.", mixinStandardHelpOptions = true,
        description = "Print reco's version, the format versions it reads and writes, and the Java runtime.")
public final class VersionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (String line : new Provider().getVersion()) {
            System.out.println(line);
        }
        return ExitCodes.OK;
    }

    /** The build's version (the jar manifest's Implementation-Version), "dev" when run from classes. */
    static String version() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                    "reco " + version(),
                    "model format versions " + reco.model.format.ModelFileFormat.MIN_SUPPORTED_VERSION + ".."
                            + reco.model.format.ModelFileFormat.CURRENT_VERSION,
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor", "?") + ")"
            };
        }
    }
}
