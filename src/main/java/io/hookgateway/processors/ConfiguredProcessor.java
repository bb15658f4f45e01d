package io.hookgateway.processors;

import io.hookgateway.hooks.HookProcessor;

/**
 * A processor as configured and validated, not built yet: what a processor that runs others first (the {@code alexa}
 * processor's steps before it answers) keeps of each, from {@link ProcessorContext.Static#processor}, to build it when
 * the gateway starts.
 */
public interface ConfiguredProcessor {

    /** The name of its type, such as {@code mqtt}: the {@code processor} tag of its timings. */
    String typeName();

    /** Builds the processor, as the gateway builds a hook's own; called once, at start. */
    HookProcessor create(ProcessorContext context) throws Exception;
}
