package io.hookgateway.processors.rules;

import io.hookgateway.config.BlankText;
import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.hooks.Rule;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.processors.template.Template;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Reads trigger rules, the same set adnanh/webhook offers, written as one operator per mapping:
 *
 * <pre>
 * rules:
 *   all:                                   # every rule below; any: at least one; not: the opposite of one
 *     - equals: {value: "${header.X-GitHub-Event}", to: push}
 *     - regex: {value: "${json:/ref}", pattern: "^refs/heads/(main|master)$"}
 *     - exists: "${header.X-Hub-Signature-256}"
 *     - compare: {value: "${json:/temperature}", greater-than: 30, less-or-equal: 50}
 *     - not: {equals: {value: "${query.mode}", to: test}}
 * </pre>
 *
 * <ul>
 *   <li>{@code equals}: the two templates render to the same text.</li>
 *   <li>{@code regex}: the pattern (RE2 syntax, matched in linear time: {@link RulePattern}) is found in the value;
 *       anchor it with {@code ^...$} to match the whole value.</li>
 *   <li>{@code exists}: the request has the value; a single reference such as {@code ${query.token}}.</li>
 *   <li>{@code compare}: the value is a number and every bound given holds ({@code greater-than},
 *       {@code greater-or-equal}, {@code less-than}, {@code less-or-equal}, {@code equal-to}); a value that is not a
 *       number (or is longer than {@value #MAX_NUMBER_CHARS} characters) fails the rule.</li>
 * </ul>
 */
public final class Rules {

    /** The keys a rule may hold, one of them. */
    public static final List<String> OPERATORS = List.of("all", "any", "not", "equals", "regex", "exists", "compare");
    private static final int MAX_DEPTH = 16;
    /**
     * The longest request value {@code compare} reads as a number. Parsing a decimal takes time quadratic in its
     * digits (a million take seconds) and rules may run on an event loop, so a longer value is not a number here.
     */
    static final int MAX_NUMBER_CHARS = 64;

    private Rules() {
    }

    /** Reads the rule under {@code key} of {@code node}; {@link Rule#ALWAYS} when absent or when it had problems. */
    public static Rule read(ConfigNode node, String key, ProcessorContext.Static context) {
        if (!node.has(key)) {
            return Rule.ALWAYS;
        }
        ConfigNode rule = node.object(key);
        if (rule == null) {
            return Rule.ALWAYS;
        }
        RulePattern.Work work = new RulePattern.Work();
        Rule parsed = parse(rule, context, work, 0);
        if (!work.seal()) {
            node.problem(key, "its regex rules have about " + work.states() + " states together, more than "
                    + RulePattern.MAX_STATES + ", and one request may have to match them all; combine patterns, "
                    + "or compare with equals instead");
            return Rule.ALWAYS;
        }
        return parsed == null ? Rule.ALWAYS : parsed;
    }

    private static Rule parse(ConfigNode node, ProcessorContext.Static context, RulePattern.Work work, int depth) {
        node.describedAs("rule", null, null);
        if (depth > MAX_DEPTH) {
            node.problem(null, "rules nest deeper than " + MAX_DEPTH + " levels; simplify them");
            return null;
        }
        List<String> keys = node.keys();
        if (keys.size() != 1 || !OPERATORS.contains(keys.get(0))) {
            node.problem(null, "a rule is a mapping with exactly one of " + String.join(", ", OPERATORS)
                    + (keys.isEmpty() ? "" : "; found " + String.join(", ", keys)));
            return null;
        }
        String op = keys.get(0);
        return switch (op) {
            case "all", "any" -> combination(node, op, context, work, depth);
            case "not" -> {
                ConfigNode inner = node.object("not");
                Rule negated = inner == null ? null : parse(inner, context, work, depth + 1);
                yield negated == null ? null : new Judged(request -> !negated.matches(request), negated.readsBody());
            }
            case "equals" -> equalsRule(node.object("equals"), context);
            case "regex" -> regexRule(node.object("regex"), context, work);
            case "exists" -> existsRule(node, context);
            default -> compareRule(node.object("compare"), context);
        };
    }

    private static Rule combination(ConfigNode node, String op, ProcessorContext.Static context,
                                    RulePattern.Work work, int depth) {
        List<ConfigNode> items = node.objects(op);
        if (items.isEmpty()) {
            if (node.isEmptyList(op)) {
                node.problem(op, "needs at least one rule in its list");
            }
            return null;
        }
        // Every rule of the list is read, so that all their mistakes are reported at once.
        List<Rule> rules = new ArrayList<>();
        boolean complete = true;
        for (ConfigNode item : items) {
            Rule r = parse(item, context, work, depth + 1);
            complete &= r != null;
            rules.add(r);
        }
        if (!complete) {
            return null;
        }
        Rule[] all = rules.toArray(new Rule[0]);
        boolean readsBody = rules.stream().anyMatch(Rule::readsBody);
        if (op.equals("all")) {
            return new Judged(request -> {
                for (Rule r : all) {
                    if (!r.matches(request)) {
                        return false;
                    }
                }
                return true;
            }, readsBody);
        }
        return new Judged(request -> {
            for (Rule r : all) {
                if (r.matches(request)) {
                    return true;
                }
            }
            return false;
        }, readsBody);
    }

    /** A rule, and whether judging it reads the body (what its templates read, or its parts'). */
    private record Judged(Predicate<HookRequest> test, boolean readsBody) implements Rule {

        Judged(Predicate<HookRequest> test, Template... operands) {
            this(test, Arrays.stream(operands).anyMatch(Template::readsBody));
        }

        @Override
        public boolean matches(HookRequest request) {
            return test.test(request);
        }
    }

    private static Rule equalsRule(ConfigNode node, ProcessorContext.Static context) {
        if (node == null) {
            return null;
        }
        Template value = required(node, "value", context);
        Template to = required(node, "to", context);
        node.finish();
        if (value == null || to == null) {
            return null;
        }
        if (value.isConstant() && to.isConstant()) {
            node.problem(null, "compares two fixed texts, so the rule is always true or always false; one side "
                    + "must be a request value, such as ${query.key}");
            return null;
        }
        if (isEmptyText(node, "value", value) || isEmptyText(node, "to", to)) {
            return null;
        }
        return new Judged(request -> value.render(request).equals(to.render(request)), value, to);
    }

    /** Whether one side of {@code equals} is empty text, which a request without the other value would equal. */
    private static boolean isEmptyText(ConfigNode node, String key, Template side) {
        if (!side.isConstant() || !BlankText.isBlank(side.constantValue())) {
            return false;
        }
        node.problem(key, "is empty, so the rule would hold for a request without the value it compares; write the "
                + "text to compare with, or, to require a value, use exists: ${query.name}");
        return true;
    }

    private static Rule regexRule(ConfigNode node, ProcessorContext.Static context, RulePattern.Work work) {
        if (node == null) {
            return null;
        }
        Template value = requestValue(node, context);
        String source = node.requiredString("pattern", "write a regular expression, such as ^refs/heads/main$");
        node.finish();
        if (value == null || source == null || !noBlankVariable(node, "pattern")) {
            return null;
        }
        RulePattern pattern;
        try {
            pattern = work.add(RulePattern.compile(source));
        } catch (IllegalArgumentException e) {
            node.problem("pattern", e.getMessage());
            return null;
        }
        return new Judged(request -> pattern.find(value.render(request), work), value);
    }

    private static Rule existsRule(ConfigNode node, ProcessorContext.Static context) {
        Template value = Template.read(node, "exists", null, context);
        if (value == null) {
            return null;
        }
        if (!value.isSingleReference()) {
            node.problem("exists", "must be one request value, such as ${header.X-Token}");
            return null;
        }
        return new Judged(value::isPresent, value);
    }

    /** The bounds of {@code compare}, by their key, each holding for some signs of value.compareTo(limit). */
    private enum Bound {
        GREATER_THAN("greater-than", c -> c > 0),
        GREATER_OR_EQUAL("greater-or-equal", c -> c >= 0),
        LESS_THAN("less-than", c -> c < 0),
        LESS_OR_EQUAL("less-or-equal", c -> c <= 0),
        EQUAL_TO("equal-to", c -> c == 0);

        final String key;
        final IntPredicate holds;

        Bound(String key, IntPredicate holds) {
            this.key = key;
            this.holds = holds;
        }
    }

    private static Rule compareRule(ConfigNode node, ProcessorContext.Static context) {
        if (node == null) {
            return null;
        }
        Template value = requestValue(node, context);
        Map<Bound, BigDecimal> limits = new EnumMap<>(Bound.class);
        for (Bound bound : Bound.values()) {
            BigDecimal limit = node.parsed(bound.key, null, Rules::number);
            if (limit != null) {
                limits.put(bound, limit);
            }
        }
        node.finish();
        if (value == null) {
            return null;
        }
        if (limits.isEmpty()) {
            if (Arrays.stream(Bound.values()).noneMatch(bound -> node.has(bound.key))) {
                node.problem(null, "needs at least one bound: greater-than, greater-or-equal, less-than, "
                        + "less-or-equal or equal-to");
            }
            return null;
        }
        return new Judged(request -> {
            String text = value.render(request).trim();
            if (text.length() > MAX_NUMBER_CHARS) {
                return false;
            }
            BigDecimal number;
            try {
                number = new BigDecimal(text);
            } catch (NumberFormatException e) {
                return false;
            }
            for (Map.Entry<Bound, BigDecimal> limit : limits.entrySet()) {
                if (!limit.getKey().holds.test(number.compareTo(limit.getValue()))) {
                    return false;
                }
            }
            return true;
        }, value);
    }

    private static BigDecimal number(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
    }

    /**
     * An operand a rule compares, which must be written. One with an environment variable that is empty is refused:
     * {@code to: "${IFTTT_KEY}"} with {@code IFTTT_KEY=} would compare with nothing and open a guard to a request
     * that has no key.
     */
    private static Template required(ConfigNode node, String key, ProcessorContext.Static context) {
        if (!node.has(key)) {
            node.problem(key, "is required");
            return null;
        }
        Template template = Template.read(node, key, null, context);
        return template != null && noBlankVariable(node, key) ? template : null;
    }

    /** The {@code value} a rule examines: it must come from the request, or the rule could never change its mind. */
    private static Template requestValue(ConfigNode node, ProcessorContext.Static context) {
        Template value = required(node, "value", context);
        if (value != null && value.isConstant()) {
            node.problem("value", "is fixed text, so the rule is always true or always false; write a request "
                    + "value, such as ${json:/ref}");
            return null;
        }
        return value;
    }

    private static boolean noBlankVariable(ConfigNode node, String key) {
        List<String> blank = node.blankVariables(key);
        if (blank.isEmpty()) {
            return true;
        }
        node.problem(key, "uses " + String.join(", ", blank) + ", which is empty, so the rule "
                + "would compare with nothing and hold for a request without the value; set it");
        return false;
    }
}
