package io.ssmstream.operators.state;

import org.apache.flink.api.common.typeutils.TypeSerializer;

/** A {@link StateValueSerializer} without state of its own: one instance serves every thread. */
abstract class SingletonSerializer<T> extends StateValueSerializer<T> {
    private static final long serialVersionUID = 1L;

    /** Stateless, so one instance is safe on every thread. */
    @Override
    public final TypeSerializer<T> duplicate() {
        return this;
    }
}
