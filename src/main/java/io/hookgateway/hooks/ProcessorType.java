package io.hookgateway.hooks;

import io.hookgateway.config.ConfigNode;

/**
 * A kind of processor, registered by name: {@code respond}, later {@code command}, {@code forward}, {@code mqtt}.
 * Types are found with {@link java.util.ServiceLoader}, so a jar on the class path can add one by listing its class in
 * {@code META-INF/services/io.hookgateway.hooks.ProcessorType}.
 *
 * <p>Configuration happens in two steps so that {@code --check} can validate everything without side effects:
 * {@link #parseOptions} reads and validates the hook's {@code processor:} mapping into an immutable options value
 * (its "config shape"); {@link #create} builds the working processor from it when the gateway starts.
 *
 * @param <O> the immutable options this type is configured with
 */
public interface ProcessorType<O> {

    /** The name written as {@code type:} in the configuration. */
    String name();

    /**
     * Reads this type's options from the hook's {@code processor:} mapping. Problems are reported on the node (with
     * their key paths), not thrown; the return value is ignored when any were reported. The {@code type} key is
     * already read.
     */
    O parseOptions(ConfigNode options, ProcessorContext.Static context);

    /** Builds the processor. Called once per hook at start, after every option has been validated. */
    HookProcessor create(O options, ProcessorContext context) throws Exception;
}
