package reco.loadtest;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A {@code host:port} (or {@code [ipv6]:port}) to drive load against. */
public record Target(String host, int port) {
    public static final String DEFAULT = "127.0.0.1:50051";

    public Target {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("--target has no host, expected host:port (e.g. " + DEFAULT + ")");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--target port is " + port + ", allowed 1..65535");
        }
    }

    public static Target parse(String text) {
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("--target is '" + text + "', expected host:port (e.g. " + DEFAULT + ")");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("--target is '" + text + "': write an IPv6 address in brackets, e.g. [::1]:50051");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--target port is '" + s.substring(colon + 1) + "', expected a number 1..65535", e);
        }
        return new Target(host, port);
    }

    /**
     * Refuses a target that is not this machine: a load test against someone else's server is an
     * attack unless the operator says otherwise. Every address the host resolves to must be loopback.
     */
    public void requireLoopback() {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--target host '" + host + "' does not resolve", e);
        }
        for (InetAddress address : addresses) {
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException("--target " + this + " is not a loopback address (" + address.getHostAddress()
                        + "); load tests only run against this machine unless --allow-remote is given");
            }
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
