package io.crvecdb.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * A {@code crvecdb.*} property that cannot work; {@link CrvecdbFailureAnalyzer} turns it into a
 * start-up report naming the property and the fix.
 */
public class CrvecdbConfigurationException extends RuntimeException {

    private final String action;

    /**
     * @param property the property to change, e.g. {@code crvecdb.metric}
     * @param problem what is wrong with its value
     * @param action what to do instead
     * @param cause the failure it explains, or null
     */
    public CrvecdbConfigurationException(String property, String problem, String action, @Nullable Throwable cause) {
        super(property + ": " + problem, cause);
        this.action = action;
    }

    /** What to do instead: the failure report's action. */
    public String getAction() {
        return this.action;
    }
}
