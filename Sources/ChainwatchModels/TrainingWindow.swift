import ChainwatchCore

/// The most recent `capacity` non-alerted feature rows, for periodic retraining without learning from
/// anomalies: rows the pipeline alerted on are never appended, so a burst of attacks cannot become "normal".
///
/// A ring over one flat `[Float]` of `capacity × dimensions`; `append` is O(d) and never allocates after the
/// ring is full; ``matrix()`` copies the rows out oldest first. Which rows to offer and when to retrain is the
/// pipeline's decision.
public struct TrainingWindow: Sendable, Equatable {
    public let capacity: Int
    public let dimensions: Int
    private var storage: [Float]
    /// Slot the next row goes to.
    private var next = 0
    public private(set) var count = 0
    /// Rows offered with `alerted: true` (and therefore skipped).
    public private(set) var skippedAlerted = 0

    public init(capacity: Int, dimensions: Int) {
        precondition(capacity > 0 && dimensions > 0, "a training window needs room for rows")
        self.capacity = capacity
        self.dimensions = dimensions
        storage = []
        storage.reserveCapacity(capacity * dimensions)
    }

    public mutating func append(row: some Collection<Float>, alerted: Bool) {
        precondition(row.count == dimensions, "row has \(row.count) values, window holds \(dimensions)")
        if alerted { skippedAlerted += 1; return }
        if count < capacity {
            storage.append(contentsOf: row)
            count += 1
        } else {
            var k = next * dimensions
            for v in row { storage[k] = v; k += 1 }
        }
        next = (next + 1) % capacity
    }

    /// Appends every row of `batch` whose flag in `alerted` is false.
    public mutating func append(_ batch: FeatureMatrix, alerted: [Bool]) {
        precondition(batch.dimensions == dimensions && alerted.count == batch.rows, "batch and flags disagree")
        for r in 0 ..< batch.rows {
            append(row: batch.values[r * dimensions ..< (r + 1) * dimensions], alerted: alerted[r])
        }
    }

    /// The held rows, oldest first.
    public func matrix() -> FeatureMatrix {
        var out = FeatureMatrix(dimensions: dimensions)
        let oldest = count < capacity ? 0 : next
        for k in 0 ..< count {
            let slot = (oldest + k) % capacity
            out.append(row: storage[slot * dimensions ..< (slot + 1) * dimensions])
        }
        return out
    }
}
