package reco.trainer.eval;

/**
 * One interaction row with every field kept as the source's text, so that a split writes it back
 * byte-identically (e.g. weight {@code "4.5"}, timestamp {@code "964982703"}).
 *
 * @param line 1-based line number in the source file, for error messages
 */
public record RawRow(String user, String item, String weight, String timestamp, int line) {}
