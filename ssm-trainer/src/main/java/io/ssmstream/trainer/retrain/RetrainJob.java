package io.ssmstream.trainer.retrain;

import io.ssmstream.trainer.TrainerCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

/**
 * Retraining as a Flink batch job, so that it runs on the Flink cluster and gets its GPU from Flink's external
 * resource framework: {@code flink run -c io.ssmstream.trainer.retrain.RetrainJob ssm-trainer.jar <retrain
 * options>}. The job has one task, which runs one {@code ssm-stream retrain} round (the options are retrain's,
 * without {@code --every}: the schedule is the submitter's, e.g. a cron job running {@code flink run}) and emits
 * one line per stored model version. When the TaskManager offers external resources named {@value #GPU_RESOURCE}
 * (Flink's GPU driver sets an {@code index} property per GPU), the task trains on the first of them
 * ({@code --device gpu:<index>}); otherwise on the options' {@code --device} (default auto).
 */
public final class RetrainJob {
    /** The external resource name the job looks for ({@code external-resources: gpu}). */
    public static final String GPU_RESOURCE = "gpu";

    private RetrainJob() {
    }

    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, args).print();
        env.execute("ssm-stream retrain");
    }

    /** The job's graph on {@code env} (batch mode, one task); the stream holds the stored versions' lines. */
    public static DataStream<String> build(StreamExecutionEnvironment env, String[] retrainArgs) {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        return env.fromData(1).flatMap(new RetrainTask(retrainArgs)).returns(Types.STRING).setParallelism(1)
                .name("retrain").uid("retrain");
    }

    /**
     * The device for the first GPU that the TaskManager gave this task, as {@code gpu:<index>}; null when it gave
     * none.
     */
    static String device(Set<ExternalResourceInfo> gpus) {
        return gpus.stream().map(g -> g.getProperty("index").orElse(null)).filter(i -> i != null && i.matches("[0-9]+"))
                .min(Comparator.comparingInt(Integer::parseInt)).map(i -> "gpu:" + i).orElse(null);
    }

    /** Runs one retraining round; its result lines are the task's output. */
    static final class RetrainTask extends RichFlatMapFunction<Integer, String> {
        private static final long serialVersionUID = 1L;
        private final String[] retrainArgs;

        RetrainTask(String[] retrainArgs) {
            this.retrainArgs = retrainArgs.clone();
        }

        @Override
        public void flatMap(Integer ignored, Collector<String> out) {
            String gpu = device(getRuntimeContext().getExternalResourceInfos(GPU_RESOURCE));
            List<String> args = new ArrayList<>();
            args.add("retrain");
            for (int i = 0; i < retrainArgs.length; i++) {
                String a = retrainArgs[i];
                if (gpu != null && a.equals("--device")) {
                    i++; // the TaskManager's GPU replaces the requested device
                } else if (gpu == null || !a.startsWith("--device=")) {
                    args.add(a);
                }
            }
            args.add("--flink-task");
            if (gpu != null) {
                args.add("--device");
                args.add(gpu);
            }
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            int code = TrainerCli.run(args.toArray(new String[0]), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                    new PrintStream(stderr, true, StandardCharsets.UTF_8));
            String log = stderr.toString(StandardCharsets.UTF_8);
            System.err.print(log); // the TaskManager's stderr: the round's progress lines
            if (code != TrainerCli.EXIT_OK) {
                List<String> lines = log.strip().lines().toList();
                throw new IllegalStateException("retrain round failed (exit code " + code + "): "
                        + (lines.isEmpty() ? "no message" : lines.get(lines.size() - 1)));
            }
            stdout.toString(StandardCharsets.UTF_8).lines().forEach(out::collect);
        }
    }
}
