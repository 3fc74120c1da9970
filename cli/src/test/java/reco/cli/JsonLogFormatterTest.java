package reco.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --log-format json}: every record one parseable JSON object on one line. */
class JsonLogFormatterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void oneObjectPerLineEvenWithQuotesNewlinesAndStackTraces() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Logging.configure(new PrintStream(err, true, StandardCharsets.UTF_8), false, Logging.Format.json);
        try {
            Logger log = Logger.getLogger("reco.server.ModelHolder");
            log.info("refused generation \"gen-1\":\nline two");
            log.log(Level.WARNING, "load failed", new IOException("disk \\ full"));
            log.fine("not shown without --verbose");
        } finally {
            Logging.configure(System.err, false);
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals("INFO", first.get("level").asText());
        assertEquals("reco.server.ModelHolder", first.get("logger").asText());
        assertEquals("refused generation \"gen-1\":\nline two", first.get("message").asText());
        assertTrue(first.get("time").asText().endsWith("Z"), first.toString());
        assertTrue(first.has("thread"));
        JsonNode second = JSON.readTree(lines.get(1));
        assertEquals("WARNING", second.get("level").asText());
        assertTrue(second.get("exception").asText().startsWith("java.io.IOException: disk \\ full\n\tat "), second.toString());
    }
}
