/**
 * Seeded synthetic data: {@link reco.synth.DemoCatalog}, the small MovieLens-shaped movie
 * catalogue behind {@code reco demo}, and {@link reco.synth.SyntheticInteractions}, large
 * Zipf/log-normal interaction sets with latent taste clusters for benchmarks ({@code reco synth}).
 *
 * <p>Both are pure functions of their parameter records: every random draw comes from
 * {@code SplitMix64} sub-streams of the seed (never from hash iteration order or the JDK's
 * unspecified algorithms), so equal parameters give byte-identical files on any machine.
 */
package reco.synth;
