package io.ssmstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SsmStreamCliTest {
    @Test
    void versionComesFromTheBuild() {
        CliRun run = CliRun.main("--version");
        assertEquals(0, run.exitCode(), run::toString);
        String first = run.outLines().get(0);
        assertTrue(first.matches("ssm-stream \\d+\\.\\d+\\.\\d+.*"), first);
        assertFalse(first.contains("${"), first);
    }

    @Test
    void helpListsTheSubcommands() {
        CliRun run = CliRun.main("--help");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("replay") && run.out().contains("init"), run::toString);
    }

    @Test
    void subcommandHelpListsItsOptions() {
        CliRun run = CliRun.main("replay", "--help");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("--skip-bad") && run.out().contains("--output"), run::toString);
    }

    @Test
    void missingSubcommandIsOneLineWithExitTwo() {
        for (CliRun run : new CliRun[] {CliRun.main(), CliRun.plain()}) {
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals(1, run.errLines().size(), run::toString);
            assertTrue(run.err().startsWith("ssm-stream: error: missing command"), run::toString);
        }
    }

    @Test
    void unknownOptionIsOneLineWithExitTwo() {
        CliRun run = CliRun.main("replay", "--modle", "m.safetensors", "--input", "in.csv");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("ssm-stream: error: ") && run.err().contains("'--modle'")
                && run.err().contains("ssm-stream replay --help"), run::toString);
        assertEquals("", run.out());
    }

    @Test
    void misspelledOptionGetsASuggestion() {
        CliRun run = CliRun.main("replay", "--model", "m.safetensors", "--input", "in.csv", "--skip-bda");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("'--skip-bda'") && run.err().contains("--skip-bad"), run::toString);
    }

    @Test
    void unknownSubcommandIsOneLineWithExitTwo() {
        CliRun run = CliRun.main("train");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("train"), run::toString);
    }
}
