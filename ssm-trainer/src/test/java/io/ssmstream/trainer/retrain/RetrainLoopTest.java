package io.ssmstream.trainer.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.trainer.EventSeries;
import io.ssmstream.trainer.Trainer;
import io.ssmstream.trainer.TrainingDataException;
import io.ssmstream.trainer.TrainingOptions;
import io.ssmstream.trainer.store.ModelStore;
import io.ssmstream.trainer.store.StoredModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrainLoopTest {
    @TempDir
    Path dir;

    /** A clock that a fake sleeper advances. */
    private static final class FakeClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void roundsStartAtAFixedRateAndAFailedRoundIsLoggedAndTheLoopGoesOn() {
        FakeClock clock = new FakeClock();
        List<Duration> sleeps = new ArrayList<>();
        StringWriter log = new StringWriter();
        RetrainLoop.Outcome o = RetrainLoop.run(n -> {
            clock.now = clock.now.plusSeconds(n == 3 ? 7200 : 600); // round 3 overruns the interval
            if (n == 2) {
                throw new IllegalStateException("broker unreachable");
            }
            return "default v" + n;
        }, Duration.ofHours(1), 4, clock, d -> {
            sleeps.add(d);
            clock.now = clock.now.plus(d);
        }, new PrintWriter(log));

        assertEquals(new RetrainLoop.Outcome(3, 1), o);
        assertEquals(List.of(Duration.ofMinutes(50), Duration.ofMinutes(50)), sleeps,
                "an hour between starts; no wait after the overrunning round 3, none after the last");
        String text = log.toString();
        assertTrue(text.contains("retrain round 1 done in 600.0 s: default v1"), text);
        assertTrue(text.contains("retrain round 2 failed after 600.0 s: broker unreachable; the serving model is"
                + " unchanged"), text);
        assertTrue(text.contains("retrain round 4 done"), text);
        assertTrue(text.contains("retraining stopped: 3 rounds succeeded, 1 failed"), text);
    }

    static EventSeries sine(String name, int n, long seed) {
        Random r = new Random(seed);
        long[] micros = new long[n];
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            micros[i] = 1_700_000_000_000_000L + i * 1_000_000L + (i > 0 ? r.nextInt(300_000) : 0);
            values[i] = (float) (5 + Math.sin(i * 0.2) + 0.1 * r.nextGaussian());
        }
        return new EventSeries(name, List.of("value"), micros, values);
    }

    static TrainingOptions tiny(SsmModel parent) {
        TrainingOptions o = new TrainingOptions().dModel(8).dState(4).epochs(2).windowLength(64).batchSize(8)
                .device("cpu");
        return parent == null ? o : o.initFrom(parent);
    }

    @Test
    void realRoundsEveryFewHundredMillisSurviveAFailingRoundAndFineTuneTheLatestVersion() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        RetrainRound.DataSource data = new RetrainRound.DataSource() {
            @Override
            public List<EventSeries> read(Instant now, PrintWriter log) {
                if (reads.incrementAndGet() == 2) {
                    throw new TrainingDataException("input topic sensor-events: no stream with at least 2 usable events");
                }
                return List.of(sine("s1", 300, reads.get()));
            }

            @Override
            public String describe() {
                return "sine";
            }
        };
        ModelStore store = ModelStore.open(dir.toString());
        List<ModelUpdate> published = new ArrayList<>();
        RetrainRound round = new RetrainRound(data, RetrainLoopTest::tiny, new RetrainRound.InitFrom.Latest(), store,
                "default", false, published::add, Clock.systemUTC());
        List<StoredModel> stored = new ArrayList<>();
        StringWriter log = new StringWriter();
        PrintWriter w = new PrintWriter(log);
        RetrainLoop.Outcome o = RetrainLoop.run(n -> {
            List<StoredModel> s = round.run(n, null, w);
            stored.addAll(s);
            return s.get(0).version();
        }, Duration.ofMillis(200), 3, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), w);

        assertEquals(new RetrainLoop.Outcome(2, 1), o, log.toString());
        assertEquals(2, published.size());
        try (Stream<Path> files = Files.list(dir.resolve("default"))) {
            assertEquals(2, files.count());
        }
        SsmModel second = SsmModel.load(Path.of(stored.get(1).uri()));
        assertEquals(stored.get(0).version(), second.metadata().get(Trainer.PARENT_VERSION),
                "round 3 fine-tuned round 1's model, the latest stored version");
        String text = log.toString();
        assertTrue(text.contains("no stored version of model default yet: training a new model"), text);
        assertTrue(text.contains("retrain round 2 failed"), text);
        assertTrue(text.contains("retrain round 3: model default version " + stored.get(1).version() + " (parent "
                + stored.get(0).version() + ")"), text);
    }
}
