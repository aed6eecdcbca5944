package io.ssmstream.operators.audio;

import io.ssmstream.connectors.audio.AudioScoreRecord;

/**
 * The running reduction of one stream's frame scores over the current reporting interval [start, end), epoch
 * ms. A Flink POJO (keyed state).
 */
public class IntervalScores {
    public long start;
    public long end;
    public int frames;
    public double sum;
    public double max;
    public int gaps;
    public int overlaps;
    public long gapMicros;

    public IntervalScores() {
    }

    IntervalScores(long start, long end) {
        this.start = start;
        this.end = end;
    }

    void add(double score) {
        frames++;
        sum += score;
        max = Math.max(max, score);
    }

    /** Counts the discontinuity that {@code AudioFrontEnd.process} returned: positive a gap, negative an overlap. */
    void discontinuity(long micros) {
        if (micros > 0) {
            gaps++;
            gapMicros += micros;
        } else if (micros < 0) {
            overlaps++;
        }
    }

    AudioScoreRecord toRecord(String stream, String modelVersion) {
        return new AudioScoreRecord(stream, start, end, frames, frames == 0 ? 0 : sum / frames, max, gaps, overlaps,
                gapMicros, modelVersion);
    }
}
