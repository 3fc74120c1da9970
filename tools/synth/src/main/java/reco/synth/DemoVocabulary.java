package reco.synth;

import java.util.List;

/**
 * Word lists behind {@link DemoCatalog}: the 18 MovieLens genres with skewed frequencies and, per
 * genre, title words and the tag words its viewers use (so tags correlate with genres), plus
 * generic title words and tags. Lists, never sets or maps, so iteration order is fixed.
 */
final class DemoVocabulary {
    private DemoVocabulary() {}

    /** One genre: relative frequency, peak viewing hour (UTC), title words, typical tags, related genres. */
    record Genre(String name, double frequency, int peakHour, List<String> adjectives, List<String> nouns,
            List<String> tags, List<String> related) {}

    static final List<Genre> GENRES = List.of(
            new Genre("Drama", 25, 20,
                    List.of("Quiet", "Broken", "Last", "Long", "Distant", "Fragile", "Bitter", "Honest"),
                    List.of("Promise", "Letter", "Family", "Winter", "Road", "Return", "Silence", "Daughter", "Memory"),
                    List.of("emotional", "character study", "slow burn", "tearjerker", "family drama", "coming of age",
                            "grief", "powerful ending", "based on a true story", "social commentary"),
                    List.of("Romance", "Crime", "War", "Comedy")),
            new Genre("Comedy", 20, 20,
                    List.of("Crazy", "Lucky", "Wild", "Accidental", "Wacky", "Awkward", "Happy", "Big"),
                    List.of("Weekend", "Wedding", "Roommate", "Holiday", "Vacation", "Neighbors", "Mix-Up", "Party"),
                    List.of("funny", "hilarious", "quirky", "witty", "slapstick", "dark comedy", "satire", "feel-good",
                            "absurd", "parody"),
                    List.of("Romance", "Drama", "Children", "Musical")),
            new Genre("Thriller", 10, 22,
                    List.of("Deadly", "Hidden", "Silent", "Final", "Dark", "Perfect", "Cold", "Twisted"),
                    List.of("Witness", "Conspiracy", "Target", "Hour", "Trap", "Stranger", "Code", "Escape"),
                    List.of("suspense", "tense", "twist ending", "paranoia", "psychological", "cat and mouse",
                            "edge of your seat", "conspiracy"),
                    List.of("Crime", "Mystery", "Action", "Horror")),
            new Genre("Action", 9, 21,
                    List.of("Maximum", "Lethal", "Iron", "Rapid", "Explosive", "Rogue", "Steel", "Furious"),
                    List.of("Strike", "Force", "Vendetta", "Mission", "Fury", "Showdown", "Chase", "Impact"),
                    List.of("explosions", "car chase", "martial arts", "fight scenes", "one-liners", "heist",
                            "revenge", "stunts", "bodyguard"),
                    List.of("Adventure", "Thriller", "Sci-Fi", "Crime")),
            new Genre("Romance", 9, 21,
                    List.of("Sweet", "Secret", "Summer", "Endless", "Tender", "Stolen", "Golden", "Second"),
                    List.of("Kiss", "Heart", "Love", "Affair", "Romance", "Promise", "Serenade", "Valentine"),
                    List.of("romantic", "love story", "chick flick", "love triangle", "sweet", "heartwarming",
                            "first love", "wedding"),
                    List.of("Comedy", "Drama", "Musical")),
            new Genre("Adventure", 7, 17,
                    List.of("Lost", "Great", "Forbidden", "Savage", "Ancient", "Endless", "Hidden", "Golden"),
                    List.of("Treasure", "Island", "Journey", "Expedition", "Jungle", "Voyage", "Quest", "Map"),
                    List.of("treasure hunt", "exploration", "epic", "swashbuckler", "jungle", "road trip",
                            "survival", "quest"),
                    List.of("Action", "Fantasy", "Children", "Sci-Fi")),
            new Genre("Crime", 7, 22,
                    List.of("Dirty", "Cold", "Crooked", "Hard", "Bloody", "Midnight", "Blind", "Heavy"),
                    List.of("Money", "Street", "Heist", "Job", "Gang", "Cop", "Deal", "Mob"),
                    List.of("gangsters", "mafia", "heist", "police", "drugs", "organized crime", "corruption",
                            "nonlinear", "hitman"),
                    List.of("Thriller", "Drama", "Action", "Film-Noir")),
            new Genre("Sci-Fi", 5, 22,
                    List.of("Quantum", "Electric", "Final", "Infinite", "Cosmic", "Artificial", "Red", "Parallel"),
                    List.of("Planet", "Signal", "Android", "Orbit", "Frontier", "Protocol", "Galaxy", "Colony"),
                    List.of("space", "aliens", "dystopia", "time travel", "artificial intelligence", "robots",
                            "cyberpunk", "post-apocalyptic", "mind-bending", "future"),
                    List.of("Action", "Adventure", "Thriller")),
            new Genre("Horror", 5, 23,
                    List.of("Bloody", "Cursed", "Haunted", "Hollow", "Grim", "Wicked", "Rotten", "Pale"),
                    List.of("Curse", "Basement", "Ritual", "Nightmare", "Cabin", "Possession", "Grave", "Scream"),
                    List.of("scary", "gore", "jump scares", "creepy", "zombies", "vampires", "haunted house",
                            "slasher", "supernatural", "disturbing"),
                    List.of("Thriller", "Mystery", "Sci-Fi")),
            new Genre("Fantasy", 4, 18,
                    List.of("Enchanted", "Crystal", "Dragon", "Shadow", "Silver", "Elven", "Magic", "Burning"),
                    List.of("Kingdom", "Sword", "Throne", "Realm", "Wizard", "Prophecy", "Crown", "Spell"),
                    List.of("magic", "dragons", "fairy tale", "wizards", "mythology", "sword and sorcery",
                            "alternate world", "epic fantasy"),
                    List.of("Adventure", "Children", "Animation")),
            new Genre("Children", 3.5, 16,
                    List.of("Little", "Brave", "Magic", "Tiny", "Jolly", "Amazing", "Super", "Happy"),
                    List.of("Puppy", "Friends", "Bear", "Treehouse", "Dragon", "Pony", "Robot", "Adventure"),
                    List.of("family", "kids", "talking animals", "Disney", "cute", "friendship", "pixar",
                            "fun for all ages"),
                    List.of("Animation", "Comedy", "Fantasy", "Adventure")),
            new Genre("Animation", 3, 16,
                    List.of("Magic", "Little", "Flying", "Toy", "Brave", "Tiny", "Dancing", "Clever"),
                    List.of("Fox", "Penguin", "Robot", "Kingdom", "Friends", "Ocean", "Moon", "Forest"),
                    List.of("animated", "anime", "pixar", "stop motion", "cartoon", "studio ghibli",
                            "hand-drawn", "voice acting"),
                    List.of("Children", "Comedy", "Fantasy", "Adventure")),
            new Genre("Mystery", 3, 22,
                    List.of("Missing", "Secret", "Strange", "Crimson", "Silent", "Hidden", "Curious", "Velvet"),
                    List.of("Case", "Clue", "Key", "Manor", "Mirror", "Puzzle", "Detective", "Affair"),
                    List.of("whodunit", "detective", "plot twist", "puzzle", "investigation", "unreliable narrator",
                            "atmospheric", "clever"),
                    List.of("Thriller", "Crime", "Horror")),
            new Genre("Documentary", 2.5, 19,
                    List.of("Real", "Untold", "Inside", "True", "Forgotten", "Hidden", "Wild", "Modern"),
                    List.of("Story", "Nature", "Truth", "Life", "Ocean", "Music", "Planet", "Archive"),
                    List.of("documentary", "nature", "history", "music", "politics", "biography", "educational",
                            "true story"),
                    List.of("Drama", "War", "Musical")),
            new Genre("War", 1.8, 19,
                    List.of("Last", "Burning", "Iron", "Brave", "Fallen", "Silent", "Red", "Long"),
                    List.of("Battalion", "Front", "Bridge", "Battle", "Soldier", "Beach", "Siege", "Squadron"),
                    List.of("world war ii", "war", "military", "soldiers", "anti-war", "historical", "battle scenes",
                            "vietnam"),
                    List.of("Drama", "Action", "Adventure")),
            new Genre("Musical", 1.5, 19,
                    List.of("Singing", "Dancing", "Golden", "Broadway", "Starlit", "Rhythm", "Swinging", "Bright"),
                    List.of("Melody", "Song", "Stage", "Chorus", "Ballroom", "Harmony", "Show", "Tune"),
                    List.of("musical", "singing", "dancing", "broadway", "great soundtrack", "catchy songs",
                            "choreography"),
                    List.of("Romance", "Comedy", "Children")),
            new Genre("Western", 1.2, 20,
                    List.of("Lonesome", "Dusty", "Wild", "Rattlesnake", "High", "Dead", "Golden", "Red"),
                    List.of("Outlaw", "Sheriff", "Ranch", "Frontier", "Gunfighter", "Canyon", "Saloon", "Trail"),
                    List.of("western", "cowboys", "gunfight", "spaghetti western", "frontier", "outlaws",
                            "desert", "bounty hunter"),
                    List.of("Action", "Adventure", "Drama")),
            new Genre("Film-Noir", 0.6, 23,
                    List.of("Naked", "Double", "Dark", "Blue", "Fatal", "Lonely", "Crooked", "Sleepless"),
                    List.of("Alibi", "City", "Dame", "Shadow", "Indemnity", "Street", "Streetcar", "Sleep"),
                    List.of("film noir", "femme fatale", "black and white", "hardboiled", "moody", "voiceover",
                            "private eye"),
                    List.of("Crime", "Mystery", "Thriller")));

    static final List<String> ADJECTIVES = List.of("Silent", "Golden", "Last", "Secret", "Broken", "Endless",
            "Crimson", "Hidden", "Lost", "Midnight", "Distant", "Burning", "Frozen", "Wild", "Velvet", "Hollow",
            "Bright", "Savage", "Gentle", "Restless", "Forgotten", "Electric", "Painted", "Northern", "Lonely",
            "Eternal", "Shining", "Scarlet", "Sleeping", "Fearless", "Quiet", "Iron");

    static final List<String> NOUNS = List.of("Harbor", "River", "Garden", "Mountain", "City", "Storm", "Mirror",
            "Station", "Island", "Horizon", "Window", "Bridge", "Shadow", "Summer", "Winter", "Desert", "Empire",
            "Lighthouse", "Orchard", "Circus", "Highway", "Forest", "Avenue", "Dream", "Hotel", "Kingdom", "Valley",
            "Castle", "Ocean", "Frontier", "Heart", "Night", "Crossing", "Canyon", "Carnival", "Compass", "Voyage",
            "Tide", "Echo", "Lantern");

    static final List<String> NAMES = List.of("Jack", "Mary", "Charlie", "Rosa", "Max", "Lily", "Henry", "Grace",
            "Oscar", "Nina", "Walter", "Clara", "Felix", "Iris", "Leo", "Ada");

    static final List<String> GENERIC_TAGS = List.of("classic", "cult film", "overrated", "underrated",
            "visually stunning", "great soundtrack", "beautiful cinematography", "great acting", "atmospheric",
            "thought-provoking", "quotable", "boring", "predictable", "masterpiece", "must see", "dialogue",
            "stylized", "surreal", "violence", "dark", "bittersweet", "nostalgic", "imdb top 250", "oscar winner",
            "oscar (best picture)", "criterion", "independent film", "remake", "sequel", "based on a book",
            "based on a comic", "based on a play", "adapted from: book", "director's cut", "long", "short",
            "too long", "slow", "fast-paced", "ensemble cast", "great ending", "weird", "intelligent", "clever",
            "entertaining", "fun", "good music", "soundtrack", "cinematography", "beautiful", "melancholy",
            "inspirational", "philosophical", "ambiguous ending", "open ending", "nudity", "strong female lead",
            "male nudity", "multiple storylines", "flashbacks", "narrated", "black comedy", "british", "french",
            "japanese", "new york city", "paris", "london", "los angeles", "small town", "1980s", "1990s",
            "1970s", "high school", "college", "friendship", "betrayal", "redemption", "loneliness", "family",
            "politics", "religion", "music", "art", "journalism", "sports", "boxing", "chess", "cooking",
            "christmas", "halloween", "island", "desert", "prison", "hospital", "trains", "animals", "dogs",
            "cats", "horses", "ocean", "mountains", "road movie", "underdog", "mentor", "rivalry", "documentary style",
            "found footage", "mockumentary", "low budget", "cgi", "practical effects", "iconic", "rewatchable",
            "guilty pleasure", "so bad it's good", "date movie", "rainy day", "comfort movie", "hard to watch",
            "controversial", "historical inaccuracy", "period piece", "costume drama", "unique", "original",
            "disappointing", "genius", "heartbreaking", "uplifting", "hopeful", "cynical", "existentialism");

    /** Every distinct tag word: the genre tags in genre order, then the generic ones not already listed. */
    static List<String> allTags() {
        java.util.ArrayList<String> all = new java.util.ArrayList<>();
        java.util.HashSet<String> seen = new java.util.HashSet<>();
        for (Genre g : GENRES) {
            for (String t : g.tags()) {
                if (seen.add(t)) {
                    all.add(t);
                }
            }
        }
        for (String t : GENERIC_TAGS) {
            if (seen.add(t)) {
                all.add(t);
            }
        }
        return List.copyOf(all);
    }
}
