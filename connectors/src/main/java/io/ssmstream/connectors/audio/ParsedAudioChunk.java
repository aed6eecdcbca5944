package io.ssmstream.connectors.audio;

import io.ssmstream.connectors.event.DeadLetter;

/** An audio record after decoding: a chunk or a dead letter, never an exception. A Flink POJO; one field is set. */
public class ParsedAudioChunk {
    public AudioChunk chunk;
    public DeadLetter deadLetter;

    public ParsedAudioChunk() {
    }

    public static ParsedAudioChunk of(AudioChunk chunk) {
        ParsedAudioChunk r = new ParsedAudioChunk();
        r.chunk = chunk;
        return r;
    }

    public static ParsedAudioChunk of(DeadLetter deadLetter) {
        ParsedAudioChunk r = new ParsedAudioChunk();
        r.deadLetter = deadLetter;
        return r;
    }
}
