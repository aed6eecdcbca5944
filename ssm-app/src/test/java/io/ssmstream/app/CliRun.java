package io.ssmstream.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs the command line in-process with captured stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

    /** As the brief's plain {@code new CommandLine(new SsmStreamCli())}. */
    static CliRun plain(String... args) {
        return run(new CommandLine(new SsmStreamCli()), args);
    }

    /** As {@code main} sets it up. */
    static CliRun main(String... args) {
        return run(SsmStreamCli.newCommandLine(), args);
    }

    private static CliRun run(CommandLine cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    List<String> outLines() {
        return out.lines().toList();
    }

    List<String> errLines() {
        return err.lines().toList();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
