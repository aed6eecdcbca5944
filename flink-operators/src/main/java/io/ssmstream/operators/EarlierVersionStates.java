package io.ssmstream.operators;

import io.ssmstream.operators.state.PendingEventsSerializer;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

/**
 * Keyed states that earlier versions of the job kept and this one does not, taken over when the operator opens
 * on one of their savepoints: each stream's events waiting for the watermark (moved into {@link WaitingStreams})
 * and the processing time of its last arrival (dropped: the idle TTL now compares the SSM state's last event
 * time, see {@link SsmForecastFunction}). Only states the restored snapshot holds are touched, so a job started
 * afresh, or from a savepoint of this version, registers none of them.
 */
final class EarlierVersionStates {
    /** The waiting events as a Flink POJO, the job's first versions. */
    static final String POJO_STATE = "pending-events-v2";
    /** The waiting events with {@link PendingEventsSerializer}, read back and written again per arriving event. */
    static final String SERIALIZED_STATE = "pending-events-v3";
    /** Processing time (epoch ms) of the stream's last arrival, written at each release. */
    static final String LAST_ACTIVE_STATE = "last-active";
    /** The stream's last event time (µs) when its processing-time idle timer was set. */
    static final String IDLE_CHECK_STATE = "idle-check";

    private EarlierVersionStates() {
    }

    /**
     * Moves every stream's waiting events out of the earlier states into {@code function} (an event with the
     * time of one already moved is dropped: the POJO state's, older, comes first), drops the idle timers'
     * bookkeeping (last arrival, idle check), and clears the earlier states.
     */
    static void takeOver(KeyedStateBackend<String> backend, SsmForecastFunction function) throws Exception {
        takeEach(backend, new ValueStateDescriptor<>(POJO_STATE, TypeInformation.of(PendingEvents.class)),
                function::adoptEarlierVersionsWaiting);
        takeEach(backend, new ValueStateDescriptor<>(SERIALIZED_STATE, PendingEventsSerializer.INSTANCE),
                function::adoptEarlierVersionsWaiting);
        takeEach(backend, new ValueStateDescriptor<>(LAST_ACTIVE_STATE, Types.LONG), (stream, lastActive) -> { });
        takeEach(backend, new ValueStateDescriptor<>(IDLE_CHECK_STATE, Types.LONG), (stream, idleCheck) -> { });
    }

    /** Hands each stream's value of the restored state to {@code taker} and clears it. */
    private static <T> void takeEach(KeyedStateBackend<String> backend, ValueStateDescriptor<T> descriptor,
                                     BiConsumer<String, T> taker) throws Exception {
        List<String> streams = restoredStreams(backend, descriptor.getName());
        if (streams.isEmpty()) {
            return;
        }
        ValueState<T> state =
                backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
        for (String stream : streams) {
            backend.setCurrentKey(stream);
            T value = state.value();
            state.clear();
            taker.accept(stream, value);
        }
    }

    /** The streams with a value in the restored state {@code name}; none, registering nothing, when it is absent. */
    private static List<String> restoredStreams(KeyedStateBackend<String> backend, String name) {
        try (Stream<String> keys = backend.getKeys(name, VoidNamespace.INSTANCE)) {
            return keys.toList();
        }
    }
}
