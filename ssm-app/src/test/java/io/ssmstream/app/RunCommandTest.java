package io.ssmstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandTest {
    private static CliRun run(String... extra) {
        String[] base = {"run", "--bootstrap-servers", "localhost:1", "--input-topic", "in", "--output-topic", "out",
            "--dlq-topic", "dlq", "--model", "m.safetensors"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.main(args);
    }

    @Test
    void aNegativeSwapWindowIsOneLineWithExitTwo() {
        CliRun run = run("--model-updates-topic", "model-updates", "--swap-window", "-1");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("swap window must be in [0, 100000] events, got -1"), run::toString);
    }

    @Test
    void aBatchOutsideOneToThirtyTwoStreamsIsOneLineWithExitTwo() {
        CliRun run = run("--batch-streams", "33");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("batch streams must be in [1, 32], got 33"), run::toString);
    }

    @Test
    void aBlankModelNameIsOneLineWithExitTwo() {
        CliRun run = run("--model-updates-topic", "model-updates", "--model-name", " ");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("model name must not be blank"), run::toString);
    }

    @Test
    void helpListsTheModelUpdateOptions() {
        CliRun run = CliRun.main("run", "--help");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("--model-updates-topic") && run.out().contains("--model-name")
                && run.out().contains("--swap-window"), run::toString);
    }

    @Test
    void flinkConfReachesTheEnvironmentAfterTheOptions() {
        CommandLine cli = new CommandLine(new RunCommand());
        cli.parseArgs("--bootstrap-servers", "localhost:1", "--input-topic", "in", "--output-topic", "out",
                "--dlq-topic", "dlq", "--model", "m.safetensors", "--state-backend", "hashmap",
                "--flink-conf", "taskmanager.memory.managed.size=6g", "--flink-conf", "state.backend.type=rocksdb");
        RunCommand command = cli.getCommand();

        StreamExecutionEnvironment env = command.environment(command.spec());

        assertEquals(MemorySize.parse("6g"), env.getConfiguration().get(TaskManagerOptions.MANAGED_MEMORY_SIZE));
        assertEquals("rocksdb", env.getConfiguration().get(StateBackendOptions.STATE_BACKEND),
                "--flink-conf overrides --state-backend");
    }

    @Test
    void aFlinkConfWithoutValueIsOneLineWithExitTwo() {
        CliRun run = run("--flink-conf", "taskmanager.memory.managed.size");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("--flink-conf"), run::toString);
    }
}
