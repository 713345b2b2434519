"""scripts/bench, by concern: common (paths, workloads), data (generated inputs), fromjava (what the Java code
provides: the torcx fixture, the mksquashfs options of a build), reference (the reference tools' steps in shell),
timing (running and timing), startup (the runtimes of the start-up rows), workloads (the measures), report (the
table)."""
