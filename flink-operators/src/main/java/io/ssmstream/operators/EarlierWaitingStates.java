package io.ssmstream.operators;

import io.ssmstream.operators.state.PendingEventsSerializer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;

/**
 * The keyed states in which earlier versions of the job kept each stream's events waiting for the watermark;
 * a job restored from one of their savepoints moves those events into {@link WaitingStreams} when it opens.
 */
final class EarlierWaitingStates {
    /** The buffer as a Flink POJO, the job's first versions. */
    static final String POJO_STATE = "pending-events-v2";
    /** The buffer with {@link PendingEventsSerializer}, read back and written again for every arriving event. */
    static final String SERIALIZED_STATE = "pending-events-v3";

    private EarlierWaitingStates() {
    }

    /**
     * Moves every stream's events out of the earlier states into {@code function} (an event with the time of one
     * already moved is dropped: the POJO state's, older, comes first) and clears them.
     */
    static void moveInto(KeyedStateBackend<String> backend, SsmForecastFunction function) throws Exception {
        move(backend, new ValueStateDescriptor<>(POJO_STATE, TypeInformation.of(PendingEvents.class)), function);
        move(backend, new ValueStateDescriptor<>(SERIALIZED_STATE, PendingEventsSerializer.INSTANCE), function);
    }

    private static void move(KeyedStateBackend<String> backend, ValueStateDescriptor<PendingEvents> descriptor,
                             SsmForecastFunction function) throws Exception {
        Map<String, PendingEvents> found = new LinkedHashMap<>();
        backend.applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor,
                (stream, state) -> found.put(stream, state.value()));
        ValueState<PendingEvents> state =
                backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
        for (Map.Entry<String, PendingEvents> stream : found.entrySet()) {
            backend.setCurrentKey(stream.getKey());
            state.clear();
            function.adoptEarlierVersionsWaiting(stream.getKey(), stream.getValue());
        }
    }
}
