#ifndef CHAINWATCH_CPROCESSOR_H
#define CHAINWATCH_CPROCESSOR_H

// Two things about the processor that Swift has no spelling for, used by the feature engine's row loop.

// A cache prefetch hint.
//
// Table lookups of the stream stages warm the lines a chunk of rows will touch before the rows run.
// Done with plain loads, every miss holds its load in the reorder buffer until the line arrives, so a
// few dozen misses fill it and stall the core; a prefetch retires at once and lets all of them be in
// flight together. It never faults (an address outside mapped memory is ignored) and changes no
// value, so calling it or not gives the same results.
static inline __attribute__((always_inline)) void cw_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

// Subnormal floats as zero, for a stretch of code: sets the x86-64 MXCSR flush-to-zero and
// denormals-are-zero bits and returns the previous register, for cw_restore_float_mode.
//
// Decayed state goes subnormal (below 1.2e-38) on its way to zero: counts of accounts idle for hours,
// count-min counters scaled at renormalisation. Each arithmetic operation on a subnormal then takes a
// microcode assist (~100x slower here), which made them a fifth of the feature engine's time. With the
// flags set such values are 0 instead. Elsewhere (other architectures) nothing changes and 0 is returned.
static inline unsigned int cw_subnormals_as_zero(void) {
#if defined(__x86_64__)
    unsigned int previous = __builtin_ia32_stmxcsr();
    __builtin_ia32_ldmxcsr(previous | 0x8040); // FTZ (bit 15) | DAZ (bit 6)
    return previous;
#else
    return 0;
#endif
}

// Restores the float mode cw_subnormals_as_zero returned.
static inline void cw_restore_float_mode(unsigned int previous) {
#if defined(__x86_64__)
    __builtin_ia32_ldmxcsr(previous);
#else
    (void)previous;
#endif
}

#endif
