package io.hookgateway.hooks;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.util.Objects;

/**
 * The event loops and socket type the gateway runs on (epoll where available, else NIO), lent to built-in processors
 * that are network clients (forward, mqtt) so they add no threads of their own.
 *
 * @param eventLoops the hook port's event loops
 * @param socketChannelType the client socket channel class matching them
 */
public record Transport(EventLoopGroup eventLoops, Class<? extends SocketChannel> socketChannelType) {

    public Transport {
        Objects.requireNonNull(eventLoops, "eventLoops");
        Objects.requireNonNull(socketChannelType, "socketChannelType");
    }
}
