package io.hookgateway.config;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Finds the YAML that Jackson's reader does not read as YAML means it, so that it is refused rather than misread: an
 * alias ({@code to: *key}) is read as the anchor's <em>name</em>, so {@code ?key=key} passed a guard whose secret was
 * anchored elsewhere; a merge key ({@code <<: *defaults}) as a key named {@code <<}; every document after the first is
 * dropped; and a tag is dropped or changes the value silently ({@code !!binary czNjcmV0} compared as its base64 text,
 * {@code !secret x} as {@code x}); a bare base-60 number ({@code 1:30}) is text to Jackson, 90 to other YAML 1.1
 * readers. Anchors are refused with their aliases, since one is only written for the other.
 * Every tag is refused, {@code !!str} too: quotes are the one way to say "this is text", which every YAML reader
 * reads alike.
 *
 * <p>It reads the parser's events, not a tree, so nothing is expanded and the work is linear in the text.
 */
public final class YamlRefusals {

    private static final String FIX = "write the value in each place it is needed, or keep a shared secret in an "
            + "environment variable and write ${NAME} wherever it is used";

    /** A mapping or a list being read: its key path, and where in it the reader is. */
    private static final class Frame {
        final String path;
        final boolean mapping;
        boolean atKey = true;
        String key = "";
        int index;

        Frame(String path, boolean mapping) {
            this.path = path;
            this.mapping = mapping;
        }

        /** The key path of the value being read in this collection. */
        String child() {
            if (!mapping) {
                return path + "[" + index + "]";
            }
            return path.isEmpty() ? key : path + "." + key;
        }

        /** One value of this collection is complete. */
        void advance() {
            if (mapping) {
                atKey = true;
            } else {
                index++;
            }
        }
    }

    /**
     * A YAML 1.1 base-60 number ({@code 1:30} is 90, {@code 190:20:30.15} a float), as SnakeYAML's resolver reads one.
     * Jackson reads the whole ones as text, the others as a number it cannot parse; other YAML 1.1 readers as numbers.
     */
    private static final Pattern SEXAGESIMAL =
            Pattern.compile("[-+]?(?:[1-9][0-9_]*(?::[0-5]?[0-9])+|[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*)");

    /** How YAML writes its own tags ({@code tag:yaml.org,2002:binary}) in a file: {@code !!binary}. */
    private static final String YAML_TAG_PREFIX = "tag:yaml.org,2002:";

    private YamlRefusals() {
    }

    /**
     * Reports every anchor, alias, merge key, tag and extra document of {@code text}.
     *
     * @throws org.yaml.snakeyaml.error.YAMLException when the text is not YAML
     */
    public static void report(String text, ConfigProblems problems) {
        Deque<Frame> frames = new ArrayDeque<>();
        int documents = 0;
        for (Event event : new Yaml(new LoaderOptions()).parse(new StringReader(text))) {
            int line = event.getStartMark().getLine() + 1;
            if (event instanceof DocumentStartEvent && ++documents == 2) {
                problems.add("", "line " + line + ": a second YAML document (after ---); the gateway reads one "
                        + "document, so put the whole configuration in one");
            }
            if (event instanceof CollectionEndEvent) {
                frames.pop();
                if (!frames.isEmpty()) {
                    frames.peek().advance();
                }
                continue;
            }
            if (!(event instanceof NodeEvent node)) {
                continue;
            }
            Frame parent = frames.peek();
            boolean isKey = parent != null && parent.mapping && parent.atKey;
            String path = parent == null ? "" : isKey ? parent.path : parent.child();
            String anchor = node.getAnchor();
            if (event instanceof AliasEvent) {
                problems.add(path, "line " + line + ": *" + anchor + " is a YAML alias, which the gateway does not "
                        + "expand (it would read the text '" + anchor + "'); " + FIX);
            } else if (anchor != null) {
                problems.add(path, "line " + line + ": &" + anchor + " is a YAML anchor; the gateway does not "
                        + "expand aliases to it; " + FIX);
            }
            String tag = event instanceof ScalarEvent scalar ? scalar.getTag()
                    : event instanceof CollectionStartEvent collection ? collection.getTag() : null;
            if (tag != null) {
                problems.add(path, "line " + line + ": " + shown(tag) + " is a YAML tag, which the gateway does not "
                        + "read (it would drop the tag, or read a !!binary value as its base64 text); remove it and "
                        + "write the value itself, in quotes if it is text");
            }
            if (event instanceof ScalarEvent scalar && scalar.isPlain()
                    && SEXAGESIMAL.matcher(scalar.getValue()).matches()) {
                problems.add(path, "line " + line + ": " + scalar.getValue() + " is a number in base 60 to YAML 1.1 "
                        + "readers (1:30 is 90), though the gateway's reader takes it as text; quote it, as \""
                        + scalar.getValue() + "\", so that it is text to every reader");
            }
            if (isKey && event instanceof ScalarEvent scalar && scalar.isPlain() && scalar.getValue().equals("<<")) {
                problems.add(path, "line " + line + ": << is a YAML merge key, which the gateway does not read "
                        + "as one; " + FIX);
            }
            if (event instanceof ScalarEvent || event instanceof AliasEvent) {
                if (isKey) {
                    parent.key = event instanceof ScalarEvent scalar ? scalar.getValue() : "*" + anchor;
                    parent.atKey = false;
                } else if (parent != null) {
                    parent.advance();
                }
            } else {
                frames.push(new Frame(path, event instanceof MappingStartEvent));
            }
        }
    }

    /** A tag as it is written in a file. */
    private static String shown(String tag) {
        return tag.startsWith(YAML_TAG_PREFIX) ? "!!" + tag.substring(YAML_TAG_PREFIX.length())
                : tag.startsWith("!") ? tag : "!<" + tag + ">";
    }
}
