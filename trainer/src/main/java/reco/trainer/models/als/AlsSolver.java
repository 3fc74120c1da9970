package reco.trainer.models.als;

/** How each ALS row subproblem is solved. */
public enum AlsSolver {
    /**
     * A few conjugate-gradient steps warm-started from the current vector (Takacs, Pilaszy &amp; Tikk 2011):
     * O(cgSteps (n d + d^2)) per row for n interactions. The production solver.
     */
    CONJUGATE_GRADIENT,
    /**
     * The exact solution by Cholesky decomposition in double precision, O(n d^2 + d^3) per row: the readable
     * reference (same code as fold-in), for tests and small data.
     */
    CHOLESKY
}
