package reco.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * {@code --log-format json}: one JSON object per line, for log shippers (Loki, Elasticsearch, Cloud
 * Logging): {@code {"time":"2026-01-31T12:00:00.123Z","level":"INFO","logger":"reco.server.ModelHolder",
 * "thread":"reco-model-loader","message":"...","exception":"java.io.IOException: ...\n\tat ..."}}; the
 * exception field only when the record carries one. Line breaks inside values are escaped, so a record is
 * always exactly one line.
 */
public final class JsonLogFormatter extends Formatter {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String format(LogRecord record) {
        StringWriter line = new StringWriter(200);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("time", Instant.ofEpochMilli(record.getMillis()).toString());
            json.writeStringField("level", record.getLevel().getName());
            json.writeStringField("logger", record.getLoggerName() == null ? "" : record.getLoggerName());
            json.writeStringField("thread", Thread.currentThread().getName());
            json.writeStringField("message", formatMessage(record));
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                json.writeStringField("exception", trace.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return line.append(System.lineSeparator()).toString();
    }
}
