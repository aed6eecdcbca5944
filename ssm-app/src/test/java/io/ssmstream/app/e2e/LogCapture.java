package io.ssmstream.app.e2e;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything logged at INFO and above while open, as text: a production log level, so that a test can check what
 * a deployed job would write to its logs. The console keeps its test level (WARN), so the build output stays quiet.
 */
final class LogCapture implements AutoCloseable {
    private static final String NAME = "log-capture";

    private final StringWriter text = new StringWriter();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final LoggerConfig root;
    private final Level previousLevel;
    private final Appender appender;

    LogCapture() {
        Configuration config = context.getConfiguration();
        root = config.getRootLogger();
        previousLevel = root.getLevel();
        appender = WriterAppender.newBuilder().setName(NAME).setTarget(text)
                .setLayout(PatternLayout.newBuilder().withPattern("%c %p %m%n%throwable").build()).build();
        appender.start();
        root.getAppenders().values().forEach(console -> {
            root.removeAppender(console.getName());
            root.addAppender(console, previousLevel, null);
        });
        root.addAppender(appender, Level.INFO, null);
        root.setLevel(Level.INFO);
        context.updateLoggers();
    }

    /** What was logged so far. */
    String text() {
        synchronized (text) {
            return text.toString();
        }
    }

    @Override
    public void close() {
        root.removeAppender(NAME);
        root.setLevel(previousLevel);
        context.updateLoggers();
        appender.stop();
    }
}
