package io.hookgateway.processors.template;

import java.util.Locale;

/**
 * The kind of document a template writes, which decides how a request value is written into it so that no value can
 * change the document's structure (as Go's html/template escapes by context):
 *
 * <table>
 *   <caption>Formats and what a request value becomes</caption>
 *   <tr><th>format</th><th>chosen by</th><th>a request value</th></tr>
 *   <tr><td>{@link #TEXT}</td><td>any other content type, or none</td><td>inserted as it is</td></tr>
 *   <tr><td>{@link #JSON}</td><td>{@code application/json}, {@code +json}; or a template that starts with
 *       {@code {} or {@code [} and is valid JSON</td><td>inside quotes: escaped as JSON string content (RFC 8259
 *       §7); outside quotes: one whole JSON value</td></tr>
 *   <tr><td>{@link #FORM}</td><td>{@code application/x-www-form-urlencoded}</td><td>percent-encoded, all but
 *       {@code A-Z a-z 0-9 - . _ ~}</td></tr>
 *   <tr><td>{@link #MARKUP}</td><td>{@code text/html}, {@code xml}, {@code +xml}</td><td>{@code & < > " '} as
 *       character references; characters XML forbids as U+FFFD</td></tr>
 * </table>
 *
 * <p>{@code ${raw:...}} inserts a value as it is whatever the format; in JSON the result is then checked per request.
 */
public enum Format {
    TEXT, JSON, FORM, MARKUP;

    /**
     * The format a declared {@code Content-Type} asks for, or {@code null} when there is no declared type (the
     * template is then looked at: see {@link Template#compileDocument}).
     */
    public static Format of(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        type = (semicolon < 0 ? type : type.substring(0, semicolon)).strip();
        if (type.equals("application/json") || type.endsWith("+json")) {
            return JSON;
        }
        if (type.equals("application/x-www-form-urlencoded")) {
            return FORM;
        }
        if (type.equals("text/html") || type.equals("text/xml") || type.equals("application/xml")
                || type.endsWith("+xml")) {
            return MARKUP;
        }
        return TEXT;
    }
}
