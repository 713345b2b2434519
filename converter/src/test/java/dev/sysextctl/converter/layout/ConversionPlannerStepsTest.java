package dev.sysextctl.converter.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The planner runs each step once, in the documented order. */
class ConversionPlannerStepsTest {
    @Test
    void stepsRunInTheDocumentedOrder() {
        List<Class<?>> order = ConversionPlanner.STEPS.stream().<Class<?>>map(Object::getClass).toList();
        assertThat(order).containsExactly(RejectedEntriesStep.class, ReadManifestStep.class,
                RelocateEntriesStep.class, ManifestPlacementStep.class, RetargetLinksStep.class, HardlinksStep.class,
                RewriteContentsStep.class, UpholdsDropInsStep.class, ParentDirectoriesStep.class,
                PlacementWarningsStep.class);
    }
}
