#ifndef CHAINWATCH_CPROCESSOR_H
#define CHAINWATCH_CPROCESSOR_H

// Things about the processor that Swift has no spelling for, used by the feature engine's row loop and the
// typology detectors.

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

// Writes the 64 bytes at `source` to the line at `destination` (64-byte aligned) with non-temporal stores.
//
// A plain store to a line not in cache first reads the line (read for ownership): a miss per write, and a
// line pushed out of cache for data that is written now and read rarely (a typology's evidence of a
// remembered transfer, read only when an alert shows it). Four non-temporal 16-byte stores fill the line in
// a write-combining buffer and send it out whole, reading nothing. The line leaves the caches, so this is
// only for lines not read again soon. Other threads see the stores after cw_store_fence (or any locked
// instruction); this thread sees them at once.
typedef long long cw_line_part __attribute__((vector_size(16)));

static inline __attribute__((always_inline)) void cw_stream_line(void *destination, const void *source) {
    cw_line_part *to = (cw_line_part *)destination;
    // The source is any value (8-byte aligned at best), so it is read unaligned.
    cw_line_part a, b, c, d;
    __builtin_memcpy(&a, (const char *)source, 16);
    __builtin_memcpy(&b, (const char *)source + 16, 16);
    __builtin_memcpy(&c, (const char *)source + 32, 16);
    __builtin_memcpy(&d, (const char *)source + 48, 16);
    __builtin_nontemporal_store(a, to);
    __builtin_nontemporal_store(b, to + 1);
    __builtin_nontemporal_store(c, to + 2);
    __builtin_nontemporal_store(d, to + 3);
}

// Orders the non-temporal stores before it ahead of every later store (x86-64 `sfence`; elsewhere a full
// fence).
static inline void cw_store_fence(void) {
#if defined(__x86_64__)
    __builtin_ia32_sfence();
#else
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
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
