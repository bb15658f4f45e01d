package io.hookgateway.routing;

import io.hookgateway.http.RequestFailure;

/**
 * What the router reports about each request, for metrics. Implementations cache their meters: the router calls these
 * on every request, on the event loop.
 */
public interface RequestObserver {

    /** Observes nothing: for the admin port, whose own requests are not hook traffic. */
    RequestObserver NONE = new RequestObserver() {
        @Override
        public HookObserver hook(String hookName) {
            return HookObserver.NONE;
        }

        @Override
        public void decodeFailure(RequestFailure failure) {
        }
    };

    /** The observer of one hook's requests; {@link #UNMATCHED} for requests that matched none. */
    HookObserver hook(String hookName);

    /** A request refused before routing, by reason. */
    void decodeFailure(RequestFailure failure);

    /** The hook name under which requests that match no hook are counted; never the raw path. */
    String UNMATCHED = "unmatched";

    /** Observes one hook. */
    interface HookObserver {

        HookObserver NONE = new HookObserver() {
            @Override
            public void completed(String method, int status, long durationNanos, long bodyBytes) {
            }

            @Override
            public void processorFailed(String cause) {
            }
        };

        /** An answer was written: method, status, time since the request began to arrive, request body size. */
        void completed(String method, int status, long durationNanos, long bodyBytes);

        /** The processor failed: {@code exception}, {@code rejected} (worker pool full), ... */
        void processorFailed(String cause);
    }
}
