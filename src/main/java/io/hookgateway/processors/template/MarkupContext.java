package io.hookgateway.processors.template;

import java.util.Locale;
import java.util.Set;

/**
 * Where a request value lands in an HTML or XML template, read from the template's fixed text as the HTML tokenizer
 * would (WHATWG HTML §13.2.5, reduced to what decides it). Escaping {@code & < > " '} keeps a value text in element
 * content and in a quoted attribute; it does not in a script or style, in an event handler or {@code style} attribute,
 * in an unquoted attribute, as a tag or attribute name, or at the start of a URL attribute, where
 * {@code javascript:} would pick the scheme. A value in any of those places is refused when the configuration loads,
 * as Go's html/template would escape it differently there; this gateway has one markup escape, and refuses rather
 * than guesses.
 */
final class MarkupContext {

    private enum State {
        TEXT, TAG_NAME, IN_TAG, ATTRIBUTE_NAME, AFTER_ATTRIBUTE_NAME, BEFORE_VALUE, DOUBLE_QUOTED, SINGLE_QUOTED,
        UNQUOTED, COMMENT, RAW_TEXT
    }

    /** Elements whose content is script or style, not text (HTML §13.1.2 raw text elements). */
    private static final Set<String> RAW_TEXT_ELEMENTS = Set.of("script", "style");
    /** Attributes that hold a URL (HTML §4, and SVG's xlink:href). */
    private static final Set<String> URL_ATTRIBUTES = Set.of("href", "src", "action", "formaction", "srcset",
            "xlink:href", "poster", "background", "cite", "data", "codebase", "longdesc", "usemap", "manifest",
            "ping", "icon", "dynsrc", "lowsrc", "profile", "archive", "classid", "itemtype");

    private State state = State.TEXT;
    private final StringBuilder tag = new StringBuilder();
    private final StringBuilder attribute = new StringBuilder();
    private final StringBuilder value = new StringBuilder();
    private boolean closingTag;
    private String rawTextEnd;

    /** Reads fixed text of the template. */
    void literal(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (state) {
                case TEXT -> {
                    if (c != '<') {
                        continue;
                    }
                    // A '<' that ends the fixed text is followed by a request value, which could name a tag.
                    char next = i + 1 < text.length() ? text.charAt(i + 1) : 'x';
                    if (text.startsWith("<!--", i)) {
                        state = State.COMMENT;
                        i += 3;
                    } else if (Character.isLetter(next) || next == '/' || next == '!' || next == '?') {
                        // A tag, an end tag, a doctype or a processing instruction; '<' before anything else is text.
                        state = State.TAG_NAME;
                        tag.setLength(0);
                        closingTag = next == '/';
                        if (closingTag) {
                            i++;
                        }
                    }
                }
                case COMMENT -> {
                    if (text.startsWith("-->", i)) {
                        state = State.TEXT;
                        i += 2;
                    }
                }
                case RAW_TEXT -> {
                    if (text.regionMatches(true, i, rawTextEnd, 0, rawTextEnd.length())) {
                        state = State.IN_TAG;
                        closingTag = true;
                        tag.setLength(0);
                        i += rawTextEnd.length() - 1;
                    }
                }
                case TAG_NAME -> {
                    if (c == '>') {
                        endTag();
                    } else if (Character.isWhitespace(c) || c == '/') {
                        state = State.IN_TAG;
                    } else {
                        tag.append(Character.toLowerCase(c));
                    }
                }
                case IN_TAG -> {
                    if (c == '>') {
                        endTag();
                    } else if (!Character.isWhitespace(c) && c != '/') {
                        state = State.ATTRIBUTE_NAME;
                        attribute.setLength(0);
                        attribute.append(Character.toLowerCase(c));
                    }
                }
                case ATTRIBUTE_NAME -> {
                    if (c == '=') {
                        state = State.BEFORE_VALUE;
                    } else if (c == '>') {
                        endTag();
                    } else if (Character.isWhitespace(c)) {
                        state = State.AFTER_ATTRIBUTE_NAME;
                    } else {
                        attribute.append(Character.toLowerCase(c));
                    }
                }
                case AFTER_ATTRIBUTE_NAME -> {
                    if (c == '=') {
                        state = State.BEFORE_VALUE;
                    } else if (c == '>') {
                        endTag();
                    } else if (!Character.isWhitespace(c)) {
                        state = State.ATTRIBUTE_NAME;
                        attribute.setLength(0);
                        attribute.append(Character.toLowerCase(c));
                    }
                }
                case BEFORE_VALUE -> {
                    value.setLength(0);
                    if (c == '"') {
                        state = State.DOUBLE_QUOTED;
                    } else if (c == '\'') {
                        state = State.SINGLE_QUOTED;
                    } else if (c == '>') {
                        endTag();
                    } else if (!Character.isWhitespace(c)) {
                        state = State.UNQUOTED;
                        value.append(c);
                    }
                }
                case DOUBLE_QUOTED, SINGLE_QUOTED -> {
                    if (c == (state == State.DOUBLE_QUOTED ? '"' : '\'')) {
                        state = State.IN_TAG;
                    } else {
                        value.append(c);
                    }
                }
                case UNQUOTED -> {
                    if (Character.isWhitespace(c)) {
                        state = State.IN_TAG;
                    } else if (c == '>') {
                        endTag();
                    } else {
                        value.append(c);
                    }
                }
                default -> throw new IllegalStateException("unexpected state " + state);
            }
        }
    }

    private void endTag() {
        String name = tag.toString();
        if (!closingTag && RAW_TEXT_ELEMENTS.contains(name)) {
            state = State.RAW_TEXT;
            rawTextEnd = "</" + name;
        } else {
            state = State.TEXT;
        }
    }

    /**
     * Why a request value may not stand here, as the end of a sentence about it, or {@code null} when the markup
     * escape keeps it text. A value that may stand here counts as a character of what it stands in.
     */
    String problemForValue() {
        String problem = switch (state) {
            case TEXT, COMMENT -> null;
            case RAW_TEXT -> "is inside a <" + rawTextEnd.substring(2) + "> element, whose content is code, not "
                    + "text; put it in element text or a quoted attribute such as data-value=\"...\" instead";
            case TAG_NAME, IN_TAG, ATTRIBUTE_NAME, AFTER_ATTRIBUTE_NAME ->
                    "would be a tag or attribute name; a request value may only be text or a quoted attribute value";
            case BEFORE_VALUE, UNQUOTED -> "is in an unquoted attribute value, where a space ends it; quote the "
                    + "attribute: " + attribute + "=\"...\"";
            case DOUBLE_QUOTED, SINGLE_QUOTED -> attributeProblem();
        };
        value.append('x');
        return problem;
    }

    private String attributeProblem() {
        String name = attribute.toString();
        if (name.startsWith("on") || name.equals("style")) {
            return "is in the " + name + " attribute, whose value is code; put it in a data-* attribute instead";
        }
        if (URL_ATTRIBUTES.contains(name) || name.endsWith(":href")) {
            String before = value.toString().toLowerCase(Locale.ROOT);
            boolean schemeFixed = before.indexOf(':') >= 0 || before.startsWith("/") || before.startsWith("?")
                    || before.startsWith("#") || before.startsWith(".");
            if (!schemeFixed) {
                return "begins the URL of the " + name + " attribute, where it could choose the scheme "
                        + "(javascript:...); write the URL's start as fixed text, as href=\"https://host/${...}\"";
            }
        }
        return null;
    }
}
