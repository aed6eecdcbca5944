package io.ssmstream.operators.state;

import io.ssmstream.kernels.audio.AudioFrontEndState;
import io.ssmstream.kernels.state.AudioFrontEndStateCodec;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of an audio stream's {@link AudioFrontEndState} (the partial frame between chunks). It only
 * frames the bytes: the layout is the versioned {@link AudioFrontEndStateCodec} from ssm-kernels, which reads
 * every older version, so state in old savepoints stays readable without Kryo or Java serialization.
 */
public final class AudioFrontEndStateSerializer extends SingletonSerializer<AudioFrontEndState> {
    private static final long serialVersionUID = 1L;
    public static final AudioFrontEndStateSerializer INSTANCE = new AudioFrontEndStateSerializer();

    @Override
    public AudioFrontEndState createInstance() {
        return null;
    }

    @Override
    public AudioFrontEndState copy(AudioFrontEndState from) {
        return from.copy();
    }

    @Override
    public void serialize(AudioFrontEndState record, DataOutputView target) throws IOException {
        AudioFrontEndStateCodec.write(record, target);
    }

    @Override
    public AudioFrontEndState deserialize(DataInputView source) throws IOException {
        return AudioFrontEndStateCodec.read(source);
    }

    @Override
    public TypeSerializerSnapshot<AudioFrontEndState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Bytes carry their own version (the codec's), so the serializer itself has a single configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<AudioFrontEndState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
