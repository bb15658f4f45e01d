package io.hookgateway.hooks.command;

import io.hookgateway.hooks.template.Template;

/**
 * A {@code shell: true} command: the script with each request value replaced by a positional parameter, so that
 * {@code /bin/sh -c SCRIPT hook-gateway VALUE1 VALUE2 ...} expands the values as data and never parses them. A value
 * outside quotes becomes {@code "${1}"}, one inside double quotes {@code ${1}}; inside single quotes or backticks, or
 * after a backslash, the shell would not expand it as a parameter, so such a script is refused when it loads.
 */
final class ShellScript {

    /** The name the script sees as {@code $0}. */
    static final String NAME = "hook-gateway";

    private enum Quoting { NONE, SINGLE, DOUBLE, BACKTICK }

    private final String script;
    private final Template template;

    private ShellScript(String script, Template template) {
        this.script = script;
        this.template = template;
    }

    /** Compiles the script; a value where the shell would not take it as data throws, saying where to put it. */
    static ShellScript compile(Template template) {
        StringBuilder script = new StringBuilder();
        Quoting[] state = {Quoting.NONE};
        Quoting[] beforeBacktick = {Quoting.NONE};
        boolean[] escaped = {false};
        template.visit(new Template.PartVisitor() {
            @Override
            public void literal(String text) {
                for (int i = 0; i < text.length(); i++) {
                    char c = text.charAt(i);
                    script.append(c);
                    if (escaped[0]) {
                        escaped[0] = false;
                        continue;
                    }
                    switch (state[0]) {
                        case NONE -> {
                            if (c == '\\') {
                                escaped[0] = true;
                            } else if (c == '\'') {
                                state[0] = Quoting.SINGLE;
                            } else if (c == '"') {
                                state[0] = Quoting.DOUBLE;
                            } else if (c == '`') {
                                beforeBacktick[0] = Quoting.NONE;
                                state[0] = Quoting.BACKTICK;
                            }
                        }
                        case SINGLE -> {
                            if (c == '\'') {
                                state[0] = Quoting.NONE;
                            }
                        }
                        case DOUBLE -> {
                            if (c == '\\') {
                                escaped[0] = true;
                            } else if (c == '"') {
                                state[0] = Quoting.NONE;
                            } else if (c == '`') {
                                beforeBacktick[0] = Quoting.DOUBLE;
                                state[0] = Quoting.BACKTICK;
                            }
                        }
                        case BACKTICK -> {
                            if (c == '\\') {
                                escaped[0] = true;
                            } else if (c == '`') {
                                state[0] = beforeBacktick[0];
                            }
                        }
                        default -> throw new IllegalStateException();
                    }
                }
            }

            @Override
            public void reference(int index, Template single) {
                String where = single.source();
                if (escaped[0]) {
                    throw new IllegalArgumentException("the request value " + where + " follows a backslash; "
                            + "remove the backslash");
                }
                String parameter = "${" + (index + 1) + "}";
                switch (state[0]) {
                    case NONE -> script.append('"').append(parameter).append('"');
                    case DOUBLE -> script.append(parameter);
                    case SINGLE -> throw new IllegalArgumentException("the request value in single quotes would "
                            + "not be expanded; close the quotes around it, or use double quotes");
                    default -> throw new IllegalArgumentException("the request value in backticks cannot be passed "
                            + "safely; use $( ... ) instead");
                }
            }
        });
        if (state[0] != Quoting.NONE || escaped[0]) {
            throw new IllegalArgumentException("the script ends inside a quote, backtick or escape; close it");
        }
        return new ShellScript(script.toString(), template);
    }

    /** The script with positional parameters in place of the request values. */
    String script() {
        return script;
    }

    Template template() {
        return template;
    }
}
