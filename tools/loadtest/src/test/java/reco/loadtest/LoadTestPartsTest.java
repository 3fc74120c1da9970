package reco.loadtest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command's parsers: request mixes, durations, targets. */
class LoadTestPartsTest {
    @Test
    void mixNormalisesWeightsAndPicksByShare() {
        RequestMix mix = RequestMix.parse("similar=5, user=4,items=1");
        assertEquals(0.5, mix.shares().get(CallKind.SIMILAR), 1e-12);
        assertEquals(0.4, mix.shares().get(CallKind.USER), 1e-12);
        assertEquals(0.1, mix.shares().get(CallKind.ITEMS), 1e-12);
        assertEquals(CallKind.SIMILAR, mix.pick(0.0));
        assertEquals(CallKind.SIMILAR, mix.pick(0.4999));
        assertEquals(CallKind.USER, mix.pick(0.5));
        assertEquals(CallKind.ITEMS, mix.pick(0.95));
        assertEquals(CallKind.ITEMS, mix.pick(Math.nextDown(1.0)));
        Map<CallKind, Integer> counts = new EnumMap<>(CallKind.class);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            counts.merge(mix.pick(random.nextDouble()), 1, Integer::sum);
        }
        assertEquals(50_000, counts.get(CallKind.SIMILAR), 1_000);
        assertEquals(10_000, counts.get(CallKind.ITEMS), 1_000);
        assertEquals("similar=0.50,user=0.40,items=0.10", mix.toString());
    }

    @Test
    void mixRejectsBadEntries() {
        assertMessage("--mix entry 'similar' is not name=weight", () -> RequestMix.parse("similar"));
        assertMessage("--mix: unknown call 'foo'", () -> RequestMix.parse("foo=1"));
        assertMessage("--mix weight of user is -1.0, expected a finite number > 0", () -> RequestMix.parse("user=-1"));
        assertMessage("--mix weight of user is 'x'", () -> RequestMix.parse("user=x"));
        assertMessage("--mix names echo twice", () -> RequestMix.parse("echo=1,echo=2"));
        assertMessage("--mix is empty", () -> RequestMix.parse(" , "));
    }

    @Test
    void durationsPrintShort() {
        assertEquals("5s", DurationText.format(Duration.ofSeconds(5)));
        assertEquals("250ms", DurationText.format(Duration.ofMillis(250)));
        assertEquals("1m30s", DurationText.format(Duration.ofSeconds(90)));
        assertEquals("2m", DurationText.format(Duration.ofMinutes(2)));
        assertEquals("1.5s", DurationText.format(Duration.ofMillis(1500)));
    }

    @Test
    void targetsParseAndOnlyLoopbackPassesTheCheck() {
        assertEquals(new Target("127.0.0.1", 50051), Target.parse("127.0.0.1:50051"));
        assertEquals(new Target("::1", 9), Target.parse("[::1]:9"));
        Target.parse("127.0.0.1:1").requireLoopback();
        Target.parse("[::1]:1").requireLoopback();
        Target.parse("localhost:1").requireLoopback();
        assertMessage("is not a loopback address", () -> Target.parse("192.0.2.10:50051").requireLoopback());
        assertMessage("is not a loopback address", () -> Target.parse("10.0.0.1:50051").requireLoopback());
        assertMessage("expected host:port", () -> Target.parse("127.0.0.1"));
        assertMessage("--target port is 'x'", () -> Target.parse("127.0.0.1:x"));
        assertMessage("--target port is 70000, allowed 1..65535", () -> Target.parse("127.0.0.1:70000"));
        assertMessage("in brackets", () -> Target.parse("::1:50051"));
    }

    @Test
    void settingsRejectOutOfRangeValues() {
        Duration s = Duration.ofSeconds(1);
        assertMessage("--concurrency is 0, allowed 1..", () -> new LoadSettings(0, 0, s, s, 0, s, 1));
        assertMessage("--max-outstanding is 0", () -> new LoadSettings(0, 10, s, s, 0, s, 1));
        assertMessage("--duration is PT0S, allowed > 0", () -> new LoadSettings(1, 0, s, Duration.ZERO, 0, s, 1));
        assertMessage("--rate is NaN", () -> new LoadSettings(1, Double.NaN, s, s, 0, s, 1));
        assertEquals("open loop, 250 req/s, at most 100 outstanding", new LoadSettings(100, 250, s, s, 0, s, 1).describe());
    }

    @Test
    void requestModelAcceptsShortAndEnumNames() {
        assertEquals(reco.v1.Model.MODEL_ITEM_KNN, RequestFactory.parseModel("item-knn"));
        assertEquals(reco.v1.Model.MODEL_ALS, RequestFactory.parseModel("MODEL_ALS"));
        assertEquals(reco.v1.Model.MODEL_UNSPECIFIED, RequestFactory.parseModel(null));
        assertMessage("--request-model is 'svd'", () -> RequestFactory.parseModel("svd"));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
