/**
 * Approximate maximum inner product search for large catalogues: an IVF index (k-means coarse
 * quantiser + inverted lists, float32, memory-mapped, exact re-scoring of the probed lists).
 *
 * <p>The trainer builds one over the item factors with {@link reco.model.ann.IvfIndexWriter#write}
 * when the catalogue reaches {@link reco.model.ann.IvfParameters#DEFAULT_MIN_ITEMS}; the server opens
 * it with {@link reco.model.ann.IvfIndex#open} and calls {@link reco.model.ann.IvfIndex#search}
 * instead of scoring every item. Scores are the same raw dot products exact scoring gives; only items
 * in unprobed lists can be missed. Measurements and the choice of defaults: docs/benchmarks.md,
 * section "Approximate index (IVF)".
 */
package reco.model.ann;
