/// Software pipelining for the detectors' table lookups: rows go in chunks of ``chunkRows``, and a
/// read-only pass over a chunk first loads the table lines its rows will touch (each table's `prefetch`),
/// so their cache misses overlap instead of stalling one row at a time; then the rows are processed in
/// order, exactly as without the warm-up. The loaded values go to a sink so the loads are not optimised away.
enum _Prefetch {
    /// Rows per chunk: enough misses in flight to hide latency, few enough that the lines stay in L1/L2.
    static let chunkRows = 16
}
