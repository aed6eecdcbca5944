package io.ssmstream.connectors.audio;

/**
 * One chunk of one audio stream, decoded from the audio topic: mono float samples with the time of the first
 * sample. A Flink POJO (public fields, no-arg constructor), so Flink serializes it without Kryo.
 */
public class AudioChunk {
    /** The stream id (the record key). The Flink key. */
    public String stream;
    /** Time of the chunk's first sample, epoch µs. */
    public long startMicros;
    public int sampleRate;
    /** Channels in the record before the mix-down to mono. */
    public int channels;
    /** Mono samples in [-1, 1] (float32 input may exceed it), (frames). */
    public float[] samples;
    /** Where the record came from. */
    public String topic;
    public int partition;
    public long offset;

    public AudioChunk() {
    }

    public AudioChunk(String stream, long startMicros, int sampleRate, int channels, float[] samples) {
        this.stream = stream;
        this.startMicros = startMicros;
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.samples = samples;
        this.topic = "";
        this.partition = -1;
        this.offset = -1;
    }

    /** Chunk start in epoch ms, the Flink event time. */
    public long startMillis() {
        return Math.floorDiv(startMicros, 1000);
    }

    @Override
    public String toString() {
        return "AudioChunk{" + stream + " @" + startMicros + "us, " + samples.length + " samples at " + sampleRate
                + " Hz}";
    }
}
