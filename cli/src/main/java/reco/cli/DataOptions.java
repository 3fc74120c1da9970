package reco.cli;

import picocli.CommandLine.Option;
import reco.trainer.io.DelimitedOptions;
import reco.trainer.io.HeaderMode;
import reco.trainer.io.InputFormat;
import reco.trainer.io.LoadRequest;

import java.nio.file.Path;

/** Input options shared by the commands that read a dataset (train, eval, tune). */
public final class DataOptions {
    @Option(names = "--interactions", required = true, paramLabel = "PATH",
            description = "Interaction log: a file (MovieLens ratings.csv or u.data, or delimited user,item[,weight[,timestamp]]) "
                    + "or a MovieLens folder (its movies/tags files are then picked up too).")
    Path interactions;

    @Option(names = "--items", paramLabel = "PATH",
            description = "Item metadata: MovieLens movies.csv or u.item, or delimited id,title,categories(|-separated),text.")
    Path items;

    @Option(names = "--tags", paramLabel = "PATH",
            description = "Item tags: MovieLens tags.csv, or delimited item,tag or user,item,tag[,timestamp].")
    Path tags;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
            description = "Input format of every file: auto (detect from name and header), movielens, ml100k, delimited. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--delimiter", paramLabel = "CHAR",
            description = "Field delimiter of delimited files: tab (default), comma, semicolon, pipe, space or one character.")
    String delimiter;

    @Option(names = "--header", defaultValue = "auto", paramLabel = "MODE",
            description = "Whether delimited files start with a header: yes, no, auto (default).")
    String header;

    @Option(names = "--columns", paramLabel = "U,I[,W[,T]]",
            description = "0-based columns of user, item, weight, timestamp in delimited interactions; '-' for absent. Default: 0,1,2,3.")
    String columns;

    @Option(names = "--strict", description = "Stop at the first malformed row instead of counting and reporting it.")
    boolean strict;

    public LoadRequest toLoadRequest() {
        DelimitedOptions options = DelimitedOptions.DEFAULT;
        if (delimiter != null) {
            options = options.withDelimiter(DelimitedOptions.parseDelimiter(delimiter));
        }
        options = options.withHeader(HeaderMode.parse(header));
        if (columns != null) {
            String[] parts = columns.split(",", -1);
            if (parts.length < 2 || parts.length > 4) {
                throw new IllegalArgumentException("--columns: expected 2 to 4 comma-separated positions, got '" + columns + "'");
            }
            int[] c = {DelimitedOptions.ABSENT, DelimitedOptions.ABSENT, DelimitedOptions.ABSENT, DelimitedOptions.ABSENT};
            for (int k = 0; k < parts.length; k++) {
                String p = parts[k].trim();
                if (p.equals("-")) {
                    continue;
                }
                try {
                    c[k] = Integer.parseInt(p);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--columns: '" + p + "' is not a column number or '-'");
                }
            }
            options = options.withInteractionColumns(new DelimitedOptions.InteractionColumns(c[0], c[1], c[2], c[3]));
        }
        return new LoadRequest(interactions, items, tags, InputFormat.parse(format), options, strict);
    }
}
