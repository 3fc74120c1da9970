package reco.server.admin;

import io.grpc.Status;
import io.grpc.inprocess.InProcessSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminAuthorizationTest {
    private static final String TOKEN = "s3cret-token-0123456789";
    /** TEST-NET-3 (RFC 5737): an address that is never this machine. */
    private static final InetSocketAddress REMOTE = new InetSocketAddress("203.0.113.7", 40000);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress LOOPBACK_V6 = new InetSocketAddress("::1", 40000);

    @TempDir
    Path dir;

    @Test
    void withoutATokenOnlyThisMachineIsAnOperator() {
        AdminAuthorization auth = AdminAuthorization.loopbackOnly();
        assertFalse(auth.requiresToken());
        assertTrue(auth.check(LOOPBACK, null).isOk());
        assertTrue(auth.check(LOOPBACK_V6, null).isOk());
        assertTrue(auth.check(new InProcessSocketAddress("test"), null).isOk());
        Status remote = auth.check(REMOTE, "Bearer anything-at-all-123456");
        assertEquals(Status.Code.PERMISSION_DENIED, remote.getCode());
        assertTrue(remote.getDescription().contains("203.0.113.7") && remote.getDescription().contains("--admin-token-file"),
                remote.getDescription());
        assertEquals(Status.Code.PERMISSION_DENIED, auth.check(null, null).getCode(), "unknown peer");
    }

    @Test
    void withATokenEveryCallerNeedsIt() {
        AdminAuthorization auth = AdminAuthorization.withToken(TOKEN);
        assertTrue(auth.requiresToken());
        assertTrue(auth.check(REMOTE, "Bearer " + TOKEN).isOk());
        assertTrue(auth.check(REMOTE, "bearer " + TOKEN).isOk(), "the scheme is case-insensitive");
        assertEquals(Status.Code.UNAUTHENTICATED, auth.check(LOOPBACK, null).getCode(), "loopback needs it too");
        assertEquals(Status.Code.UNAUTHENTICATED, auth.check(REMOTE, "Bearer " + TOKEN + "x").getCode());
        assertEquals(Status.Code.UNAUTHENTICATED, auth.check(REMOTE, "Basic " + TOKEN).getCode());
        assertEquals(Status.Code.UNAUTHENTICATED, auth.check(REMOTE, TOKEN).getCode());
        assertFalse(auth.check(REMOTE, "Bearer wrong").getDescription().contains(TOKEN));
    }

    @Test
    void tokensAreReadFromTheFirstLineOfAFileAndMustBeLongEnough() throws IOException {
        Path file = dir.resolve("admin-token");
        Files.writeString(file, "  " + TOKEN + "  \n# comment lines are not read\n");
        assertTrue(AdminAuthorization.withTokenFile(file).check(REMOTE, "Bearer " + TOKEN).isOk());

        Files.writeString(file, "short\n");
        IOException tooShort = assertThrows(IOException.class, () -> AdminAuthorization.withTokenFile(file));
        assertTrue(tooShort.getMessage().contains("at least 16"), tooShort.getMessage());
        IOException missing = assertThrows(IOException.class, () -> AdminAuthorization.withTokenFile(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AdminAuthorization.withToken("has a space in it, 0123456789"));
    }
}
