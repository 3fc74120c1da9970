package reco.trainer.io;

/**
 * How to read generic delimited files ({@link InputFormat#DELIMITED}).
 *
 * <p>The number of fields per row is fixed by the header, or by the first data row when there is
 * none; every other row must have exactly as many, or it is reported as malformed. Optional columns
 * (weight, timestamp, title, categories, text) whose index lies beyond that width are absent, which
 * is how the default column layout reads 2-, 3- and 4-column files alike.
 *
 * @param delimiter field separator byte (ASCII)
 * @param header whether the first line is a header
 * @param quoted RFC 4180 quoting: a field may be enclosed in double quotes, contain the delimiter
 *     and line breaks, and write a quote as two; off by default for tab-separated files so a title
 *     may start with a quote
 * @param interactionColumns column positions of interactions files
 * @param itemColumns column positions of item files
 * @param tagColumns column positions of tag files
 */
public record DelimitedOptions(
        char delimiter,
        HeaderMode header,
        boolean quoted,
        InteractionColumns interactionColumns,
        ItemColumns itemColumns,
        TagColumns tagColumns) {

    /** Column index meaning "this file has no such column". */
    public static final int ABSENT = -1;

    /** Tab-separated, header auto-detected, no quoting, default columns. */
    public static final DelimitedOptions DEFAULT = new DelimitedOptions('\t', HeaderMode.AUTO, false,
            InteractionColumns.DEFAULT, ItemColumns.DEFAULT, TagColumns.AUTO);

    public DelimitedOptions {
        if (delimiter == 0 || delimiter > 0x7f || delimiter == '\n' || delimiter == '\r' || delimiter == '"') {
            throw new IllegalArgumentException("delimiter: " + printable(delimiter)
                    + " is not allowed; use one ASCII character other than a quote or line break");
        }
        if (header == null || interactionColumns == null || itemColumns == null || tagColumns == null) {
            throw new IllegalArgumentException("header and column layouts must not be null");
        }
    }

    /** Same options with another delimiter; quoting is switched on for commas and semicolons. */
    public DelimitedOptions withDelimiter(char newDelimiter) {
        return new DelimitedOptions(newDelimiter, header, newDelimiter == ',' || newDelimiter == ';',
                interactionColumns, itemColumns, tagColumns);
    }

    public DelimitedOptions withHeader(HeaderMode newHeader) {
        return new DelimitedOptions(delimiter, newHeader, quoted, interactionColumns, itemColumns, tagColumns);
    }

    public DelimitedOptions withQuoted(boolean newQuoted) {
        return new DelimitedOptions(delimiter, header, newQuoted, interactionColumns, itemColumns, tagColumns);
    }

    public DelimitedOptions withInteractionColumns(InteractionColumns columns) {
        return new DelimitedOptions(delimiter, header, quoted, columns, itemColumns, tagColumns);
    }

    public DelimitedOptions withItemColumns(ItemColumns columns) {
        return new DelimitedOptions(delimiter, header, quoted, interactionColumns, columns, tagColumns);
    }

    public DelimitedOptions withTagColumns(TagColumns columns) {
        return new DelimitedOptions(delimiter, header, quoted, interactionColumns, itemColumns, columns);
    }

    /**
     * Parses a CLI delimiter: one character, or one of the names {@code tab}, {@code comma},
     * {@code semicolon}, {@code pipe}, {@code space}, or the escape {@code \t}.
     */
    public static char parseDelimiter(String value) {
        switch (value) {
            case "tab", "\\t", "TAB": return '\t';
            case "comma": return ',';
            case "semicolon": return ';';
            case "pipe": return '|';
            case "space": return ' ';
            default:
                if (value.length() == 1 && value.charAt(0) > 0 && value.charAt(0) <= 0x7f) {
                    return value.charAt(0);
                }
                throw new IllegalArgumentException("delimiter: '" + value
                        + "' is not one ASCII character or tab, comma, semicolon, pipe, space");
        }
    }

    static String printable(char c) {
        return switch (c) {
            case '\t' -> "'\\t'";
            case '\n' -> "'\\n'";
            case '\r' -> "'\\r'";
            case 0 -> "NUL";
            default -> "'" + c + "'";
        };
    }

    private static void checkColumn(String name, int index, boolean optional) {
        if (index < (optional ? ABSENT : 0)) {
            throw new IllegalArgumentException(name + ": column " + index + " out of range; expected a 0-based index"
                    + (optional ? " or " + ABSENT + " (absent)" : ""));
        }
    }

    /**
     * 0-based columns of an interactions file; weight and timestamp may be {@link #ABSENT}.
     * Default: user 0, item 1, weight 2, timestamp 3.
     */
    public record InteractionColumns(int user, int item, int weight, int timestamp) {
        public static final InteractionColumns DEFAULT = new InteractionColumns(0, 1, 2, 3);

        public InteractionColumns {
            checkColumn("user column", user, false);
            checkColumn("item column", item, false);
            checkColumn("weight column", weight, true);
            checkColumn("timestamp column", timestamp, true);
        }
    }

    /**
     * 0-based columns of an items file; title, categories and text may be {@link #ABSENT}.
     * Categories are {@code |}-separated. Default: id 0, title 1, categories 2, text 3.
     */
    public record ItemColumns(int id, int title, int categories, int text) {
        public static final ItemColumns DEFAULT = new ItemColumns(0, 1, 2, 3);

        public ItemColumns {
            checkColumn("item id column", id, false);
            checkColumn("title column", title, true);
            checkColumn("categories column", categories, true);
            checkColumn("text column", text, true);
        }
    }

    /**
     * 0-based columns of a tags file. {@link #AUTO} picks by width: 2 fields are (item, tag); 3 or
     * more are (user, item, tag[, timestamp]).
     */
    public record TagColumns(int item, int tag) {
        public static final TagColumns AUTO = new TagColumns(ABSENT, ABSENT);

        public TagColumns {
            boolean auto = item == ABSENT && tag == ABSENT;
            if (!auto) {
                checkColumn("tag item column", item, false);
                checkColumn("tag column", tag, false);
            }
        }

        public boolean isAuto() {
            return item == ABSENT && tag == ABSENT;
        }

        /** The concrete layout for a file with {@code width} fields per row. */
        TagColumns forWidth(int width) {
            if (!isAuto()) {
                return this;
            }
            return width <= 2 ? new TagColumns(0, 1) : new TagColumns(1, 2);
        }
    }
}
