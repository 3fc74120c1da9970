package reco.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reco.trainer.data.IdDictionary;
import reco.trainer.data.Interactions;
import reco.trainer.data.ItemMetadata;

class DemoCatalogTest {
    private static final long DAY = 86_400L;

    @TempDir
    static Path dir;
    private static DemoCatalog catalog;
    private static List<List<String>> movies;
    private static List<List<String>> ratings;
    private static List<List<String>> tags;

    @BeforeAll
    static void generateDefaultCatalogue() throws IOException {
        catalog = DemoCatalog.generate();
        catalog.writeCsv(dir);
        movies = readCsv(dir.resolve(DemoCatalog.MOVIES_FILE));
        ratings = readCsv(dir.resolve(DemoCatalog.RATINGS_FILE));
        tags = readCsv(dir.resolve(DemoCatalog.TAGS_FILE));
    }

    /** Minimal RFC 4180 reader: quoted fields, doubled quotes, LF line ends (no newlines inside fields). */
    static List<List<String>> readCsv(Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            rows.add(splitCsvLine(line));
        }
        return rows;
    }

    static List<String> splitCsvLine(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int k = 0; k < line.length(); k++) {
            char c = line.charAt(k);
            if (quoted) {
                if (c == '"' && k + 1 < line.length() && line.charAt(k + 1) == '"') {
                    field.append('"');
                    k++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    @Test
    void filesHaveMovieLensHeadersAndShapes() throws IOException {
        assertEquals(List.of("movieId", "title", "genres"), movies.get(0));
        assertEquals(List.of("userId", "movieId", "rating", "timestamp"), ratings.get(0));
        assertEquals(List.of("userId", "movieId", "tag", "timestamp"), tags.get(0));
        assertEquals(DemoCatalog.MOVIES_HEADER + "\n",
                Files.readString(dir.resolve(DemoCatalog.MOVIES_FILE)).substring(0, DemoCatalog.MOVIES_HEADER.length() + 1));
        for (List<List<String>> file : List.of(movies, ratings, tags)) {
            int columns = file.get(0).size();
            for (List<String> row : file) {
                assertEquals(columns, row.size(), () -> "fields in " + row);
            }
        }
        assertEquals(DemoCatalog.Params.DEFAULT_ITEMS + 1, movies.size());
        assertEquals(DemoCatalog.Params.DEFAULT_RATINGS + 1, ratings.size());
        // Tags are approximate: within 20% of the target.
        assertEquals(DemoCatalog.Params.DEFAULT_TAGS, tags.size() - 1, DemoCatalog.Params.DEFAULT_TAGS * 0.2);
        assertEquals(catalog.tagCount(), tags.size() - 1);
        assertTrue(Files.readString(dir.resolve(DemoCatalog.RATINGS_FILE)).indexOf('\r') < 0, "LF line ends");
    }

    @Test
    void everyRatedOrTaggedMovieExistsAndRatingsAreValid() {
        Set<String> movieIds = new HashSet<>();
        for (List<String> row : movies.subList(1, movies.size())) {
            assertTrue(movieIds.add(row.get(0)), "unique movieId");
            for (String genre : row.get(2).split("\\|")) {
                assertTrue(DemoCatalog.GENRES.contains(genre), genre);
            }
        }
        Set<String> pairs = new HashSet<>();
        Set<String> users = new HashSet<>();
        Set<String> halfStars = Set.of("0.5", "1.0", "1.5", "2.0", "2.5", "3.0", "3.5", "4.0", "4.5", "5.0");
        long start = DemoCatalog.Params.DEFAULT_START_EPOCH_SECOND;
        long end = start + (DemoCatalog.Params.DEFAULT_SPAN_DAYS + 2) * DAY;
        for (List<String> row : ratings.subList(1, ratings.size())) {
            assertTrue(movieIds.contains(row.get(1)), () -> "rated movie exists: " + row);
            assertTrue(pairs.add(row.get(0) + "/" + row.get(1)), () -> "duplicate pair " + row);
            assertTrue(halfStars.contains(row.get(2)), () -> "rating " + row);
            long ts = Long.parseLong(row.get(3));
            assertTrue(ts >= start && ts < end, () -> "timestamp " + row);
            users.add(row.get(0));
        }
        assertEquals(DemoCatalog.Params.DEFAULT_USERS, users.size());
        for (List<String> row : tags.subList(1, tags.size())) {
            assertTrue(movieIds.contains(row.get(1)), () -> "tagged movie exists: " + row);
            assertTrue(pairs.contains(row.get(0) + "/" + row.get(1)), () -> "users tag movies they rated: " + row);
        }
    }

    @Test
    void titlesRoundTripThroughCsvQuoting() {
        int withComma = 0;
        int withQuote = 0;
        Set<String> titles = new HashSet<>();
        for (int i = 0; i < catalog.itemCount(); i++) {
            List<String> row = movies.get(i + 1);
            assertEquals(DemoCatalog.itemId(i), row.get(0));
            assertEquals(catalog.title(i), row.get(1));
            assertEquals(String.join("|", catalog.genres(i)), row.get(2));
            assertTrue(row.get(1).matches(".+ \\((19|20)\\d\\d\\)"), row.get(1));
            assertTrue(titles.add(row.get(1)), "titles are unique");
            withComma += row.get(1).contains(",") ? 1 : 0;
            withQuote += row.get(1).contains("\"") ? 1 : 0;
        }
        assertTrue(withComma > 100, "titles with commas: " + withComma);
        assertTrue(withQuote > 10, "titles with quotes: " + withQuote);
        assertEquals("\"Harbor, The (1987)\"", DemoCatalog.csvField("Harbor, The (1987)"));
        assertEquals("\"\"\"Big\"\" Night (1990)\"", DemoCatalog.csvField("\"Big\" Night (1990)"));
        assertEquals("Plain (2001)", DemoCatalog.csvField("Plain (2001)"));
        assertEquals(List.of("5", "Harbor, The (1987)", "Drama"), splitCsvLine("5,\"Harbor, The (1987)\",Drama"));
    }

    @Test
    void genresAreSkewedAndMultiple() {
        Map<String, Integer> perGenre = new HashMap<>();
        int multi = 0;
        for (List<String> row : movies.subList(1, movies.size())) {
            String[] genres = row.get(2).split("\\|");
            assertTrue(genres.length >= 1 && genres.length <= 3);
            multi += genres.length > 1 ? 1 : 0;
            for (String g : genres) {
                perGenre.merge(g, 1, Integer::sum);
            }
        }
        assertEquals(18, perGenre.size(), "every genre is used: " + perGenre);
        assertTrue(perGenre.get("Drama") > 5 * perGenre.get("Western"), perGenre.toString());
        assertTrue(multi > catalog.itemCount() / 3, "movies with several genres: " + multi);
    }

    @Test
    void tagWordsCorrelateWithGenres() {
        Map<String, List<String>> genresOf = new HashMap<>();
        for (List<String> row : movies.subList(1, movies.size())) {
            genresOf.put(row.get(0), List.of(row.get(2).split("\\|")));
        }
        // P(movie has Horror | tag is a horror word) versus P(movie has Horror | any tag).
        Set<String> horrorWords = Set.of("scary", "gore", "jump scares", "creepy", "zombies", "vampires",
                "haunted house", "slasher", "supernatural", "disturbing");
        Set<String> sciFiWords = Set.of("space", "aliens", "dystopia", "time travel", "artificial intelligence",
                "robots", "cyberpunk", "post-apocalyptic", "mind-bending", "future");
        assertTrue(lift(genresOf, horrorWords, "Horror") > 3, "horror tags on horror movies");
        assertTrue(lift(genresOf, sciFiWords, "Sci-Fi") > 3, "sci-fi tags on sci-fi movies");
        Set<String> distinctWords = new HashSet<>();
        for (List<String> row : tags.subList(1, tags.size())) {
            distinctWords.add(row.get(2));
        }
        assertTrue(distinctWords.size() > 150, "distinct tag words: " + distinctWords.size());
    }

    private static double lift(Map<String, List<String>> genresOf, Set<String> words, String genre) {
        int tagged = 0;
        int taggedGenre = 0;
        int withWord = 0;
        int withWordGenre = 0;
        for (List<String> row : tags.subList(1, tags.size())) {
            boolean hasGenre = genresOf.get(row.get(1)).contains(genre);
            tagged++;
            taggedGenre += hasGenre ? 1 : 0;
            if (words.contains(row.get(2))) {
                withWord++;
                withWordGenre += hasGenre ? 1 : 0;
            }
        }
        assertTrue(withWord > 20, "applications of " + genre + " words: " + withWord);
        return ((double) withWordGenre / withWord) / ((double) taggedGenre / tagged);
    }

    @Test
    void usersFollowTheirGenresAndRateThemHigher() {
        Map<String, List<String>> genresOf = new HashMap<>();
        for (List<String> row : movies.subList(1, movies.size())) {
            genresOf.put(row.get(0), List.of(row.get(2).split("\\|")));
        }
        // Per user: the genre they rate most often; those ratings should be concentrated and higher.
        Map<String, Map<String, Integer>> genreCounts = new HashMap<>();
        for (List<String> row : ratings.subList(1, ratings.size())) {
            Map<String, Integer> counts = genreCounts.computeIfAbsent(row.get(0), u -> new HashMap<>());
            for (String g : genresOf.get(row.get(1))) {
                counts.merge(g, 1, Integer::sum);
            }
        }
        Map<String, String> topGenre = new HashMap<>();
        for (Map.Entry<String, Map<String, Integer>> e : genreCounts.entrySet()) {
            String best = null;
            for (String g : DemoCatalog.GENRES) { // fixed order breaks ties deterministically
                if (e.getValue().getOrDefault(g, 0) > e.getValue().getOrDefault(best, -1)) {
                    best = g;
                }
            }
            topGenre.put(e.getKey(), best);
        }
        double inTop = 0;
        double inTopSum = 0;
        double other = 0;
        double otherSum = 0;
        for (List<String> row : ratings.subList(1, ratings.size())) {
            double stars = Double.parseDouble(row.get(2));
            if (genresOf.get(row.get(1)).contains(topGenre.get(row.get(0)))) {
                inTop++;
                inTopSum += stars;
            } else {
                other++;
                otherSum += stars;
            }
        }
        assertTrue(inTop / (inTop + other) > 0.4, "share of ratings in the user's top genre: " + inTop / (inTop + other));
        assertTrue(inTopSum / inTop > otherSum / other + 0.3,
                "top genre mean " + inTopSum / inTop + " vs others " + otherSum / other);
    }

    @Test
    void popularityIsSkewed() {
        int[] top = catalog.mostRatedItems(30);
        long topRatings = 0;
        for (int i : top) {
            topRatings += catalog.ratingCount(i);
        }
        assertTrue(topRatings > 0.05 * catalog.ratingCount(), "top 1% of movies: " + topRatings + " ratings");
        assertTrue(catalog.ratingCount(top[0]) >= catalog.ratingCount(top[29]));
        int horror = catalog.mostRatedItem("Horror");
        assertTrue(catalog.genres(horror).contains("Horror"));
        assertEquals(horror, catalog.itemOfTitle(catalog.title(horror)));
        assertEquals(-1, catalog.itemOfTitle("No Such Movie (1900)"));
        assertThrows(IllegalArgumentException.class, () -> catalog.mostRatedItem("Opera"));
    }

    @Test
    void sameSeedGivesIdenticalFilesAndDifferentSeedDoesNot(@TempDir Path other) throws IOException {
        DemoCatalog.Params small = DemoCatalog.Params.builder().items(400).users(100).ratings(5_000).tags(300).build();
        DemoCatalog.generate(small).writeCsv(other.resolve("a"));
        DemoCatalog.generate(small).writeCsv(other.resolve("b"));
        DemoCatalog.generate(small.toBuilder().seed(43).build()).writeCsv(other.resolve("c"));
        for (String file : List.of(DemoCatalog.MOVIES_FILE, DemoCatalog.RATINGS_FILE, DemoCatalog.TAGS_FILE)) {
            assertEquals(-1, Files.mismatch(other.resolve("a").resolve(file), other.resolve("b").resolve(file)), file);
            assertNotEquals(-1, Files.mismatch(other.resolve("a").resolve(file), other.resolve("c").resolve(file)), file);
        }
    }

    @Test
    void inMemoryFormMatchesTheFiles() {
        DemoCatalog.InMemory data = catalog.toInMemory();
        Interactions interactions = data.interactions();
        ItemMetadata metadata = data.metadata();
        assertEquals(catalog.ratingCount(), interactions.size());
        assertEquals(catalog.itemCount(), interactions.itemCount());
        assertEquals(catalog.userCount(), interactions.userCount());
        for (int r = 0; r < interactions.size(); r += 97) {
            List<String> row = ratings.get(r + 1);
            assertEquals(row.get(0), interactions.users.id(interactions.user(r)));
            assertEquals(row.get(1), interactions.items.id(interactions.item(r)));
            assertEquals(Float.parseFloat(row.get(2)), interactions.weight(r));
            assertEquals(Long.parseLong(row.get(3)), interactions.timestamp(r));
        }
        for (int i = 0; i < catalog.itemCount(); i += 31) {
            int index = metadata.items.indexOf(DemoCatalog.itemId(i));
            assertEquals(catalog.title(i), metadata.title(index));
            assertEquals(catalog.genres(i), metadata.categories(index));
        }
        int tagApplications = 0;
        for (int i = 0; i < metadata.size(); i++) {
            tagApplications += metadata.tags(i).size();
        }
        assertEquals(catalog.tagCount(), tagApplications);
        assertThrows(IllegalArgumentException.class,
                () -> catalog.addTo(new Interactions(), new ItemMetadata(new IdDictionary())));
    }

    @Test
    void invalidParametersNameTheParameterValueAndRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DemoCatalog.Params.builder().items(5).build());
        assertEquals("items must be in [10, 1000000], got 5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DemoCatalog.Params.builder().users(10).ratings(100).build());
        assertTrue(e.getMessage().startsWith("ratings must be in [200, 10000] for 10 users and 3000 items"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DemoCatalog.Params.builder().tags(-1).build());
        assertEquals("tags must be in [0, 100000], got -1", e.getMessage());
        // A tiny catalogue lowers the per-user minimum instead of failing.
        DemoCatalog tiny = DemoCatalog.generate(DemoCatalog.Params.builder().items(12).users(3).ratings(12).tags(0).build());
        assertEquals(12, tiny.ratingCount());
        assertEquals(0, tiny.tagCount());
    }
}
