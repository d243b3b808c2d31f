package io.crvecdb.boot.autoconfigure;

/**
 * A {@code crvecdb.*} property that cannot work; {@link CrvecdbFailureAnalyzer} turns it into a
 * start-up report naming the property and the fix.
 */
public class CrvecdbConfigurationException extends RuntimeException {

    private final String property;

    private final String action;

    /**
     * @param property the property to change, e.g. {@code crvecdb.metric}
     * @param problem what is wrong with its value
     * @param action what to do instead
     */
    public CrvecdbConfigurationException(String property, String problem, String action, Throwable cause) {
        super(property + ": " + problem, cause);
        this.property = property;
        this.action = action;
    }

    public String getProperty() {
        return this.property;
    }

    public String getAction() {
        return this.action;
    }
}
