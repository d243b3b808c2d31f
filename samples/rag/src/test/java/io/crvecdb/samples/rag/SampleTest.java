package io.crvecdb.samples.rag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The application on a random port with a {@value #CORPUS_LIMIT}-document subset of the corpus
 * (evenly spaced, every part of speech), so that tests start in seconds, and a new store under
 * {@code target/test-data}; test classes with only this annotation share one application.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "sample.corpus.limit=" + SampleTest.CORPUS_LIMIT, "crvecdb.storage.path=target/test-data/${random.uuid}" })
@interface SampleTest {

    int CORPUS_LIMIT = 300;
}
