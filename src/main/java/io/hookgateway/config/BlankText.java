package io.hookgateway.config;

/**
 * Whether a text shows nothing: a secret of one no-break space or one zero-width space passed
 * {@link String#isBlank()}, which knows only the white space of {@link Character#isWhitespace}, and a guard compared
 * with it looked set in {@code --check} while nobody could see or type the key.
 *
 * <p>A text is blank when every code point in it is
 * <ul>
 *   <li>white space or a space separator (Unicode White_Space: ASCII space, TAB, NBSP U+00A0, U+2007, U+202F, the
 *       line and paragraph separators, U+3000, ...);</li>
 *   <li>a control character (Cc: NUL, NEL U+0085, ...);</li>
 *   <li>a format character (Cf: the zero-width space, joiners and word joiner U+200B–U+200D and U+2060, the soft
 *       hyphen, U+FEFF, the bidi marks and controls, the tag characters, ...);</li>
 *   <li>one of the other code points Unicode lists as Default_Ignorable_Code_Point, which a renderer shows as nothing
 *       (the Hangul fillers, the variation selectors, U+034F, U+17B4–U+17B5, U+180B–U+180F, and the ranges kept
 *       unassigned for more of them), or the blank Braille pattern U+2800, which shows as a space.</li>
 * </ul>
 */
public final class BlankText {

    private BlankText() {
    }

    /** Whether {@code text} is empty or made only of code points that show nothing. */
    public static boolean isBlank(CharSequence text) {
        return text.codePoints().allMatch(BlankText::showsNothing);
    }

    /** Whether a code point shows nothing where it stands. */
    static boolean showsNothing(int codePoint) {
        if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) {
            return true;
        }
        int type = Character.getType(codePoint);
        if (type == Character.CONTROL || type == Character.FORMAT) {
            return true;
        }
        // Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt) beyond Cf, and U+2800.
        return codePoint == 0x034F || codePoint == 0x115F || codePoint == 0x1160 || codePoint == 0x17B4
                || codePoint == 0x17B5 || codePoint >= 0x180B && codePoint <= 0x180F || codePoint == 0x2065
                || codePoint == 0x2800 || codePoint == 0x3164 || codePoint >= 0xFE00 && codePoint <= 0xFE0F
                || codePoint == 0xFFA0 || codePoint >= 0xFFF0 && codePoint <= 0xFFF8
                || codePoint >= 0xE0000 && codePoint <= 0xE0FFF;
    }
}
