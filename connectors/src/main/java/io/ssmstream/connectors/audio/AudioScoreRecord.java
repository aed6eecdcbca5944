package io.ssmstream.connectors.audio;

import java.util.Objects;

/**
 * One audio stream's anomaly scores over one reporting interval (default 1 s), reduced from its frames' scores
 * so that the output topic carries one record per stream per interval, not one per 10 ms frame. A Flink POJO.
 */
public class AudioScoreRecord {
    public String stream;
    /** Interval [start, end), epoch ms: the frames whose first sample falls in it. */
    public long start;
    public long end;
    /** Frames scored in the interval. */
    public int frames;
    public double meanScore;
    public double maxScore;
    /** Gaps and overlaps detected at chunks after which this interval was the stream's current one. */
    public int gaps;
    public int overlaps;
    /** Audio missing in those gaps, µs (overlaps, audio sent twice, are not counted here). */
    public long gapMicros;
    public String modelVersion;

    public AudioScoreRecord() {
    }

    public AudioScoreRecord(String stream, long start, long end, int frames, double meanScore, double maxScore,
                            int gaps, int overlaps, long gapMicros, String modelVersion) {
        this.stream = stream;
        this.start = start;
        this.end = end;
        this.frames = frames;
        this.meanScore = meanScore;
        this.maxScore = maxScore;
        this.gaps = gaps;
        this.overlaps = overlaps;
        this.gapMicros = gapMicros;
        this.modelVersion = modelVersion;
    }

    /** Whether the audio of this interval was not continuous (a gap or an overlap before it). */
    public boolean discontinuous() {
        return gaps > 0 || overlaps > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioScoreRecord r && start == r.start && end == r.end && frames == r.frames
                && meanScore == r.meanScore && maxScore == r.maxScore && gaps == r.gaps && overlaps == r.overlaps
                && gapMicros == r.gapMicros && Objects.equals(stream, r.stream)
                && Objects.equals(modelVersion, r.modelVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, start, frames, meanScore, maxScore);
    }

    @Override
    public String toString() {
        return "AudioScoreRecord{" + stream + " [" + start + ", " + end + ") frames=" + frames + " mean=" + meanScore
                + " max=" + maxScore + " gaps=" + gaps + " overlaps=" + overlaps + "}";
    }
}
