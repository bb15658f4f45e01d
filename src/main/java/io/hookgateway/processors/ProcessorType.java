package io.hookgateway.processors;

import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.HookProcessor;
import java.util.List;

/**
 * A kind of processor, registered by name: {@code respond}, later {@code command}, {@code forward}, {@code mqtt}.
 * Types are found with {@link java.util.ServiceLoader}, so a jar on the class path can add one by listing its class in
 * {@code META-INF/services/io.hookgateway.processors.ProcessorType}.
 *
 * <p>Configuration happens in two steps so that {@code --check} can validate everything without side effects:
 * {@link #parseOptions} reads and validates the hook's {@code processor:} mapping into an immutable options value
 * (its "config shape"), and {@link #subResourcePaths} and {@link #checkTogether} tell what only shows across hooks;
 * {@link #create} builds the working processor from it when the gateway starts, and must not refuse options that
 * passed those: a configuration {@code --check} passes starts.
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

    /**
     * The paths, relative to the hook's, of the resources a processor with these options serves besides the hook
     * ({@link HookProcessor#subResources()}, which must have exactly these keys), such as
     * {@code /executions/{execution}}. They answer GET and are routed with the hook, so the configuration checks them
     * against every other hook's routes when it loads: a clash is found by {@code --check}, not at start. The start
     * routes these paths, each to the handler {@code subResources()} gives for it, and fails with an
     * {@link IllegalStateException} naming this type when the processor serves any other set.
     */
    default List<String> subResourcePaths(O options) {
        return List.of();
    }

    /**
     * Checks every processor of this type in one configuration together, when it loads, for what only shows across
     * hooks and would otherwise stop {@link #create} at start: two {@code mqtt} hooks that share one connection must
     * agree on its settings. Report each problem on the node of the processor it is about. Called once per type in
     * use, with its processors in file order.
     */
    default void checkTogether(List<Configured<O>> processors) {
    }

    /** Builds the processor. Called once per hook at start, after every option has been validated. */
    HookProcessor create(O options, ProcessorContext context) throws Exception;

    /**
     * One processor of a type as configured: its validated options, and the mapping they were read from, to report
     * on.
     */
    record Configured<O>(O options, ConfigNode node) {
    }
}
