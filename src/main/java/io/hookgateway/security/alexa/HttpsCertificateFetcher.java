package io.hookgateway.security.alexa;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Fetches a certificate chain over HTTPS with the JDK's client: the server's certificate checked against the JDK's
 * trust store, no redirect followed, at most {@value #MAX_BYTES} bytes, the whole answer within
 * {@link #FETCH_TIMEOUT}. Amazon's chain is a few kilobytes and rarely changes, so the limits cost nothing real.
 */
final class HttpsCertificateFetcher implements CertificateFetcher {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** For the whole exchange, the body included: a server that sends a byte a second is cut off. */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_BYTES = 64 * 1024;

    private final Supplier<HttpClient> clientFactory;
    private final UnaryOperator<URI> address;
    private HttpClient client;

    /** Fetches from the URL itself, with a client built on first use: building one starts a thread. */
    HttpsCertificateFetcher() {
        this(HttpsCertificateFetcher::defaultClient, UnaryOperator.identity());
    }

    /**
     * Fetches with the client {@code clientFactory} builds, from the address {@code address} maps each URL to: tests
     * send {@code https://s3.amazonaws.com/echo.api/...} to a local server with a certificate of their own.
     */
    HttpsCertificateFetcher(Supplier<HttpClient> clientFactory, UnaryOperator<URI> address) {
        this.clientFactory = clientFactory;
        this.address = address;
    }

    private static HttpClient defaultClient() {
        return HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = clientFactory.get();
        }
        return client;
    }

    @Override
    public byte[] fetch(URI url) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(address.apply(url)).timeout(FETCH_TIMEOUT).GET().build();
        CompletableFuture<HttpResponse<byte[]>> exchange = client().sendAsync(request, info ->
                info.statusCode() == 200 ? new CappedBody(MAX_BYTES) : HttpResponse.BodySubscribers.replacing(null));
        try {
            HttpResponse<byte[]> response = exchange.get(FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (response.body() == null) {
                throw new IOException(url + " answered " + response.statusCode());
            }
            return response.body();
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new IOException(url + " did not answer within " + FETCH_TIMEOUT.toSeconds() + "s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IOException(url + " could not be fetched: " + (cause.getMessage() != null ? cause.getMessage()
                    : cause.getClass().getSimpleName()), cause);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + url);
        }
    }

    /** Collects a body of at most {@code max} bytes; a longer one fails as soon as it passes the cap. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        CappedBody(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (body.isDone()) {
                    return;
                }
                if (buffer.remaining() > max - bytes.size()) {
                    subscription.cancel();
                    body.completeExceptionally(new IOException("the answer is larger than " + max + " bytes"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }
}
