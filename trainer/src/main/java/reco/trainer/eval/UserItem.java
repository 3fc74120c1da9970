package reco.trainer.eval;

/** A (user, item) pair of ids as written in the source. */
public record UserItem(String user, String item) {}
