package io.crvecdb;

import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A filter that lists its candidates as a collection naming one id more than once (a list built
 * from a query's rows, say): the scan scored that record once per mention, and the copies took the
 * places of other passing records, so a search returned fewer than k hits while k passed.
 */
class ListedCandidatesTest {

    @Test
    void anIdListedTwiceTakesOnePlace() {
        try (VectorIndex index = VectorIndex.builder().dimensions(2).metric(Metric.L2).build()) {
            for (int i = 0; i < 20; i++) {
                index.add("r" + i, new float[]{i, 0});
            }
            Set<String> passing = Set.of("r0", "r1", "r2");
            SearchFilter filter = new SearchFilter() {
                @Override
                public boolean accept(String id) {
                    return passing.contains(id);
                }

                @Override
                public Collection<String> candidates() {
                    return List.of("r0", "r0", "r1", "r0", "r2");
                }
            };

            List<SearchHit> hits = index.search(new float[]{0, 0}, 3, 3, filter);

            assertThat(hits).extracting(SearchHit::id).containsExactly("r0", "r1", "r2");
        }
    }
}
