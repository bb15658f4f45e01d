package io.hookgateway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.SourceSpan;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The READMEs rendered as CommonMark, the way a repository host shows them: every fence line opens or closes a code
 * block (a closing fence with text after it is not one, and swallows what follows into the block), every block is
 * closed, and every line written as a section heading is one.
 */
class ReadmeRenderingTest {

    /** A line CommonMark may read as a code fence: three or more backticks or tildes, indented up to three spaces. */
    private static final Pattern FENCE = Pattern.compile(" {0,3}(```|~~~).*");
    /**
     * A section heading as these files write them. One '#' is left out: in a shell or YAML block it is a comment.
     */
    private static final Pattern HEADING = Pattern.compile("#{2,6} \\S.*");

    /** What the parser made of one file: the lines of its fenced blocks' fences, and of its headings. */
    private static final class Structure extends AbstractVisitor {
        final TreeSet<Integer> fenceLines = new TreeSet<>();
        final List<String> unclosed = new ArrayList<>();
        final TreeSet<Integer> headingLines = new TreeSet<>();

        @Override
        public void visit(FencedCodeBlock block) {
            List<SourceSpan> spans = block.getSourceSpans();
            int first = spans.get(0).getLineIndex() + 1;
            int last = spans.get(spans.size() - 1).getLineIndex() + 1;
            fenceLines.add(first);
            if (block.getClosingFenceLength() == null) {
                unclosed.add("line " + first + " (" + block.getInfo() + ")");
            } else {
                fenceLines.add(last);
            }
        }

        @Override
        public void visit(Heading heading) {
            headingLines.add(heading.getSourceSpans().get(0).getLineIndex() + 1);
            visitChildren(heading);
        }
    }

    private static List<String> linesOf(String file) throws Exception {
        return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
    }

    private static Structure render(List<String> lines) {
        Node document = Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS).build()
                .parse(String.join("\n", lines));
        Structure structure = new Structure();
        document.accept(structure);
        return structure;
    }

    /** The 1-based numbers of the lines that match {@code pattern} but are not among {@code rendered}. */
    private static TreeSet<Integer> missing(List<String> lines, Pattern pattern, Set<Integer> rendered) {
        TreeSet<Integer> numbers = new TreeSet<>();
        for (int i = 0; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i)).matches() && !rendered.contains(i + 1)) {
                numbers.add(i + 1);
            }
        }
        return numbers;
    }

    /** Lines that look like a fence but are text inside a code block (a closing fence with text after it is not one). */
    private static TreeSet<Integer> swallowedFences(List<String> lines) {
        return missing(lines, FENCE, render(lines).fenceLines);
    }

    /** Lines written as section headings but rendered as something else, such as text in a code block. */
    private static TreeSet<Integer> swallowedHeadings(List<String> lines) {
        return missing(lines, HEADING, render(lines).headingLines);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"README.md", "handlers/README.md"})
    void everyFenceLineOpensOrClosesACodeBlock(String file) throws Exception {
        List<String> lines = linesOf(file);

        assertThat(render(lines).unclosed).as("code blocks that run to the end of %s", file).isEmpty();
        assertThat(swallowedFences(lines)).as("fence lines of %s that are text inside a code block", file).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"README.md", "handlers/README.md"})
    void everySectionHeadingIsRenderedAsAHeading(String file) throws Exception {
        assertThat(swallowedHeadings(linesOf(file))).as("headings of %s that are not rendered as one", file).isEmpty();
    }

    @Test
    void findsTheSectionsAClosingFenceWithTextAfterItSwallows() {
        List<String> broken = List.of(
                "```yaml",
                "rules: {}",
                "``` By default a mismatch answers 200.",
                "",
                "## Chains",
                "",
                "```yaml",
                "processors: []",
                "```");

        assertThat(swallowedFences(broken)).containsExactly(3, 7);
        assertThat(swallowedHeadings(broken)).containsExactly(5);
        assertThat(render(List.of("```sh", "echo")).unclosed).hasSize(1);
    }
}
