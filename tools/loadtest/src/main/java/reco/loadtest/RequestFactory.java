package reco.loadtest;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import reco.v1.EchoRequest;
import reco.v1.GetModelInfoRequest;
import reco.v1.Model;
import reco.v1.RecommendForItemsRequest;
import reco.v1.RecommendForUserRequest;
import reco.v1.SimilarItemsRequest;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Builds one request of a given kind from ids drawn uniformly from the pools. With probability
 * {@code unknownShare} a request uses ids the generation cannot know ({@value #UNKNOWN_PREFIX}...),
 * exercising the NOT_FOUND path (SimilarItems, RecommendForItems) and the unknown-user fallback
 * (RecommendForUser).
 */
public final class RequestFactory {
    public static final String UNKNOWN_PREFIX = "unknown-";
    public static final int MAX_K = 1000;
    public static final int MAX_ITEMS_PER_REQUEST = 1000;
    /** A generous cap: Echo payloads measure the transport, not bulk transfer. */
    public static final int MAX_PAYLOAD_BYTES = 1 << 20;

    private final IdPool items;
    private final IdPool users;
    private final int k;
    private final double unknownShare;
    private final Model model;
    private final boolean omitMetadata;
    private final int itemsPerRequest;
    private final ByteString echoPayload;
    private final GetModelInfoRequest infoRequest = GetModelInfoRequest.getDefaultInstance();

    /**
     * @param items           item ids for SimilarItems and RecommendForItems; null when not needed
     * @param users           user ids for RecommendForUser; null when not needed
     * @param itemsPerRequest item_ids per RecommendForItems request (a session's length)
     */
    public RequestFactory(IdPool items, IdPool users, int k, double unknownShare, Model model, boolean omitMetadata,
                          int itemsPerRequest, int echoPayloadBytes) {
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("--k is " + k + ", allowed 1.." + MAX_K);
        }
        if (!(unknownShare >= 0 && unknownShare <= 1)) {
            throw new IllegalArgumentException("--unknown-share is " + unknownShare + ", allowed 0..1");
        }
        if (itemsPerRequest < 1 || itemsPerRequest > MAX_ITEMS_PER_REQUEST) {
            throw new IllegalArgumentException("--items-per-request is " + itemsPerRequest + ", allowed 1.." + MAX_ITEMS_PER_REQUEST);
        }
        if (echoPayloadBytes < 0 || echoPayloadBytes > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("--payload-bytes is " + echoPayloadBytes + ", allowed 0.." + MAX_PAYLOAD_BYTES);
        }
        if (items != null && items.size() == 0 || users != null && users.size() == 0) {
            throw new IllegalArgumentException("an id source is empty: " + (items != null && items.size() == 0 ? items.source() : users.source()));
        }
        this.items = items;
        this.users = users;
        this.k = k;
        this.unknownShare = unknownShare;
        this.model = model == null ? Model.MODEL_UNSPECIFIED : model;
        this.omitMetadata = omitMetadata;
        this.itemsPerRequest = itemsPerRequest;
        byte[] payload = new byte[echoPayloadBytes];
        new SplittableRandom(echoPayloadBytes).nextBytes(payload); // incompressible, deterministic
        this.echoPayload = ByteString.copyFrom(payload);
    }

    /** Fails early (before any load) when a call of the mix has no ids to draw from. */
    public void checkCanBuild(RequestMix mix) {
        for (CallKind kind : mix.kinds()) {
            if ((kind == CallKind.SIMILAR || kind == CallKind.ITEMS) && items == null) {
                throw new IllegalArgumentException("--call " + kind.cliName() + " needs item ids: give --model DIR or --items-from FILE");
            }
            if (kind == CallKind.USER && users == null) {
                throw new IllegalArgumentException("--call user needs user ids: give --model DIR or --users-from FILE");
            }
        }
    }

    public Message build(CallKind kind, SplittableRandom random) {
        return switch (kind) {
            case ECHO -> EchoRequest.newBuilder().setPayload(echoPayload).build();
            case INFO -> infoRequest;
            case SIMILAR -> SimilarItemsRequest.newBuilder()
                    .setItemId(draw(items, random, unknown(random)))
                    .setK(k).setModel(model).setOmitMetadata(omitMetadata).build();
            case USER -> RecommendForUserRequest.newBuilder()
                    .setUserId(draw(users, random, unknown(random)))
                    .setK(k).setModel(model).setOmitMetadata(omitMetadata).build();
            case ITEMS -> {
                // An unknown request has only unknown items: the server answers NOT_FOUND only when none is known.
                boolean unknown = unknown(random);
                RecommendForItemsRequest.Builder b = RecommendForItemsRequest.newBuilder()
                        .setK(k).setModel(model).setOmitMetadata(omitMetadata);
                for (int i = 0; i < itemsPerRequest; i++) {
                    b.addItemIds(draw(items, random, unknown));
                }
                yield b.build();
            }
        };
    }

    private boolean unknown(SplittableRandom random) {
        return unknownShare > 0 && random.nextDouble() < unknownShare;
    }

    private static String draw(IdPool pool, SplittableRandom random, boolean unknown) {
        if (unknown) {
            return UNKNOWN_PREFIX + Long.toHexString(random.nextLong());
        }
        return pool.id(random.nextInt(pool.size()));
    }

    /** A request's model field from its CLI name ({@code item-knn}) or enum name ({@code MODEL_ALS}); null: unspecified. */
    public static Model parseModel(String name) {
        if (name == null) {
            return Model.MODEL_UNSPECIFIED;
        }
        String wanted = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Model m : Model.values()) {
            if (m != Model.UNRECOGNIZED && (m.name().equals(wanted) || m.name().equals("MODEL_" + wanted))) {
                return m;
            }
        }
        throw new IllegalArgumentException("--request-model is '" + name + "', expected one of popularity, content, item_knn, als, ease, hybrid");
    }
}
