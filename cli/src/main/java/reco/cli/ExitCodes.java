package reco.cli;

/** Process exit codes of every reco command. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The command ran and failed: bad input data, a damaged model, an I/O error. */
    public static final int FAILURE = 1;
    /** The command line itself is wrong (unknown option, invalid parameter value). */
    public static final int USAGE = 2;

    private ExitCodes() {}
}
