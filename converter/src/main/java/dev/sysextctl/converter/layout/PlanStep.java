package dev.sysextctl.converter.layout;

import dev.sysextctl.core.error.SysextctlException;
import java.io.IOException;

/**
 * One pass of the conversion over the shared {@link PlanDraft}. Each step is its own class, runs once, and can be
 * run alone on a draft prepared by hand (its unit test does); {@link ConversionPlanner#STEPS} is the order.
 */
interface PlanStep {
    void apply(PlanDraft draft) throws IOException, SysextctlException;
}
