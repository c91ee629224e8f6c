package org.operon.engine.testrules;

/** A session fact of the test rules: stands for configuration read from a file. */
public final class Seed {
    private final String name;

    public Seed(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    @Override
    public String toString() {
        return "Seed(" + name + ")";
    }
}
