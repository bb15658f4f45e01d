package io.hookgateway.clients;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * What this machine's loopback offers a test that calls from several addresses: IPv6 ({@code ::1}), and IPv4
 * addresses other than 127.0.0.1 (Linux answers the whole of 127.0.0.0/8). Tests that need one skip without it.
 */
final class Loopback {

    static final boolean IPV6 = canConnect(null, "::1");
    static final boolean MANY_IPV4 = canConnect("127.0.0.2", "127.0.0.1");

    private Loopback() {
    }

    /** Where a test gateway listens: on IPv6 and IPv4 both when the machine has IPv6. */
    static String bind() {
        return IPV6 ? "::" : "127.0.0.1";
    }

    private static boolean canConnect(String from, String to) {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName(to));
             Socket client = new Socket()) {
            if (from != null) {
                client.bind(new InetSocketAddress(from, 0));
            }
            client.connect(server.getLocalSocketAddress(), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
