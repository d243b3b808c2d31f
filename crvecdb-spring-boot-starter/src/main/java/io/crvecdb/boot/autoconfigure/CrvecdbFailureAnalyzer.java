package io.crvecdb.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports an unusable {@code crvecdb.*} property as Boot's start-up failure report, without a stack-trace hunt. */
class CrvecdbFailureAnalyzer extends AbstractFailureAnalyzer<CrvecdbConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CrvecdbConfigurationException cause) {
        return new FailureAnalysis("Invalid crvecdb configuration: " + cause.getMessage(), cause.getAction(), cause);
    }
}
