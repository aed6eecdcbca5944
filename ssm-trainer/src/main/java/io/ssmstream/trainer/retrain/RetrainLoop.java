package io.ssmstream.trainer.retrain;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Runs retraining rounds every interval (fixed rate: a round starts {@code every} after the previous one
 * started, or at once when that one took longer). A failed round is logged and the loop goes on: the model
 * that is serving keeps serving until a later round publishes a new one.
 */
public final class RetrainLoop {
    /** One round; throws when it fails. */
    @FunctionalInterface
    public interface Round {
        /** @return a one-line summary for the log */
        String run(int round) throws Exception;
    }

    /** Waits; a test passes one that does not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** @param succeeded rounds that published, failed rounds that did not */
    public record Outcome(int succeeded, int failed) {
    }

    private RetrainLoop() {
    }

    /**
     * @param every     the interval between round starts
     * @param maxRounds stop after this many rounds (Long.MAX_VALUE: until interrupted)
     */
    public static Outcome run(Round round, Duration every, long maxRounds, Clock clock, Sleeper sleeper,
                              PrintWriter log) {
        Objects.requireNonNull(round, "round");
        if (every == null || every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("--every must be positive, got " + every);
        }
        int ok = 0;
        int failed = 0;
        for (int n = 1; n <= maxRounds; n++) {
            Instant started = clock.instant();
            try {
                String summary = round.run(n);
                ok++;
                log.printf(Locale.ROOT, "retrain round %d done in %s: %s%n", n, seconds(started, clock), summary);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                failed++;
                log.printf(Locale.ROOT, "retrain round %d failed after %s: %s; the serving model is unchanged%n", n,
                        seconds(started, clock), e.getMessage() == null ? e.toString() : e.getMessage().strip());
            }
            if (n == maxRounds) {
                break;
            }
            Instant next = started.plus(every);
            Duration wait = Duration.between(clock.instant(), next);
            log.printf(Locale.ROOT, "next retrain round at %s%n", wait.isNegative() ? clock.instant() : next);
            log.flush();
            if (!wait.isNegative() && !wait.isZero()) {
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        log.printf(Locale.ROOT, "retraining stopped: %d rounds succeeded, %d failed%n", ok, failed);
        log.flush();
        return new Outcome(ok, failed);
    }

    private static String seconds(Instant start, Clock clock) {
        return String.format(Locale.ROOT, "%.1f s", Duration.between(start, clock.instant()).toMillis() / 1000.0);
    }
}
