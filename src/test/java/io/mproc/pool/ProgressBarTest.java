package io.mproc.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The progress line, from counts and time alone. */
@Timeout(10)
class ProgressBarTest {

    @Test
    void theLineShowsTheBarCountsPercentRateAndEta() {
        assertThat(ProgressBar.line("squares", 0, 10_000, 500_000_000L)).isEqualTo("squares [........................]  0/10,000  0%");
        assertThat(ProgressBar.line("squares", 4_200, 10_000, 3_360_000_000L))
                .isEqualTo("squares [##########..............]  4,200/10,000  42%  1,250/s  ETA 5s");
        assertThat(ProgressBar.line("squares", 10, 10_000, 1_000_000_000L)).endsWith("10/s  ETA 16m39s");
        assertThat(ProgressBar.line("squares", 10_000, 10_000, 2_000_000_000L)).startsWith("squares [########################]").contains("100%", "ETA 0s");
    }
}
