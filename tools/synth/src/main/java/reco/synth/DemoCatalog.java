package reco.synth;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import reco.trainer.data.IdDictionary;
import reco.trainer.data.Interactions;
import reco.trainer.data.ItemMetadata;

/**
 * The embedded movie catalogue behind {@code reco demo}: works offline, generated from a seed in
 * well under a second, shaped like MovieLens latest so the same readers and models apply.
 *
 * <ul>
 *   <li><b>Movies</b> ({@code movieId} 1..items): titles built from genre-flavoured word lists with a
 *       year ("The Silent Harbor (1987)"; MovieLens' trailing article "Silent Harbor, The (1987)" makes
 *       some titles contain commas, a few contain double quotes), 1-3 of the 18 MovieLens genres with
 *       skewed frequencies and genre-typical co-occurrence, a hidden quality and a Zipf-like popularity.</li>
 *   <li><b>Users</b> ({@code userId} 1..users): 1-3 favourite genres with weights; each rates at least
 *       {@value #MIN_RATINGS_PER_USER} movies (log-normal activity). Ratings happen in sessions: a session
 *       has one genre (mostly a favourite one), a time of day typical of that genre (children's films in
 *       the afternoon, horror late at night) and picks movies of that genre by popularity, with some
 *       noise from overall popularity. Ratings are 0.5-5 in half stars (some users use whole stars only),
 *       higher for favourite genres and good movies. Timestamps span {@code spanDays} from the start.</li>
 *   <li><b>Tags</b>: each movie has a few characteristic tags drawn mostly from its genres' tag words;
 *       about one user in eight tags movies they liked, mostly with those words, so tags correlate with
 *       genres and with each other.</li>
 * </ul>
 *
 * <p>{@link #writeCsv} writes MovieLens-latest CSVs ({@code ratings.csv}, {@code movies.csv},
 * {@code tags.csv}); {@link #addTo} fills the trainer's in-memory types with the same ids.
 */
public final class DemoCatalog {
    public static final String RATINGS_FILE = "ratings.csv";
    public static final String MOVIES_FILE = "movies.csv";
    public static final String TAGS_FILE = "tags.csv";
    public static final String RATINGS_HEADER = "userId,movieId,rating,timestamp";
    public static final String MOVIES_HEADER = "movieId,title,genres";
    public static final String TAGS_HEADER = "userId,movieId,tag,timestamp";
    /** As in MovieLens, every user rates at least this many movies (fewer when the catalogue is tiny). */
    public static final int MIN_RATINGS_PER_USER = 20;
    /** A user rates at most this fraction of the movies. */
    public static final double MAX_USER_ITEM_FRACTION = 1.0 / 3;
    /** The 18 genre names, in MovieLens' alphabetical order. */
    public static final List<String> GENRES;

    private static final int GENRE_COUNT = DemoVocabulary.GENRES.size();
    /** Genre indexes (into {@link DemoVocabulary#GENRES}) sorted by name, for writing genres as MovieLens does. */
    private static final int[] GENRES_BY_NAME;
    private static final List<String> TAG_WORDS = DemoVocabulary.allTags();
    private static final int[][] GENRE_TAGS;
    private static final int[] GENERIC_TAGS;

    static {
        Integer[] order = new Integer[GENRE_COUNT];
        for (int g = 0; g < GENRE_COUNT; g++) {
            order[g] = g;
        }
        Arrays.sort(order, (a, b) -> DemoVocabulary.GENRES.get(a).name().compareTo(DemoVocabulary.GENRES.get(b).name()));
        GENRES_BY_NAME = new int[GENRE_COUNT];
        List<String> names = new ArrayList<>();
        for (int k = 0; k < GENRE_COUNT; k++) {
            GENRES_BY_NAME[k] = order[k];
            names.add(DemoVocabulary.GENRES.get(order[k]).name());
        }
        GENRES = List.copyOf(names);
        GENRE_TAGS = new int[GENRE_COUNT][];
        for (int g = 0; g < GENRE_COUNT; g++) {
            GENRE_TAGS[g] = DemoVocabulary.GENRES.get(g).tags().stream().mapToInt(TAG_WORDS::indexOf).toArray();
        }
        GENERIC_TAGS = DemoVocabulary.GENERIC_TAGS.stream().mapToInt(TAG_WORDS::indexOf).toArray();
    }

    private static final long STREAM_ITEMS = -1;
    private static final long STREAM_ACTIVITY = -2;
    private static final long STREAM_TAGS = -3;
    private static final double POPULARITY_EXPONENT = 0.9;
    private static final double USER_ACTIVITY_SIGMA = 0.9;
    /** Share of picks that follow the session's genre; the rest follow overall popularity. */
    private static final double SESSION_GENRE_AFFINITY = 0.8;
    /** Share of sessions devoted to one of the user's favourite genres. */
    private static final double FAVOURITE_SESSION_SHARE = 0.85;
    private static final double MEAN_SESSION_LENGTH = 6;
    private static final double TAGGER_SHARE = 0.125;
    private static final int MAX_DUPLICATE_DRAWS = 32;

    /**
     * Generator parameters, validated by the canonical constructor (see {@code DEFAULT_*} and {@link #builder()}).
     *
     * @param items            number of movies, 10..1,000,000
     * @param users            number of users, 1..1,000,000
     * @param ratings          exact number of ratings, in [users * min(20, maxPerUser), users * maxPerUser]
     *                         with maxPerUser = floor(items / 3)
     * @param tags             approximate number of tag applications, 0..ratings
     * @param seed             any long; equal seeds give byte-identical files
     * @param startEpochSecond first day of the time range (unix seconds, >= 0)
     * @param spanDays         length of the time range in days, 1..36,500
     */
    public record Params(int items, int users, int ratings, int tags, long seed, long startEpochSecond, int spanDays) {
        public static final int DEFAULT_ITEMS = 3_000;
        public static final int DEFAULT_USERS = 1_000;
        public static final int DEFAULT_RATINGS = 100_000;
        public static final int DEFAULT_TAGS = 3_600;
        public static final long DEFAULT_SEED = 42L;
        /** 2022-01-01T00:00:00Z. */
        public static final long DEFAULT_START_EPOCH_SECOND = 1_640_995_200L;
        public static final int DEFAULT_SPAN_DAYS = 730;

        public Params {
            SyntheticInteractions.checkRange("items", items, 10, 1_000_000);
            SyntheticInteractions.checkRange("users", users, 1, 1_000_000);
            long min = (long) users * minRatingsPerUser(items);
            long max = (long) users * maxRatingsPerUser(items);
            if (ratings < min || ratings > max) {
                throw new IllegalArgumentException("ratings must be in [" + min + ", " + max + "] for " + users
                        + " users and " + items + " items (each user rates at least " + minRatingsPerUser(items)
                        + " and at most " + maxRatingsPerUser(items) + " movies), got " + ratings);
            }
            SyntheticInteractions.checkRange("tags", tags, 0, ratings);
            SyntheticInteractions.checkRange("startEpochSecond", startEpochSecond, 0, Long.MAX_VALUE / 2);
            SyntheticInteractions.checkRange("spanDays", spanDays, 1, 36_500);
        }

        public static Params defaults() {
            return builder().build();
        }

        public static Builder builder() {
            return new Builder();
        }

        public Builder toBuilder() {
            return new Builder().items(items).users(users).ratings(ratings).tags(tags).seed(seed)
                    .startEpochSecond(startEpochSecond).spanDays(spanDays);
        }

        static int maxRatingsPerUser(int items) {
            return Math.max(1, (int) (items * MAX_USER_ITEM_FRACTION));
        }

        static int minRatingsPerUser(int items) {
            return Math.min(MIN_RATINGS_PER_USER, maxRatingsPerUser(items));
        }
    }

    /** Mutable builder of {@link Params}, starting from the defaults; {@link #build()} validates. */
    public static final class Builder {
        private int items = Params.DEFAULT_ITEMS;
        private int users = Params.DEFAULT_USERS;
        private int ratings = Params.DEFAULT_RATINGS;
        private int tags = Params.DEFAULT_TAGS;
        private long seed = Params.DEFAULT_SEED;
        private long startEpochSecond = Params.DEFAULT_START_EPOCH_SECOND;
        private int spanDays = Params.DEFAULT_SPAN_DAYS;

        private Builder() {}

        public Builder items(int items) { this.items = items; return this; }
        public Builder users(int users) { this.users = users; return this; }
        public Builder ratings(int ratings) { this.ratings = ratings; return this; }
        public Builder tags(int tags) { this.tags = tags; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        public Builder startEpochSecond(long startEpochSecond) { this.startEpochSecond = startEpochSecond; return this; }
        public Builder spanDays(int spanDays) { this.spanDays = spanDays; return this; }

        public Params build() {
            return new Params(items, users, ratings, tags, seed, startEpochSecond, spanDays);
        }
    }

    /** The catalogue loaded into the trainer's types; {@code metadata.items == interactions.items}. */
    public record InMemory(Interactions interactions, ItemMetadata metadata) {}

    private final Params params;
    // Movies, by index (movieId = index + 1).
    private final String[] titles;
    /** Bit g set when the movie has genre g (index into DemoVocabulary.GENRES). */
    private final int[] genreMask;
    // Ratings, grouped by user ascending, then movieId ascending (as MovieLens' ratings.csv).
    private final int[] ratingUser;
    private final int[] ratingItem;
    private final byte[] ratingHalfStars;
    private final long[] ratingTime;
    // Tag applications, in rating order.
    private final int[] tagUser;
    private final int[] tagItem;
    private final int[] tagWord;
    private final long[] tagTime;
    private final int[] ratingsPerItem;

    /** Generates the catalogue with the default parameters. */
    public static DemoCatalog generate() {
        return generate(Params.defaults());
    }

    public static DemoCatalog generate(Params params) {
        return new DemoCatalog(Objects.requireNonNull(params, "params"));
    }

    private DemoCatalog(Params p) {
        this.params = p;
        int items = p.items();
        titles = new String[items];
        genreMask = new int[items];
        float[] quality = new float[items];
        double[] popularity = new double[items];
        int[][] itemTags = new int[items][];
        generateMovies(p, quality, popularity, itemTags);

        // Per-genre samplers over the movies of that genre, weighted by popularity.
        int[][] genreMembers = new int[GENRE_COUNT][];
        AliasTable[] genreTables = new AliasTable[GENRE_COUNT];
        for (int g = 0; g < GENRE_COUNT; g++) {
            int size = 0;
            for (int i = 0; i < items; i++) {
                size += (genreMask[i] >>> g) & 1;
            }
            genreMembers[g] = new int[size];
            double[] weights = new double[size];
            int k = 0;
            for (int i = 0; i < items; i++) {
                if (((genreMask[i] >>> g) & 1) != 0) {
                    genreMembers[g][k] = i;
                    weights[k++] = popularity[i];
                }
            }
            genreTables[g] = size == 0 ? null : new AliasTable(weights);
        }
        AliasTable byPopularity = new AliasTable(popularity);
        // Fans spread over genres less unevenly than movies do: small genres still have fans.
        double[] fanWeights = new double[GENRE_COUNT];
        for (int g = 0; g < GENRE_COUNT; g++) {
            fanWeights[g] = genreMembers[g].length == 0 ? 0 : Math.sqrt(DemoVocabulary.GENRES.get(g).frequency());
        }
        AliasTable genreByFans = new AliasTable(fanWeights);

        SplitMix64 activityRng = SplitMix64.forStream(p.seed(), STREAM_ACTIVITY);
        double[] activity = new double[p.users()];
        for (int u = 0; u < activity.length; u++) {
            activity[u] = StrictMath.exp(USER_ACTIVITY_SIGMA * activityRng.nextGaussian());
        }
        int[] perUser = ActivityShares.allocate(activity, p.ratings(),
                Params.minRatingsPerUser(items), Params.maxRatingsPerUser(items));

        ratingUser = new int[p.ratings()];
        ratingItem = new int[p.ratings()];
        ratingHalfStars = new byte[p.ratings()];
        ratingTime = new long[p.ratings()];
        int[] favouriteGenre = new int[p.users()];
        new UserSimulation(p, perUser, genreMembers, genreTables, byPopularity, genreByFans, quality, favouriteGenre)
                .run();

        ratingsPerItem = new int[items];
        for (int item : ratingItem) {
            ratingsPerItem[item]++;
        }

        // Tags: taggers tag some movies they liked, mostly with the movie's characteristic tags.
        SplitMix64 tagRng = SplitMix64.forStream(p.seed(), STREAM_TAGS);
        boolean[] tagger = new boolean[p.users()];
        long eligible = 0;
        for (int u = 0; u < p.users(); u++) {
            tagger[u] = tagRng.nextBoolean(TAGGER_SHARE);
        }
        for (int r = 0; r < ratingUser.length; r++) {
            if (tagger[ratingUser[r]] && ratingHalfStars[r] >= 7) {
                eligible++;
            }
        }
        double meanTagsPerEvent = 1.5;
        double tagProbability = eligible == 0 ? 0 : Math.min(1.0, p.tags() / (eligible * meanTagsPerEvent));
        int capacity = (int) Math.min(2L * eligible, Integer.MAX_VALUE - 8);
        int[] tu = new int[capacity];
        int[] ti = new int[capacity];
        int[] tw = new int[capacity];
        long[] tt = new long[capacity];
        int tagCount = 0;
        for (int r = 0; r < ratingUser.length; r++) {
            int u = ratingUser[r];
            if (!tagger[u] || ratingHalfStars[r] < 7 || !tagRng.nextBoolean(tagProbability)) {
                continue;
            }
            int item = ratingItem[r];
            int words = tagRng.nextBoolean(0.5) ? 1 : 2;
            int first = -1;
            for (int w = 0; w < words; w++) {
                int word;
                do {
                    double choice = tagRng.nextDouble();
                    if (choice < 0.75) {
                        word = itemTags[item][tagRng.nextInt(itemTags[item].length)];
                    } else if (choice < 0.9) {
                        int[] favourite = GENRE_TAGS[favouriteGenre[u]];
                        word = favourite[tagRng.nextInt(favourite.length)];
                    } else {
                        word = GENERIC_TAGS[tagRng.nextInt(GENERIC_TAGS.length)];
                    }
                } while (word == first);
                first = word;
                tu[tagCount] = u;
                ti[tagCount] = item;
                tw[tagCount] = word;
                tt[tagCount] = ratingTime[r] + tagRng.nextInt(5, 300) + w;
                tagCount++;
            }
        }
        tagUser = Arrays.copyOf(tu, tagCount);
        tagItem = Arrays.copyOf(ti, tagCount);
        tagWord = Arrays.copyOf(tw, tagCount);
        tagTime = Arrays.copyOf(tt, tagCount);
    }

    private void generateMovies(Params p, float[] quality, double[] popularity, int[][] itemTags) {
        SplitMix64 rng = SplitMix64.forStream(p.seed(), STREAM_ITEMS);
        double[] frequencies = new double[GENRE_COUNT];
        for (int g = 0; g < GENRE_COUNT; g++) {
            frequencies[g] = DemoVocabulary.GENRES.get(g).frequency();
        }
        AliasTable genreByFrequency = new AliasTable(frequencies);
        Set<String> usedTitles = new HashSet<>(); // membership only: its order is never observed
        int items = p.items();
        int[] rankOfItem = new int[items];
        for (int i = 0; i < items; i++) {
            rankOfItem[i] = i;
        }
        for (int i = items - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = rankOfItem[i];
            rankOfItem[i] = rankOfItem[j];
            rankOfItem[j] = t;
        }
        for (int i = 0; i < items; i++) {
            int primary = genreByFrequency.sample(rng);
            DemoVocabulary.Genre genre = DemoVocabulary.GENRES.get(primary);
            int mask = 1 << primary;
            double shape = rng.nextDouble();
            int genreCount = shape < 0.45 ? 1 : shape < 0.8 ? 2 : 3;
            for (int extra = 1, attempts = 0; extra < genreCount && attempts < 10; attempts++) {
                int g = rng.nextBoolean(0.7)
                        ? genreIndex(genre.related().get(rng.nextInt(genre.related().size())))
                        : genreByFrequency.sample(rng);
                if ((mask & (1 << g)) == 0) {
                    mask |= 1 << g;
                    extra++;
                }
            }
            genreMask[i] = mask;
            int year = 2023 - (int) Math.min(90, Math.abs(rng.nextGaussian()) * 20);
            String title = null;
            for (int attempt = 0; title == null; attempt++) {
                String candidate = titleBase(rng, genre) + (attempt >= 20 ? " " + (attempt - 18) : "") + " (" + year + ")";
                if (usedTitles.add(candidate)) {
                    title = candidate;
                }
            }
            titles[i] = title;
            quality[i] = (float) (0.45 * rng.nextGaussian());
            popularity[i] = 1.0 / StrictMath.pow(rankOfItem[i] + 1, POPULARITY_EXPONENT);
            int tagCount = rng.nextInt(2, 4);
            itemTags[i] = new int[tagCount];
            for (int t = 0; t < tagCount; t++) {
                if (rng.nextBoolean(0.75)) {
                    int g = pickGenre(rng, mask);
                    itemTags[i][t] = GENRE_TAGS[g][rng.nextInt(GENRE_TAGS[g].length)];
                } else {
                    itemTags[i][t] = GENERIC_TAGS[rng.nextInt(GENERIC_TAGS.length)];
                }
            }
        }
    }

    /** A uniformly chosen genre among the bits of {@code mask}. */
    private static int pickGenre(SplitMix64 rng, int mask) {
        int pick = rng.nextInt(Integer.bitCount(mask));
        int m = mask;
        for (int k = 0; k < pick; k++) {
            m &= m - 1;
        }
        return Integer.numberOfTrailingZeros(m);
    }

    private static int genreIndex(String name) {
        for (int g = 0; g < GENRE_COUNT; g++) {
            if (DemoVocabulary.GENRES.get(g).name().equals(name)) {
                return g;
            }
        }
        throw new IllegalStateException("unknown related genre " + name);
    }

    private static String titleBase(SplitMix64 rng, DemoVocabulary.Genre genre) {
        String adjective = pick(rng, rng.nextBoolean(0.6) ? genre.adjectives() : DemoVocabulary.ADJECTIVES);
        String noun = pick(rng, rng.nextBoolean(0.6) ? genre.nouns() : DemoVocabulary.NOUNS);
        String other = pick(rng, DemoVocabulary.NOUNS);
        double pattern = rng.nextDouble();
        String base;
        if (pattern < 0.30) {
            // MovieLens moves a leading article to the end: "Silent Harbor, The".
            base = rng.nextBoolean(0.5) ? "The " + adjective + " " + noun : adjective + " " + noun + ", The";
        } else if (pattern < 0.50) {
            base = adjective + " " + noun;
        } else if (pattern < 0.65) {
            base = noun + " of the " + other;
        } else if (pattern < 0.75) {
            base = pick(rng, DemoVocabulary.NAMES) + "'s " + noun;
        } else if (pattern < 0.83) {
            base = noun + ", " + other + " and " + pick(rng, DemoVocabulary.NOUNS);
        } else if (pattern < 0.91) {
            base = "The " + noun + " " + (rng.nextBoolean(0.5) ? "II" : "III");
        } else if (pattern < 0.98) {
            base = noun;
        } else {
            base = "\"" + adjective + " " + noun + "\" " + other; // quotes inside a title, as in MovieLens
        }
        return base;
    }

    private static String pick(SplitMix64 rng, List<String> words) {
        return words.get(rng.nextInt(words.size()));
    }

    /** Simulates every user's sessions and writes the rating arrays. */
    private final class UserSimulation {
        private final Params p;
        private final int[] perUser;
        private final int[][] genreMembers;
        private final AliasTable[] genreTables;
        private final AliasTable byPopularity;
        private final AliasTable genreByFans;
        private final float[] quality;
        private final int[] favouriteGenre;

        UserSimulation(Params p, int[] perUser, int[][] genreMembers, AliasTable[] genreTables,
                AliasTable byPopularity, AliasTable genreByFans, float[] quality, int[] favouriteGenre) {
            this.p = p;
            this.perUser = perUser;
            this.genreMembers = genreMembers;
            this.genreTables = genreTables;
            this.byPopularity = byPopularity;
            this.genreByFans = genreByFans;
            this.quality = quality;
            this.favouriteGenre = favouriteGenre;
        }

        void run() {
            int items = p.items();
            int maxRows = Params.maxRatingsPerUser(items);
            boolean[] rated = new boolean[items];
            int[] sessionLength = new int[maxRows];
            int[] userItems = new int[maxRows];
            byte[] userStars = new byte[maxRows];
            long[] userTimes = new long[maxRows];
            long[] order = new long[maxRows];
            double[] spacing = new double[maxRows + 1];
            int[] favourites = new int[3];
            double[] favouriteWeight = new double[3];
            double[] genreAffinity = new double[GENRE_COUNT];
            SplitMix64 rng = new SplitMix64(0);
            int row = 0;

            for (int u = 0; u < p.users(); u++) {
                rng.reseed(SplitMix64.streamSeed(p.seed(), u));
                int count = perUser[u];
                double shape = rng.nextDouble();
                int favouriteCount = shape < 0.4 ? 1 : shape < 0.8 ? 2 : 3;
                int chosen = 0;
                for (int attempt = 0; chosen < favouriteCount && attempt < 20; attempt++) {
                    int g = genreByFans.sample(rng);
                    boolean duplicate = false;
                    for (int k = 0; k < chosen; k++) {
                        duplicate |= favourites[k] == g;
                    }
                    if (!duplicate) {
                        favourites[chosen++] = g;
                    }
                }
                favouriteCount = chosen;
                double totalWeight = 0;
                for (int k = 0; k < favouriteCount; k++) {
                    favouriteWeight[k] = rng.nextExponential();
                    totalWeight += favouriteWeight[k];
                }
                Arrays.fill(genreAffinity, 0);
                int strongest = 0;
                for (int k = 0; k < favouriteCount; k++) {
                    favouriteWeight[k] /= totalWeight;
                    genreAffinity[favourites[k]] = favouriteWeight[k];
                    if (favouriteWeight[k] > favouriteWeight[strongest]) {
                        strongest = k;
                    }
                }
                favouriteGenre[u] = favourites[strongest];
                double userBias = 0.35 * rng.nextGaussian();
                boolean wholeStars = rng.nextBoolean(0.3);

                // Active window inside the span, sessions spread over it in order.
                double windowDays = p.spanDays() * (0.05 + 0.95 * rng.nextDouble());
                double windowStart = (p.spanDays() - windowDays) * rng.nextDouble();
                int sessions = 0;
                for (int left = count; left > 0; ) {
                    int length = (int) Math.min(left, 1 + Math.floor(rng.nextExponential() * (MEAN_SESSION_LENGTH - 1)));
                    sessionLength[sessions++] = length;
                    left -= length;
                }
                double sum = 0;
                for (int s = 0; s <= sessions; s++) {
                    sum += rng.nextExponential();
                    spacing[s] = sum;
                }

                int r = 0;
                for (int s = 0; s < sessions; s++) {
                    int genre = favouriteCount > 0 && rng.nextBoolean(FAVOURITE_SESSION_SHARE)
                            ? favourites[pickWeighted(rng, favouriteWeight, favouriteCount)]
                            : genreByFans.sample(rng);
                    long day = (long) (windowStart + windowDays * (spacing[s] / sum));
                    int hour = Math.floorMod(DemoVocabulary.GENRES.get(genre).peakHour()
                            + (int) Math.round(1.8 * rng.nextGaussian()), 24);
                    long time = p.startEpochSecond() + day * 86_400L + hour * 3_600L + rng.nextInt(3_600);
                    for (int k = 0; k < sessionLength[s]; k++, r++) {
                        int item = drawItem(rng, genre, rated);
                        rated[item] = true;
                        userItems[r] = item;
                        double affinity = 0;
                        for (int m = genreMask[item]; m != 0; m &= m - 1) {
                            affinity += genreAffinity[Integer.numberOfTrailingZeros(m)];
                        }
                        double raw = 2.9 + quality[item] + userBias + 1.5 * affinity - (affinity == 0 ? 0.3 : 0)
                                + 0.6 * rng.nextGaussian();
                        long halfStars = wholeStars ? 2 * Math.round(raw) : Math.round(raw * 2);
                        userStars[r] = (byte) Math.clamp(halfStars, wholeStars ? 2 : 1, 10);
                        userTimes[r] = time;
                        time += rng.nextInt(60, 900);
                    }
                }
                // MovieLens orders a user's ratings by movieId.
                for (int k = 0; k < count; k++) {
                    order[k] = ((long) userItems[k] << 32) | k;
                    rated[userItems[k]] = false;
                }
                Arrays.sort(order, 0, count);
                for (int k = 0; k < count; k++) {
                    int source = (int) order[k];
                    ratingUser[row] = u;
                    ratingItem[row] = userItems[source];
                    ratingHalfStars[row] = userStars[source];
                    ratingTime[row] = userTimes[source];
                    row++;
                }
            }
        }

        private int drawItem(SplitMix64 rng, int genre, boolean[] rated) {
            for (int attempt = 0; ; attempt++) {
                int item;
                if (attempt >= MAX_DUPLICATE_DRAWS) {
                    item = rng.nextInt(p.items()); // the user has exhausted the likely picks
                } else if (genreTables[genre] != null && rng.nextBoolean(SESSION_GENRE_AFFINITY)) {
                    item = genreMembers[genre][genreTables[genre].sample(rng)];
                } else {
                    item = byPopularity.sample(rng);
                }
                if (!rated[item]) {
                    return item;
                }
            }
        }
    }

    private static int pickWeighted(SplitMix64 rng, double[] weights, int count) {
        double x = rng.nextDouble();
        for (int k = 0; k < count - 1; k++) {
            x -= weights[k];
            if (x < 0) {
                return k;
            }
        }
        return count - 1;
    }

    // ---- Output ----

    /** Writes {@code ratings.csv}, {@code movies.csv} and {@code tags.csv} (MovieLens latest layout) into {@code directory}. */
    public void writeCsv(Path directory) throws IOException {
        Files.createDirectories(directory);
        try (Writer w = newWriter(directory.resolve(MOVIES_FILE))) {
            w.write(MOVIES_HEADER);
            w.write('\n');
            for (int i = 0; i < titles.length; i++) {
                w.write(itemId(i));
                w.write(',');
                w.write(csvField(titles[i]));
                w.write(',');
                w.write(csvField(String.join("|", genres(i))));
                w.write('\n');
            }
        }
        try (Writer w = newWriter(directory.resolve(RATINGS_FILE))) {
            w.write(RATINGS_HEADER);
            w.write('\n');
            StringBuilder line = new StringBuilder(48);
            for (int r = 0; r < ratingUser.length; r++) {
                line.setLength(0);
                line.append(ratingUser[r] + 1).append(',').append(ratingItem[r] + 1).append(',')
                        .append(ratingHalfStars[r] / 2).append(ratingHalfStars[r] % 2 == 0 ? ".0" : ".5").append(',')
                        .append(ratingTime[r]).append('\n');
                w.append(line);
            }
        }
        try (Writer w = newWriter(directory.resolve(TAGS_FILE))) {
            w.write(TAGS_HEADER);
            w.write('\n');
            for (int t = 0; t < tagUser.length; t++) {
                w.write(Integer.toString(tagUser[t] + 1));
                w.write(',');
                w.write(itemId(tagItem[t]));
                w.write(',');
                w.write(csvField(TAG_WORDS.get(tagWord[t])));
                w.write(',');
                w.write(Long.toString(tagTime[t]));
                w.write('\n');
            }
        }
    }

    private static BufferedWriter newWriter(Path file) throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    /** RFC 4180 quoting: only fields with a comma, quote or line break are quoted; quotes are doubled. */
    static String csvField(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /**
     * Adds the whole catalogue to the trainer's types, with the ids the CSVs hold: every movie is
     * described first (so cold movies exist too), then the ratings (weight = stars) and tags.
     *
     * @throws IllegalArgumentException when the two do not share one item dictionary
     */
    public void addTo(Interactions interactions, ItemMetadata metadata) {
        if (interactions.items != metadata.items) {
            throw new IllegalArgumentException("interactions and metadata must share one item IdDictionary");
        }
        int[] itemIndex = new int[titles.length];
        for (int i = 0; i < titles.length; i++) {
            itemIndex[i] = metadata.describe(itemId(i), titles[i], genres(i), null);
        }
        int[] userIndex = new int[params.users()];
        Arrays.fill(userIndex, -1);
        for (int r = 0; r < ratingUser.length; r++) {
            int u = ratingUser[r];
            if (userIndex[u] < 0) {
                userIndex[u] = interactions.users.add(Integer.toString(u + 1));
            }
            interactions.add(userIndex[u], itemIndex[ratingItem[r]], ratingHalfStars[r] / 2f, ratingTime[r]);
        }
        for (int t = 0; t < tagUser.length; t++) {
            metadata.addTag(itemId(tagItem[t]), TAG_WORDS.get(tagWord[t]));
        }
    }

    /** The catalogue in new {@link Interactions} and {@link ItemMetadata} sharing one item dictionary. */
    public InMemory toInMemory() {
        IdDictionary items = new IdDictionary();
        Interactions interactions = new Interactions(new IdDictionary(), items);
        ItemMetadata metadata = new ItemMetadata(items);
        addTo(interactions, metadata);
        return new InMemory(interactions, metadata);
    }

    // ---- Queries for the demo ----

    public Params params() { return params; }
    public int itemCount() { return titles.length; }
    public int userCount() { return params.users(); }
    public int ratingCount() { return ratingUser.length; }
    public int tagCount() { return tagUser.length; }

    /** The movieId of movie {@code item} (0-based index): {@code item + 1} as a string. */
    public static String itemId(int item) {
        return Integer.toString(item + 1);
    }

    /** Title with year, e.g. "Silent Harbor, The (1987)". */
    public String title(int item) {
        return titles[item];
    }

    /** Genres of movie {@code item} in alphabetical order (as in movies.csv); unmodifiable. */
    public List<String> genres(int item) {
        List<String> names = new ArrayList<>(3);
        for (int g : GENRES_BY_NAME) {
            if ((genreMask[item] & (1 << g)) != 0) {
                names.add(DemoVocabulary.GENRES.get(g).name());
            }
        }
        return List.copyOf(names);
    }

    /** Number of ratings of movie {@code item}. */
    public int ratingCount(int item) {
        return ratingsPerItem[item];
    }

    /** Index of the movie with exactly this title, or -1. */
    public int itemOfTitle(String title) {
        for (int i = 0; i < titles.length; i++) {
            if (titles[i].equals(title)) {
                return i;
            }
        }
        return -1;
    }

    /** The {@code n} most rated movies, most rated first (ties: lower index first). */
    public int[] mostRatedItems(int n) {
        SyntheticInteractions.checkRange("n", n, 0, titles.length);
        long[] keys = new long[titles.length];
        for (int i = 0; i < titles.length; i++) {
            keys[i] = ((long) (Integer.MAX_VALUE - ratingsPerItem[i]) << 32) | i;
        }
        Arrays.sort(keys);
        int[] top = new int[n];
        for (int k = 0; k < n; k++) {
            top[k] = (int) keys[k];
        }
        return top;
    }

    /**
     * The most rated movie whose genres include {@code genre} (one of {@link #GENRES}), or -1 when none
     * has it: a good seed for "movies similar to X".
     */
    public int mostRatedItem(String genre) {
        int g = GENRES.indexOf(genre);
        if (g < 0) {
            throw new IllegalArgumentException("genre must be one of " + GENRES + ", got " + genre);
        }
        int bit = 1 << genreIndex(genre);
        int best = -1;
        for (int i = 0; i < titles.length; i++) {
            if ((genreMask[i] & bit) != 0 && (best < 0 || ratingsPerItem[i] > ratingsPerItem[best])) {
                best = i;
            }
        }
        return best;
    }
}
