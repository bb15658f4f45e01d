package io.hookgateway.metrics;

/**
 * The gateway's serving state, as {@code /readyz} reports it: starting until the hook port is bound, ready while it
 * serves, draining once shutdown begins (and the load balancer should stop sending).
 */
public final class Health {

    /** The states, in the order they happen. */
    public enum State { STARTING, READY, DRAINING }

    private volatile State state = State.STARTING;

    public State state() {
        return state;
    }

    public void ready() {
        state = State.READY;
    }

    public void draining() {
        state = State.DRAINING;
    }

    public boolean isDraining() {
        return state == State.DRAINING;
    }
}
