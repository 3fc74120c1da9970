package reco.server;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import reco.server.admin.AdminAuthorization;
import reco.v1.AdminGrpc;
import reco.v1.GetModelInfoRequest;
import reco.v1.ReloadRequest;
import reco.v1.RecommenderGrpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS and mutual TLS on a real Netty port, with a CA, a server and a client certificate made by the
 * JDK's keytool in the test (PEM files, as an operator would pass them to --tls-cert/--tls-key/--tls-client-ca).
 */
class TlsTest {
    private static final String PASSWORD = "test-only";

    @TempDir
    static Path certs;
    @TempDir
    Path root;

    private RecoServer server;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=reco test CA",
                "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-file", "ca.pem", "-keystore", "ca.p12");
        signedBy("server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1");
        signedBy("client", "CN=reco test client", null);
    }

    /** A key pair in NAME.p12 with a certificate signed by the CA: NAME.pem (certificate) and NAME-key.pem (PKCS#8). */
    private static void signedBy(String name, String dname, String extension) throws Exception {
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
                "-validity", "2", "-keystore", name + ".p12");
        keytool("-certreq", "-alias", name, "-file", name + ".csr", "-keystore", name + ".p12");
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-infile", name + ".csr",
                "-outfile", name + ".pem", "-validity", "2", "-keystore", "ca.p12"));
        if (extension != null) {
            gencert.addAll(List.of("-ext", extension));
        }
        keytool(gencert.toArray(String[]::new));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(certs.resolve(name + ".p12"))) {
            store.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey(name, PASSWORD.toCharArray());
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(certs.resolve(name + "-key.pem"), pem);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
        Process p = new ProcessBuilder(command).directory(certs.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }

    private int start(Path clientCa) throws Exception {
        return start(clientCa, AdminAuthorization.loopbackOnly());
    }

    private int start(Path clientCa, AdminAuthorization admin) throws Exception {
        TestGenerations.write(root);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ModelHolder models = new ModelHolder(root, registry);
        models.loadCurrent();
        TransportSettings settings = TransportSettings.defaults("127.0.0.1", 0)
                .withTls(certs.resolve("server.pem"), certs.resolve("server-key.pem"), clientCa);
        server = new RecoServer(settings.builder().directExecutor(), models, registry,
                RecoServer.DEFAULT_MAX_CONCURRENT_CALLS, admin).start();
        return server.port();
    }

    @AfterEach
    void stop() throws Exception {
        channels.forEach(ManagedChannel::shutdownNow);
        if (server != null) {
            server.shutdown(Duration.ofSeconds(1));
        }
    }

    private long itemCount(ManagedChannel channel) {
        channels.add(channel);
        return RecommenderGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                .getModelInfo(GetModelInfoRequest.getDefaultInstance()).getItemCount();
    }

    private ManagedChannel tlsChannel(int port, boolean withClientCertificate) throws Exception {
        SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(certs.resolve("ca.pem").toFile());
        if (withClientCertificate) {
            ssl.keyManager(certs.resolve("client.pem").toFile(), certs.resolve("client-key.pem").toFile());
        }
        return NettyChannelBuilder.forAddress("localhost", port).sslContext(ssl.build()).build();
    }

    @Test
    void tlsClientIsServedAndPlaintextClientIsNot() throws Exception {
        int port = start(null);
        assertEquals(12, itemCount(tlsChannel(port, false)));
        StatusRuntimeException plaintext = assertThrows(StatusRuntimeException.class,
                () -> itemCount(NettyChannelBuilder.forAddress("localhost", port).usePlaintext().build()));
        assertEquals(Status.Code.UNAVAILABLE, plaintext.getStatus().getCode(), plaintext.toString());
    }

    @Test
    void mutualTlsServesClientsWithACertificateAndRefusesOthers() throws Exception {
        int port = start(certs.resolve("ca.pem"));
        assertEquals(12, itemCount(tlsChannel(port, true)));
        StatusRuntimeException anonymous = assertThrows(StatusRuntimeException.class,
                () -> itemCount(tlsChannel(port, false)));
        assertEquals(Status.Code.UNAVAILABLE, anonymous.getStatus().getCode(), anonymous.toString());
    }

    /** A valid client certificate makes a client, not an operator: Admin still wants the admin token. */
    @Test
    void aClientCertificateAloneDoesNotOpenAdmin() throws Exception {
        String token = "0123456789abcdef0123456789abcdef";
        int port = start(certs.resolve("ca.pem"), AdminAuthorization.withToken(token));
        ManagedChannel channel = tlsChannel(port, true);
        assertEquals(12, itemCount(channel));
        AdminGrpc.AdminBlockingStub admin = AdminGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> admin.reload(ReloadRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode(), refused.toString());
        Metadata bearer = new Metadata();
        bearer.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        assertEquals(false, admin.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer))
                .reload(ReloadRequest.getDefaultInstance()).getChanged());
    }

    @Test
    void clientCaWithoutServerCertificateIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransportSettings.defaults("127.0.0.1", 0).withTls(null, null, certs.resolve("ca.pem")));
        assertTrue(e.getMessage().contains("needs server TLS"), e.getMessage());
    }

    @Test
    void unreadableKeyFileIsAClearStartupError() {
        TransportSettings settings = TransportSettings.defaults("127.0.0.1", 0)
                .withTls(certs.resolve("server.pem"), certs.resolve("missing-key.pem"), null);
        IOException e = assertThrows(IOException.class, settings::builder);
        assertTrue(e.getMessage().contains("--tls-key") && e.getMessage().contains("missing-key.pem"), e.getMessage());
    }
}
