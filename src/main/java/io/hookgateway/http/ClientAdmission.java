package io.hookgateway.http;

import io.hookgateway.hooks.HookException;
import java.net.InetSocketAddress;

/**
 * Who sent a request, and whether the port serves them at all: asked by the {@link FixedLengthBodyAggregator} once per
 * request, when its head has arrived, before the destination's own judgement ({@link Destination#refuseAtHead}) and
 * before any body is read. The client it names is the request's {@link FullRequest#remoteAddress()}: what templates
 * and the access log show.
 */
public interface ClientAdmission {

    /** The peer is the client, and every client is served. */
    ClientAdmission EVERYONE = new ClientAdmission() {
        @Override
        public InetSocketAddress clientOf(RequestHead head, InetSocketAddress peer) {
            return peer;
        }

        @Override
        public HookException refusal(InetSocketAddress client, Destination destination) {
            return null;
        }
    };

    /**
     * The client of a request whose head has arrived from {@code peer}: the peer itself, or the address a trusted
     * proxy named; {@code null} when who it is cannot be told (a trusted proxy's header that cannot be read).
     */
    InetSocketAddress clientOf(RequestHead head, InetSocketAddress peer);

    /**
     * The answer to a client this port does not serve, or {@code null}.
     *
     * @param client what {@link #clientOf} said, {@code null} included
     * @param destination where the request is going, {@code null} when no hook takes its path
     */
    HookException refusal(InetSocketAddress client, Destination destination);
}
