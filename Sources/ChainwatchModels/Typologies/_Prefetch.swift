/// Software pipelining for the detectors' table lookups: rows go in chunks of ``chunkRows``, and the table
/// lines a chunk's rows will touch are requested before the rows run, so their cache misses overlap instead of
/// stalling one row at a time; then the rows are processed in order, exactly as without it.
///
/// Wash cycle loads the lines in a read-only pass over the chunk (its slot table's `prefetch`; the loaded
/// values go to a sink so the loads are not optimised away). The fan detectors and burst use prefetch hints in
/// two stages, as the feature engine does: bucket (and pair-set) lines a chunk ahead, entry lines just before
/// the chunk runs. Address poisoning hints its cache's set lines just before the chunk runs.
enum _Prefetch {
    /// Rows per chunk: enough misses in flight to hide latency, few enough that the lines stay in L1/L2.
    static let chunkRows = 16
}
