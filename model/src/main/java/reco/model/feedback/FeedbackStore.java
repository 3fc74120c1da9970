package reco.model.feedback;

import net.openhft.chronicle.map.ChronicleMap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The live store of recent feedback: user id -> that user's last events, in a Chronicle Map persisted in
 * the feedback directory ({@value #FILE_NAME}). It survives restarts, and several server processes on one
 * host may open the same file at once: Chronicle Map keeps its segment locks in the shared mapping, and
 * every change here is one atomic {@code compute} on one user's entry.
 *
 * <p>Bounds ({@link Settings}): the last {@code maxEventsPerUser} events per user (and at most
 * {@value #MAX_VALUE_BYTES} bytes of them), none older than the
 * TTL (by recorded-at time), and at most {@code maxUsers} users: beyond that, the users whose newest event
 * is oldest are evicted, down to 90% of the cap, so that one O(users) pass pays for many inserts. The map
 * file is sized for {@code maxUsers} when created; an existing file keeps the size it was created with.
 *
 * <p>Entry value layout (big-endian): {@code short version (1), short count}, then per event, oldest
 * first: {@code long recordedAtMillis, long eventTimeMillis, float weight (NaN = none), short itemIdBytes,
 * itemId UTF-8}.
 */
public final class FeedbackStore implements AutoCloseable {
    public static final String FILE_NAME = "recent-events.dat";
    private static final short VALUE_VERSION = 1;
    private static final int EVENT_OVERHEAD = 8 + 8 + 4 + 2;
    /**
     * Largest entry value kept: beyond it a user's oldest events go, as beyond the per-user limit (1000
     * events with 10-byte item ids take 32 KiB; 100 with the longest ids 53 KiB). Chronicle Map refuses
     * an entry larger than its segments allow, so the bound is fixed and the map is sized for it.
     */
    static final int MAX_VALUE_BYTES = 64 * 1024;
    /** Share of the user cap an eviction pass leaves. */
    static final double EVICT_TO = 0.9;

    /**
     * @param maxEventsPerUser events kept per user (the oldest go first), 1..1000
     * @param ttl              events recorded longer ago than this are dropped
     * @param maxUsers         users kept (the least recently active go first), at least 1
     */
    public record Settings(int maxEventsPerUser, Duration ttl, long maxUsers) {
        public static final int DEFAULT_MAX_EVENTS_PER_USER = 100;
        public static final Duration DEFAULT_TTL = Duration.ofDays(30);
        public static final long DEFAULT_MAX_USERS = 100_000;

        public Settings {
            if (maxEventsPerUser < 1 || maxEventsPerUser > 1000) {
                throw new IllegalArgumentException("events per user must be 1..1000, got " + maxEventsPerUser);
            }
            if (ttl == null || ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("the feedback TTL must be positive, got " + ttl);
            }
            if (maxUsers < 1) {
                throw new IllegalArgumentException("the feedback store's user cap must be at least 1, got " + maxUsers);
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_MAX_EVENTS_PER_USER, DEFAULT_TTL, DEFAULT_MAX_USERS);
        }
    }

    /** One event as the store keeps it (the user is the key). */
    public record Recent(String itemId, float weight, long eventTimeMillis, long recordedAtMillis) {
        public float effectiveWeight() {
            return Float.isNaN(weight) ? 1f : weight;
        }
    }

    /** Events dropped by one change, by reason. */
    public record Dropped(long perUserLimit, long expired) {
        public static final Dropped NONE = new Dropped(0, 0);
    }

    private final Settings settings;
    private final ChronicleMap<CharSequence, byte[]> map;
    private final Path file;
    private final Object evictionLock = new Object();

    private FeedbackStore(Settings settings, ChronicleMap<CharSequence, byte[]> map, Path file) {
        this.settings = settings;
        this.map = map;
        this.file = file;
    }

    /** Opens (creating) the store of feedback directory {@code dir}. */
    public static FeedbackStore open(Path dir, Settings settings) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE_NAME);
        // sized for the cap with head-room: eviction runs once the cap is passed, and other processes may
        // insert meanwhile; an average entry is assumed to hold about 16 events with 12-byte item ids
        // at least 4096 entries: Chronicle Map derives its segment size from the entry count, and
        // MAX_VALUE_BYTES must fit in one segment tier however small the user cap
        long entries = Math.max(4096, (long) Math.ceil(settings.maxUsers() * 1.25));
        double averageValue = 4 + Math.min(settings.maxEventsPerUser(), 16) * (EVENT_OVERHEAD + 12.0);
        ChronicleMap<CharSequence, byte[]> map = ChronicleMap.of(CharSequence.class, byte[].class)
                .name("reco-feedback")
                .entries(entries)
                .averageKeySize(16)
                .averageValueSize(averageValue)
                .maxBloatFactor(4)
                .createPersistedTo(file.toFile());
        return new FeedbackStore(settings, map, file);
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Appends {@code events} (oldest first) to {@code userId}'s recent events, keeping the last
     * {@code maxEventsPerUser} and none older than the TTL.
     */
    public Dropped add(String userId, List<Recent> events, long nowMillis) {
        long[] dropped = new long[2];
        long expiredBefore = nowMillis - settings.ttl().toMillis();
        map.compute(userId, (k, old) -> {
            List<Recent> all = old == null ? new ArrayList<>(events.size()) : decode(old);
            all.addAll(events);
            List<Recent> fresh = new ArrayList<>(all.size());
            for (Recent r : all) {
                if (r.recordedAtMillis() < expiredBefore) {
                    dropped[1]++;
                } else {
                    fresh.add(r);
                }
            }
            if (fresh.size() > settings.maxEventsPerUser()) {
                int kept = settings.maxEventsPerUser();
                dropped[0] += fresh.size() - kept;
                fresh = fresh.subList(fresh.size() - kept, fresh.size());
            }
            int first = 0;
            for (int bytes = encodedSize(fresh); bytes > MAX_VALUE_BYTES; first++) {
                bytes -= EVENT_OVERHEAD + utf8Length(fresh.get(first).itemId());
                dropped[0]++;
            }
            fresh = fresh.subList(first, fresh.size());
            return fresh.isEmpty() ? null : encode(fresh);
        });
        return new Dropped(dropped[0], dropped[1]);
    }

    /** {@code userId}'s events within the TTL, oldest first; empty when none. */
    public List<Recent> recent(String userId, long nowMillis) {
        byte[] value = map.get(userId);
        if (value == null) {
            return List.of();
        }
        List<Recent> all = decode(value);
        long expiredBefore = nowMillis - settings.ttl().toMillis();
        if (all.get(0).recordedAtMillis() >= expiredBefore) {
            return all;
        }
        List<Recent> fresh = new ArrayList<>(all.size());
        for (Recent r : all) {
            if (r.recordedAtMillis() >= expiredBefore) {
                fresh.add(r);
            }
        }
        return fresh;
    }

    /** Drops every event recorded before {@code cutoffMillis} (a served generation trained on them); the count. */
    public long retireRecordedBefore(long cutoffMillis) {
        return removeWhere(r -> r.recordedAtMillis() < cutoffMillis);
    }

    /** Drops every event older than the TTL; the count. */
    public long expire(long nowMillis) {
        long expiredBefore = nowMillis - settings.ttl().toMillis();
        return removeWhere(r -> r.recordedAtMillis() < expiredBefore);
    }

    private long removeWhere(java.util.function.Predicate<Recent> drop) {
        // one read pass finds the users concerned; only their entries are rewritten, each under its lock
        List<String> concerned = new ArrayList<>();
        map.forEach((k, v) -> {
            for (Recent r : decode(v)) {
                if (drop.test(r)) {
                    concerned.add(k.toString());
                    return;
                }
            }
        });
        long[] removed = new long[1];
        for (String user : concerned) {
            map.computeIfPresent(user, (k, old) -> {
                List<Recent> all = decode(old);
                List<Recent> kept = new ArrayList<>(all.size());
                for (Recent r : all) {
                    if (drop.test(r)) {
                        removed[0]++;
                    } else {
                        kept.add(r);
                    }
                }
                return kept.isEmpty() ? null : kept.size() == all.size() ? old : encode(kept);
            });
        }
        return removed[0];
    }

    /**
     * When more than {@code maxUsers} users are stored, evicts those whose newest event is oldest, down to
     * 90% of the cap; returns the events evicted (0 when under the cap).
     */
    public long evictOverCapacity() {
        if (map.longSize() <= settings.maxUsers()) {
            return 0;
        }
        synchronized (evictionLock) {
            long size = map.longSize();
            if (size <= settings.maxUsers()) {
                return 0;
            }
            List<Map.Entry<String, Long>> newest = new ArrayList<>((int) Math.min(Integer.MAX_VALUE, size));
            map.forEach((k, v) -> newest.add(Map.entry(k.toString(), newestRecordedAt(v))));
            newest.sort(Map.Entry.comparingByValue());
            long target = (long) Math.floor(settings.maxUsers() * EVICT_TO);
            long toEvict = Math.max(0, newest.size() - target);
            long[] evicted = new long[1];
            for (int i = 0; i < toEvict; i++) {
                Map.Entry<String, Long> victim = newest.get(i);
                // re-checked under the entry's lock: a user who acted since the scan stays
                map.computeIfPresent(victim.getKey(), (k, v) -> {
                    if (newestRecordedAt(v) > victim.getValue()) {
                        return v;
                    }
                    evicted[0] += count(v);
                    return null;
                });
            }
            return evicted[0];
        }
    }

    /** Users stored. */
    public long users() {
        return map.longSize();
    }

    /** Off-heap bytes the map uses in its file. */
    public long bytesUsed() {
        return map.offHeapMemoryUsed();
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        map.close();
    }

    // ---------------------------------------------------------------- value encoding

    private static int encodedSize(List<Recent> events) {
        int size = 4;
        for (Recent r : events) {
            size += EVENT_OVERHEAD + utf8Length(r.itemId());
        }
        return size;
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    static byte[] encode(List<Recent> events) {
        byte[][] ids = new byte[events.size()][];
        int size = 4;
        for (int i = 0; i < events.size(); i++) {
            ids[i] = events.get(i).itemId().getBytes(StandardCharsets.UTF_8);
            size += EVENT_OVERHEAD + ids[i].length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putShort(VALUE_VERSION).putShort((short) events.size());
        for (int i = 0; i < events.size(); i++) {
            Recent r = events.get(i);
            b.putLong(r.recordedAtMillis()).putLong(r.eventTimeMillis()).putFloat(r.weight())
                    .putShort((short) ids[i].length).put(ids[i]);
        }
        return b.array();
    }

    static List<Recent> decode(byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        short version = b.getShort();
        if (version != VALUE_VERSION) {
            throw new IllegalStateException("feedback store entry of version " + version + ", this reco reads "
                    + VALUE_VERSION);
        }
        int n = b.getShort() & 0xFFFF;
        List<Recent> out = new ArrayList<>(n + 4);
        for (int i = 0; i < n; i++) {
            long recordedAt = b.getLong();
            long eventTime = b.getLong();
            float weight = b.getFloat();
            byte[] id = new byte[b.getShort() & 0xFFFF];
            b.get(id);
            out.add(new Recent(new String(id, StandardCharsets.UTF_8), weight, eventTime, recordedAt));
        }
        return out;
    }

    private static long newestRecordedAt(byte[] value) {
        long newest = Long.MIN_VALUE;
        for (Recent r : decode(value)) {
            newest = Math.max(newest, r.recordedAtMillis());
        }
        return newest;
    }

    private static int count(byte[] value) {
        return ByteBuffer.wrap(value).getShort(2) & 0xFFFF;
    }

    @Override
    public String toString() {
        return "FeedbackStore[" + file + ", " + settings + "]";
    }
}
