package io.ssmstream.operators.state;

import io.ssmstream.kernels.state.CodecBuffer;
import io.ssmstream.kernels.state.ForecasterStateCodec;
import io.ssmstream.kernels.stream.ForecasterState;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of a stream's {@link ForecasterState}. It only frames the bytes: the layout is the versioned
 * {@link ForecasterStateCodec} from ssm-kernels, which reads every older version, so state in old savepoints
 * stays readable after upgrades without Kryo or Java serialization.
 *
 * <p>Stateful: each instance encodes through a {@link CodecBuffer} of its own, so that a checkpoint writes each
 * stream's state in one piece without allocating. Flink calls {@link #duplicate()} for each thread that
 * serializes (a checkpoint's asynchronous part gets its own), and every state descriptor gets a new instance.
 * Instances differ only in their buffers, so all are equal.
 */
public final class ForecasterStateSerializer extends StateValueSerializer<ForecasterState> {
    private static final long serialVersionUID = 1L;

    /** Made on first use: a serializer travels to the task managers in the job graph, its buffer need not. */
    private transient CodecBuffer buffer;

    /** A new instance, with a buffer of its own. */
    @Override
    public TypeSerializer<ForecasterState> duplicate() {
        return new ForecasterStateSerializer();
    }

    @Override
    public ForecasterState createInstance() {
        return null;
    }

    @Override
    public ForecasterState copy(ForecasterState from) {
        return from.copy();
    }

    @Override
    public void serialize(ForecasterState record, DataOutputView target) throws IOException {
        ForecasterStateCodec.write(record, target, buffer());
    }

    @Override
    public ForecasterState deserialize(DataInputView source) throws IOException {
        return ForecasterStateCodec.read(source, buffer());
    }

    private CodecBuffer buffer() {
        if (buffer == null) {
            buffer = new CodecBuffer();
        }
        return buffer;
    }

    @Override
    public TypeSerializerSnapshot<ForecasterState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Bytes carry their own version (the codec's), so the serializer itself has a single configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ForecasterState> {
        public Snapshot() {
            super(ForecasterStateSerializer::new);
        }
    }
}
