package org.operon.model;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of the flapping and storm rules: one fact in the session, from configuration
 * ({@code operon.flapping.*}, {@code operon.storm.*}). Without one, the rules use {@link #defaults()}.
 * Immutable.
 *
 * <ul>
 *   <li>{@code flappingChanges} state changes of one alert within {@code flappingWindow} mark it
 *       flapping (default 4 within 10 min); it stops flapping after a quiet {@code flappingWindow};</li>
 *   <li>more than {@code stormThreshold} alerts of one service starting to fire within
 *       {@code stormWindow} is a storm (default 20 within 2 min); it ends after a quiet
 *       {@code stormWindow}.</li>
 * </ul>
 */
public final class AlertLimits {
    private final int flappingChanges;
    private final Duration flappingWindow;
    private final int stormThreshold;
    private final Duration stormWindow;

    public AlertLimits(int flappingChanges, Duration flappingWindow, int stormThreshold, Duration stormWindow) {
        if (flappingChanges < 2) throw new IllegalArgumentException("flapping needs at least 2 changes, not " + flappingChanges);
        if (stormThreshold < 1) throw new IllegalArgumentException("the storm threshold must be at least 1, not " + stormThreshold);
        this.flappingChanges = flappingChanges;
        this.flappingWindow = positive(flappingWindow, "flapping window");
        this.stormThreshold = stormThreshold;
        this.stormWindow = positive(stormWindow, "storm window");
    }

    public static AlertLimits defaults() {
        return new AlertLimits(4, Duration.ofMinutes(10), 20, Duration.ofMinutes(2));
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive, not " + d);
        return d;
    }

    public int getFlappingChanges() { return flappingChanges; }
    public Duration getFlappingWindow() { return flappingWindow; }
    public long getFlappingWindowMillis() { return flappingWindow.toMillis(); }
    public int getStormThreshold() { return stormThreshold; }
    public Duration getStormWindow() { return stormWindow; }
    public long getStormWindowMillis() { return stormWindow.toMillis(); }

    @Override
    public String toString() {
        return "AlertLimits{flapping=" + flappingChanges + " within " + flappingWindow + ", storm>" + stormThreshold
                + " within " + stormWindow + "}";
    }
}
