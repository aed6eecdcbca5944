package io.ssmstream.app.job;

import io.ssmstream.connectors.audio.AudioChunk;
import io.ssmstream.connectors.audio.AudioScoreRecord;
import io.ssmstream.connectors.audio.ParsedAudioChunk;
import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.kernels.audio.AudioFeatures;
import io.ssmstream.operators.ModelArtifact;
import io.ssmstream.operators.SsmForecastFunction;
import io.ssmstream.operators.audio.AudioChunkRouter;
import io.ssmstream.operators.audio.AudioScoreFunction;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The audio job's topology, independent of where records come from and go to:
 * <pre>
 *   audio chunks (decoded, timestamped) -> chunk router -> keyBy(stream) -> audio scorer -> per-interval scores
 *                                              \-> dead letters
 * </pre>
 * Operator uids are constants (savepoints map state to them).
 */
public final class AudioJob {
    public static final String SOURCE_UID = "audio-source";
    public static final String ROUTER_UID = "audio-chunk-router";
    public static final String SCORER_UID = "audio-scorer";
    public static final String SCORE_SINK_UID = "audio-score-sink";
    public static final String DEAD_LETTER_SINK_UID = "audio-dead-letter-sink";

    private AudioJob() {
    }

    /** Event time = the chunk's start; dead letters never move the watermark. */
    public static WatermarkStrategy<ParsedAudioChunk> watermarks(JobSettings settings) {
        return WatermarkStrategy.<ParsedAudioChunk>forBoundedOutOfOrderness(settings.outOfOrderness())
                .withTimestampAssigner((r, kafkaTs) -> r.chunk != null ? r.chunk.startMillis() : Long.MIN_VALUE)
                .withIdleness(settings.idlePartitionTimeout());
    }

    /**
     * Wires the job onto {@code input} (records already timestamped, see {@link #watermarks}); the front-end
     * settings come from the model's metadata.
     *
     * @param interval the reporting interval of the output, e.g. 1 s
     */
    public static void build(DataStream<ParsedAudioChunk> input, Sink<AudioScoreRecord> scores,
                             Sink<DeadLetter> deadLetters, ModelArtifact model, Duration interval,
                             JobSettings settings) {
        AudioFeatures features = AudioFeatures.fromMetadata(model.load().metadata(), model.source());
        SingleOutputStreamOperator<AudioChunk> chunks = input
                .process(new AudioChunkRouter()).uid(ROUTER_UID).name("decode and dead-letter");
        SingleOutputStreamOperator<AudioScoreRecord> scored = chunks
                .keyBy(c -> c.stream)
                .process(new AudioScoreFunction(model, features, interval, settings.idleTtl()))
                .uid(SCORER_UID).name("audio scores " + model.version());
        scored.sinkTo(scores).uid(SCORE_SINK_UID).name("audio scores");
        chunks.getSideOutput(SsmForecastFunction.DEAD_LETTERS)
                .sinkTo(deadLetters).uid(DEAD_LETTER_SINK_UID).name("dead letters");
    }
}
