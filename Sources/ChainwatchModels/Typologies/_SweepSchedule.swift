/// Decides when a detector sweeps expired entries out of its tables: once per `period` of event time,
/// triggered by the row whose block time crosses the boundary, so sweeps never depend on batch boundaries.
struct _SweepSchedule: Sendable, Equatable {
    private var nextSweep: Int64 = .min
    let period: Int64

    init(period: Int64) { self.period = max(1, period) }

    /// `true` (and the next sweep is scheduled) when `time` has reached the next sweep time.
    mutating func isDue(at time: Int64) -> Bool {
        if nextSweep == .min {
            nextSweep = time &+ period
            return false
        }
        guard time >= nextSweep else { return false }
        nextSweep = time &+ period
        return true
    }
}
