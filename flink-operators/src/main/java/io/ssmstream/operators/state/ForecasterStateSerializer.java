package io.ssmstream.operators.state;

import io.ssmstream.kernels.state.ForecasterStateCodec;
import io.ssmstream.kernels.stream.ForecasterState;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of a stream's {@link ForecasterState}. It only frames the bytes: the layout is the versioned
 * {@link ForecasterStateCodec} from ssm-kernels, which reads every older version, so state in old savepoints
 * stays readable after upgrades without Kryo or Java serialization.
 */
public final class ForecasterStateSerializer extends SingletonSerializer<ForecasterState> {
    private static final long serialVersionUID = 1L;
    public static final ForecasterStateSerializer INSTANCE = new ForecasterStateSerializer();

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
        ForecasterStateCodec.write(record, target);
    }

    @Override
    public ForecasterState deserialize(DataInputView source) throws IOException {
        return ForecasterStateCodec.read(source);
    }

    @Override
    public TypeSerializerSnapshot<ForecasterState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Bytes carry their own version (the codec's), so the serializer itself has a single configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ForecasterState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
