package org.operon.state;

import org.infinispan.Cache;
import org.infinispan.context.Flag;

import java.util.Objects;

/** Engine checkpoints in an Infinispan cache: key the checkpoint's name, value the checkpoint as JSON. */
final class InfinispanCheckpointStore implements CheckpointStore {
    private final Cache<String, String> cache;
    private final JsonCodec json;

    InfinispanCheckpointStore(Cache<String, String> cache, JsonCodec json) {
        this.cache = cache;
        this.json = json;
    }

    /** Stores the checkpoint, replacing the previous one of that name; durable when this returns. */
    @Override
    public void save(String name, Checkpoint checkpoint) {
        Objects.requireNonNull(name, "a checkpoint needs a name");
        cache.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES).put(name, json.write(checkpoint));
    }

    @Override
    public Checkpoint load(String name) {
        String value = cache.get(name);
        return value == null ? Checkpoint.START : json.read(value, Checkpoint.class);
    }
}
