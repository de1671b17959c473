import ChainwatchCore
import RealModule

/// Per-feature standardization `z = clamp((x − mean) / std, −clip, +clip)`, fitted on training data.
///
/// `std` is floored at `stdFloor` so constant features map to 0 instead of dividing by zero, and `clip` (10σ)
/// keeps one absurd value from dominating a squared reconstruction error or reaching +∞. Non-finite inputs
/// map to 0 (NaN) or ±clip (±∞). The fit also records each feature's training 5th and 95th percentile
/// (`typicalLow`/`typicalHigh`, raw units) for explanations. Cost of a fit: one pass plus a sort per column.
public struct Standardizer: Sendable, Equatable {
    public var mean: [Float]
    public var std: [Float]
    public var typicalLow: [Float]
    public var typicalHigh: [Float]
    public var clip: Float

    public static let defaultStdFloor: Float = 1e-6

    public var dimensions: Int { mean.count }

    public init(mean: [Float], std: [Float], typicalLow: [Float], typicalHigh: [Float], clip: Float = 10) {
        precondition(mean.count == std.count && mean.count == typicalLow.count && mean.count == typicalHigh.count,
                     "standardizer arrays disagree")
        self.mean = mean
        self.std = std
        self.typicalLow = typicalLow
        self.typicalHigh = typicalHigh
        self.clip = clip
    }

    /// Fits mean and (population) standard deviation per column, in `Double`, ignoring non-finite values.
    public static func fit(_ data: FeatureMatrix, stdFloor: Float = defaultStdFloor, clip: Float = 10) -> Standardizer {
        let d = data.dimensions
        var mean = [Float](repeating: 0, count: d), std = [Float](repeating: 1, count: d)
        var low = [Float](repeating: 0, count: d), high = [Float](repeating: 0, count: d)
        var column: [Float] = []
        column.reserveCapacity(data.rows)
        for j in 0 ..< d {
            column.removeAll(keepingCapacity: true)
            for r in 0 ..< data.rows where data.values[r * d + j].isFinite { column.append(data.values[r * d + j]) }
            guard !column.isEmpty else { std[j] = max(1, stdFloor); continue }
            var sum = 0.0
            for v in column { sum += Double(v) }
            let m = sum / Double(column.count)
            var squares = 0.0
            for v in column { squares += (Double(v) - m) * (Double(v) - m) }
            mean[j] = Float(m)
            std[j] = max(Float((squares / Double(column.count)).squareRoot()), stdFloor)
            column.sort()
            low[j] = column[Int(0.05 * Double(column.count - 1))]
            high[j] = column[Int((0.95 * Double(column.count - 1)).rounded(.up))]
        }
        return Standardizer(mean: mean, std: std, typicalLow: low, typicalHigh: high, clip: clip)
    }

    /// One standardized value.
    @inline(__always)
    public func transform(_ value: Float, feature j: Int) -> Float {
        if value.isNaN { return 0 }
        let z = (value - mean[j]) / std[j]
        return min(max(z, -clip), clip)
    }

    public func transform(row: [Float]) -> [Float] {
        precondition(row.count == dimensions, "row has \(row.count) values, standardizer expects \(dimensions)")
        return (0 ..< dimensions).map { transform(row[$0], feature: $0) }
    }

    /// Standardizes `data` into `output` (reshaped; its capacity is reused between batches).
    public func transform(_ data: FeatureMatrix, into output: inout FeatureMatrix) {
        precondition(data.dimensions == dimensions, "matrix has \(data.dimensions) columns, standardizer expects \(dimensions)")
        if output.dimensions != dimensions { output = FeatureMatrix(dimensions: dimensions) }
        output.reset(rows: data.rows)
        let d = dimensions, clip = clip
        mean.withUnsafeBufferPointer { mean in
            std.withUnsafeBufferPointer { std in
                data.values.withUnsafeBufferPointer { input in
                    output.values.withUnsafeMutableBufferPointer { out in
                        for r in 0 ..< data.rows {
                            let base = r * d
                            for j in 0 ..< d {
                                let value = input[base + j]
                                let z = (value - mean[j]) / std[j]
                                out[base + j] = value.isNaN ? 0 : min(max(z, -clip), clip)
                            }
                        }
                    }
                }
            }
        }
    }

    public func transform(_ data: FeatureMatrix) -> FeatureMatrix {
        var output = FeatureMatrix(dimensions: dimensions)
        transform(data, into: &output)
        return output
    }
}
