package org.operon.state;

/** Durable engine checkpoints, by name (one per session; later one per partition). */
public interface CheckpointStore {
    void save(String name, Checkpoint checkpoint);

    /** The saved checkpoint, or {@link Checkpoint#START} if none was saved. */
    Checkpoint load(String name);
}
