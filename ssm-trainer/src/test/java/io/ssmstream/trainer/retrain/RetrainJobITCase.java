package io.ssmstream.trainer.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.trainer.EventSeries;
import io.ssmstream.trainer.store.ModelStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retraining as a Flink batch job on a MiniCluster. A MiniCluster's TaskManagers offer no external resources
 * (it passes Flink's NO_EXTERNAL_RESOURCES), so here the task trains on the CPU; the choice of the GPU from the
 * resources a real TaskManager offers is checked on its own.
 */
class RetrainJobITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    @TempDir
    Path dir;

    private static List<String> collect(String... args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        List<String> lines = new ArrayList<>();
        try (CloseableIterator<String> it = RetrainJob.build(env, args).executeAndCollect("retrain-it")) {
            it.forEachRemaining(lines::add);
        }
        return lines;
    }

    private Path csv() throws Exception {
        EventSeries s = RetrainLoopTest.sine("s", 300, 1);
        StringBuilder b = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < s.size(); i++) {
            b.append(s.micros()[i] / 1000).append(',').append(s.values()[i]).append('\n');
        }
        return Files.writeString(dir.resolve("s.csv"), b);
    }

    @Test
    void theJobsTaskRunsARetrainRoundAndEmitsTheStoredVersion() throws Exception {
        Path store = dir.resolve("store");
        List<String> lines = collect("--input", csv().toString(), "--store", store.toString(), "--model-name", "flink",
                "--d-model", "8", "--d-state", "4", "--epochs", "2", "--window", "64", "--batch-size", "8");

        assertEquals(1, lines.size(), lines.toString());
        String[] f = lines.get(0).split(" ");
        assertEquals("flink", f[0]);
        Path file = Path.of(URI.create(f[2]));
        assertEquals(store.resolve("flink").resolve(f[1] + ".safetensors"), file);
        assertEquals("sha256=" + ModelStore.sha256(Files.readAllBytes(file)), f[3]);
    }

    @Test
    void aFailedRoundFailsTheJobWithTheRoundsErrorLine() throws Exception {
        Exception e = assertThrows(Exception.class, () -> collect("--input", dir.resolve("missing.csv").toString(),
                "--store", dir.resolve("store").toString()));
        Optional<IllegalStateException> cause = ExceptionUtils.findThrowable(e, IllegalStateException.class);
        assertTrue(cause.isPresent(), ExceptionUtils.stringifyException(e));
        assertTrue(cause.get().getMessage().startsWith("retrain round failed (exit code 2): ssm-stream: error: ")
                && cause.get().getMessage().contains("missing.csv: no such file"), cause.get().getMessage());
    }

    private record Gpu(String index) implements ExternalResourceInfo {
        @Override
        public Optional<String> getProperty(String key) {
            return Optional.ofNullable(Map.of("index", index).get(key));
        }

        @Override
        public java.util.Collection<String> getKeys() {
            return Set.of("index");
        }
    }

    @Test
    void theTaskTrainsOnTheLowestIndexedGpuItsTaskManagerOffers() {
        assertNull(RetrainJob.device(Set.of()));
        assertEquals("gpu:0", RetrainJob.device(Set.of(new Gpu("0"))));
        assertEquals("gpu:2", RetrainJob.device(Set.of(new Gpu("3"), new Gpu("2"), new Gpu("10"))));
    }
}
