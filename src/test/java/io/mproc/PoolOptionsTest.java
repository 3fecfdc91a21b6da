package io.mproc;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Options are checked where they are set, with a message that names the bad value. */
class PoolOptionsTest {

    @Test
    void aTaskTimeoutIsZeroByDefaultAndNeverNegative() {
        assertThat(PoolOptions.processes(2).taskTimeout()).isEqualTo(Duration.ZERO);
        assertThat(PoolOptions.processes(2).taskTimeout(Duration.ofSeconds(3)).taskTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> PoolOptions.processes(2).taskTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taskTimeout").hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> PoolOptions.processes(2).taskTimeout(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PoolOptions.processes(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("processes");
    }
}
