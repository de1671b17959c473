#ifndef CHAINWATCH_CPREFETCH_H
#define CHAINWATCH_CPREFETCH_H

// A cache prefetch hint for Swift, which has no spelling for one.
//
// Table lookups of the stream stages warm the lines a chunk of rows will touch before the rows run.
// Done with plain loads, every miss holds its load in the reorder buffer until the line arrives, so a
// few dozen misses fill it and stall the core; a prefetch retires at once and lets all of them be in
// flight together. It never faults (an address outside mapped memory is ignored) and changes no
// value, so calling it or not gives the same results.
static inline __attribute__((always_inline)) void cw_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
