package reco.model.generation;

import reco.model.scoring.IntSet;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

import reco.model.format.ModelFormatException;

/**
 * Items a generation must never recommend (a business rule: withdrawn titles, legal holds). The file
 * is plain text, one item id per line, UTF-8; surrounding blanks are trimmed, blank lines and lines
 * starting with '#' are skipped. Ids the generation does not know are ignored (and counted), so one
 * list can serve generations trained on different catalogues.
 */
public final class BlockList {
    /** The empty list (a generation without {@value GenerationFiles#BLOCK_LIST}). */
    public static final BlockList EMPTY = new BlockList(new IntSet(1), 0);

    private final IntSet items;
    private final int unknownIds;

    private BlockList(IntSet items, int unknownIds) {
        this.items = items;
        this.unknownIds = unknownIds;
    }

    /** The ids listed in {@code file}, in file order, without comments and blanks. */
    public static List<String> readIds(Path file) throws IOException {
        List<String> ids = new ArrayList<>();
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            int number = 0;
            while (true) {
                try {
                    line = in.readLine();
                } catch (CharacterCodingException e) {
                    throw new ModelFormatException(ModelFormatException.Kind.CORRUPT, file,
                            "line " + (number + 1) + " is not valid UTF-8");
                }
                if (line == null) {
                    break;
                }
                number++;
                String id = line.strip();
                if (!id.isEmpty() && !id.startsWith("#")) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** Reads {@code file}, resolving ids with {@code indexOf} (returns -1 for an unknown id). */
    public static BlockList read(Path file, ToIntFunction<String> indexOf) throws IOException {
        List<String> ids = readIds(file);
        IntSet items = new IntSet(Math.max(1, ids.size()));
        int unknown = 0;
        for (String id : ids) {
            int item = indexOf.applyAsInt(id);
            if (item >= 0) {
                items.add(item);
            } else {
                unknown++;
            }
        }
        return new BlockList(items, unknown);
    }

    public boolean isBlocked(int item) {
        return items.size() > 0 && items.contains(item);
    }

    /** The blocked items (dense indexes); do not modify. */
    public IntSet items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    /** Listed ids that are not in the generation. */
    public int unknownIds() {
        return unknownIds;
    }
}
