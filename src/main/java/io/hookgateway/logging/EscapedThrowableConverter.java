package io.hookgateway.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * {@code %escapedException} in a logback pattern: the stack trace as logback's {@code %ex} writes it, one line per
 * frame, but with each exception's class name and message, and each frame, escaped ({@link LogText}). An exception
 * message often quotes its input (a parser's "unexpected character"), so a request could otherwise add lines of its
 * own after a logged failure. The line breaks between frames are logback's and stay.
 *
 * <p>Being a throwable converter, it also keeps logback from appending a plain {@code %ex} to the pattern.
 */
public final class EscapedThrowableConverter extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy throwable) {
        return super.throwableProxyToString(new Escaped(throwable));
    }

    /** A view of a throwable whose texts are escaped; causes and suppressed throwables are wrapped as they are read. */
    private static final class Escaped implements IThrowableProxy {
        private final IThrowableProxy inner;

        Escaped(IThrowableProxy inner) {
            this.inner = inner;
        }

        private static IThrowableProxy wrap(IThrowableProxy throwable) {
            return throwable == null ? null : new Escaped(throwable);
        }

        @Override
        public String getMessage() {
            return LogText.escape(inner.getMessage());
        }

        @Override
        public String getOverridingMessage() {
            return LogText.escape(inner.getOverridingMessage());
        }

        @Override
        public String getClassName() {
            return LogText.escape(inner.getClassName());
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            StackTraceElementProxy[] frames = inner.getStackTraceElementProxyArray();
            StackTraceElementProxy[] escaped = null;
            for (int i = 0; i < frames.length; i++) {
                StackTraceElementProxy frame = escapedFrame(frames[i]);
                if (frame != frames[i]) {
                    if (escaped == null) {
                        escaped = frames.clone();
                    }
                    escaped[i] = frame;
                }
            }
            return escaped == null ? frames : escaped;
        }

        /**
         * The frame itself when its text is safe, as every frame of code loaded from a jar is; else a copy with each
         * name escaped (a class or method made at run time can be named anything).
         */
        private static StackTraceElementProxy escapedFrame(StackTraceElementProxy frame) {
            if (LogText.firstUnsafe(frame.getSTEAsString()) < 0) {
                return frame;
            }
            StackTraceElement e = frame.getStackTraceElement();
            StackTraceElementProxy copy = new StackTraceElementProxy(new StackTraceElement(
                    LogText.escape(e.getClassLoaderName()), LogText.escape(e.getModuleName()),
                    LogText.escape(e.getModuleVersion()), LogText.escape(e.getClassName()),
                    LogText.escape(e.getMethodName()), LogText.escape(e.getFileName()), e.getLineNumber()));
            copy.setClassPackagingData(frame.getClassPackagingData());
            return copy;
        }

        @Override
        public int getCommonFrames() {
            return inner.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return wrap(inner.getCause());
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = inner.getSuppressed();
            if (suppressed == null) {
                return null;
            }
            IThrowableProxy[] escaped = new IThrowableProxy[suppressed.length];
            for (int i = 0; i < suppressed.length; i++) {
                escaped[i] = wrap(suppressed[i]);
            }
            return escaped;
        }

        @Override
        public boolean isCyclic() {
            return inner.isCyclic();
        }
    }
}
