import ChainwatchCore

/// Writes feature rows as CSV for `chainwatch features`: a `tx_hash,<name>,…` header, then one line per
/// transaction. Numbers use `Float.description` (shortest text that reads back to the same `Float`), so
/// the output is byte-identical across runs and round-trips exactly.
public struct FeatureCSVWriter: Sendable {
    public let catalogue: FeatureCatalogue

    public init(catalogue: FeatureCatalogue) {
        self.catalogue = catalogue
    }

    /// `tx_hash,` + every feature name, newline-terminated.
    public var header: String {
        "tx_hash," + catalogue.names.joined(separator: ",") + "\n"
    }

    /// Appends one line per row of `features` (hash from `batch`) to `output`.
    /// - Precondition: `features.rows == batch.count` and the matrix matches the catalogue.
    public func appendRows(of batch: TxBatch, features: FeatureMatrix, to output: inout String) {
        precondition(features.rows == batch.count && features.dimensions == catalogue.names.count, "shape mismatch")
        for row in 0 ..< batch.count {
            output += batch.hash[row]
            let base = row * features.dimensions
            for column in 0 ..< features.dimensions {
                output += ","
                output += features.values[base + column].description
            }
            output += "\n"
        }
    }
}
