package io.hookgateway.processors.alexa;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookgateway.config.ConfigNode;
import io.hookgateway.hooks.HookRequest;
import io.hookgateway.processors.ProcessorContext;
import io.hookgateway.processors.template.Template;
import java.io.IOException;
import java.io.StringReader;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * What Alexa says: plain text, or SSML (Speech Synthesis Markup Language) whose request values are escaped as XML
 * text, so that a slot value such as {@code <audio src="...">} or {@code ]]>} is spoken, never read as markup. SSML
 * without a {@code <speak>} root gets one.
 *
 * <p>Alexa speaks at most {@value AlexaLimits#MAX_SPEECH_CHARS} characters: a text whose fixed part alone is longer is a
 * configuration problem, and a rendered one that is longer is caught when it is rendered ({@link #render}).
 */
final class Speech {

    /**
     * SSML is XML: a request value in it is escaped as markup (see
     * {@link io.hookgateway.processors.template.Format}).
     */
    private static final String SSML_CONTENT_TYPE = "application/ssml+xml";

    private final Template template;
    private final boolean ssml;
    private final boolean wrap;

    private Speech(Template template, boolean ssml) {
        this.template = template;
        this.ssml = ssml;
        this.wrap = ssml && !template.source().stripLeading().startsWith("<speak");
    }

    /** A plain-text speech of fixed text: for the gateway's own answers. */
    static Speech plain(String text) {
        return new Speech(Template.compile(text.replace("${", "$${")), false);
    }

    /**
     * Reads {@code plainKey} (plain text) or {@code ssmlKey} (SSML), one of them; {@code null} when neither is given
     * (then {@code required} says whether that is a problem) or after reporting one.
     */
    static Speech read(ConfigNode node, String plainKey, String ssmlKey, ProcessorContext.Static context,
                       boolean required) {
        boolean plain = node.has(plainKey);
        boolean markup = node.has(ssmlKey);
        if (plain && markup) {
            node.problem(ssmlKey, "and " + plainKey + " are both given; write the text once, as plain text ("
                    + plainKey + ") or SSML (" + ssmlKey + ")");
            return null;
        }
        if (!plain && !markup) {
            if (required) {
                node.problem(plainKey, "is required: what Alexa says, as " + plainKey + ": \"The light is on.\" (or "
                        + ssmlKey + ": for SSML)");
            }
            return null;
        }
        String key = plain ? plainKey : ssmlKey;
        Template template = plain ? Template.read(node, key, null, context)
                : Template.readDocument(node, key, null, context, SSML_CONTENT_TYPE);
        if (template == null) {
            return null;
        }
        Speech speech = new Speech(template, markup);
        String fixed = speech.fixedText();
        int length = AlexaLimits.characters(fixed);
        if (length > AlexaLimits.MAX_SPEECH_CHARS) {
            node.problem(key, "is " + length + " characters without its request values; Alexa speaks at most "
                    + AlexaLimits.MAX_SPEECH_CHARS);
            return null;
        }
        String problem = markup ? xmlProblem(fixed) : null;
        if (problem != null) {
            node.problem(key, "is not well-formed SSML (" + problem + "); write it as XML, with the tags closed and "
                    + "& written as &amp;");
            return null;
        }
        return speech;
    }

    /** Whether rendering reads the body. */
    boolean readsBody() {
        return template.readsBody();
    }

    /**
     * The text with the request's values: {@code null} when it is longer than Alexa speaks, so the caller can answer
     * otherwise rather than have Alexa refuse the whole answer.
     */
    String render(HookRequest request) {
        String text = template.render(request);
        if (wrap) {
            text = "<speak>" + text + "</speak>";
        }
        return AlexaLimits.characters(text) > AlexaLimits.MAX_SPEECH_CHARS ? null : text;
    }

    /** The {@code outputSpeech} object for {@code text}: {@code PlainText} or {@code SSML}. */
    ObjectNode outputSpeech(String text) {
        ObjectNode speech = JsonNodeFactory.instance.objectNode();
        if (ssml) {
            speech.put("type", "SSML").put("ssml", text);
        } else {
            speech.put("type", "PlainText").put("text", text);
        }
        return speech;
    }

    /** The text with every request value left out, wrapped as it will be: the least any rendering holds. */
    String fixedText() {
        String fixed = fixedText(template);
        return wrap ? "<speak>" + fixed + "</speak>" : fixed;
    }

    /** A template's text with every request value left out. */
    static String fixedText(Template template) {
        StringBuilder fixed = new StringBuilder();
        template.visit(new Template.PartVisitor() {
            @Override
            public void literal(String text) {
                fixed.append(text);
            }

            @Override
            public void reference(int index, Template single) {
                // A value is escaped text: any text stands for it where well-formedness is concerned.
            }
        });
        return fixed.toString();
    }

    /** Why {@code xml} is not well-formed XML, or {@code null}. DTDs are refused: SSML has no use for one. */
    private static String xmlProblem(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            builder.parse(new InputSource(new StringReader(xml)));
            return null;
        } catch (SAXException e) {
            return e.getMessage();
        } catch (ParserConfigurationException | IOException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be set up: " + e.getMessage(), e);
        }
    }
}
