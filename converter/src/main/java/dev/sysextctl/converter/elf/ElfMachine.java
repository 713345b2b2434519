package dev.sysextctl.converter.elf;

import java.util.Optional;

/** ELF {@code e_machine} values mapped to systemd's architecture names ({@code ARCHITECTURE=}). */
public final class ElfMachine {
    public static final int EM_386 = 3;
    public static final int EM_MIPS = 8;
    public static final int EM_PPC = 20;
    public static final int EM_PPC64 = 21;
    public static final int EM_S390 = 22;
    public static final int EM_ARM = 40;
    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;
    public static final int EM_RISCV = 243;
    public static final int EM_LOONGARCH = 258;

    private ElfMachine() {
    }

    /** The systemd architecture name of a binary, or empty for machines sysextctl does not map. */
    public static Optional<String> systemdArchitecture(int machine, boolean is64, boolean bigEndian) {
        String a = switch (machine) {
            case EM_X86_64 -> "x86-64";
            case EM_386 -> "x86";
            case EM_AARCH64 -> bigEndian ? "arm64-be" : "arm64";
            case EM_ARM -> bigEndian ? "arm-be" : "arm";
            case EM_PPC64 -> bigEndian ? "ppc64" : "ppc64-le";
            case EM_PPC -> bigEndian ? "ppc" : "ppc-le";
            case EM_S390 -> is64 ? "s390x" : "s390";
            case EM_RISCV -> is64 ? "riscv64" : "riscv32";
            case EM_LOONGARCH -> "loongarch64";
            case EM_MIPS -> is64 ? (bigEndian ? "mips64" : "mips64-le") : (bigEndian ? "mips" : "mips-le");
            default -> null;
        };
        return Optional.ofNullable(a);
    }
}
