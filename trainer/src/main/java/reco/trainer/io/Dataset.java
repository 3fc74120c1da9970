package reco.trainer.io;

import java.util.List;
import reco.trainer.data.Interactions;
import reco.trainer.data.ItemMetadata;

/**
 * Everything {@link DatasetLoader#load} read.
 *
 * @param interactions the interaction rows; its item dictionary is shared with {@code metadata}
 * @param metadata item descriptions and tags (empty when no items or tags file was read)
 * @param interactedItemCount items that occur in at least one interaction: they hold item indexes
 *     {@code 0..interactedItemCount-1}, because interactions are read first; items known only from
 *     metadata (cold items) follow
 * @param reports one per file read, in reading order
 * @param inputs the fingerprint of every file read, in reading order (for the generation manifest)
 */
public record Dataset(Interactions interactions, ItemMetadata metadata, int interactedItemCount,
        List<ReadReport> reports, List<FileFingerprint> inputs) {

    public Dataset {
        reports = List.copyOf(reports);
        inputs = List.copyOf(inputs);
    }

    /** Users with at least one interaction (every user index comes from the interactions). */
    public int userCount() {
        return interactions.userCount();
    }
}
