/// Feature rows for one batch, row-major: `values[row * dimensions + column]`.
///
/// Column `j` is the feature named `catalogue.names[j]` of the feature engine that filled it. Models read
/// rows directly or transpose blocks of rows for SIMD; nothing here allocates per row.
public struct FeatureMatrix: Sendable, Equatable {
    public private(set) var rows: Int
    public let dimensions: Int
    public var values: [Float]

    public init(dimensions: Int, rows: Int = 0) {
        precondition(dimensions > 0, "a feature matrix needs at least one column")
        self.dimensions = dimensions
        self.rows = rows
        self.values = [Float](repeating: 0, count: rows * dimensions)
    }

    public init(dimensions: Int, values: [Float]) {
        precondition(dimensions > 0 && values.count % dimensions == 0, "values must hold whole rows")
        self.dimensions = dimensions
        self.rows = values.count / dimensions
        self.values = values
    }

    /// Resizes to `rows` rows, zero-filled; keeps capacity so a steady stream of batches does not allocate.
    public mutating func reset(rows newRows: Int) {
        rows = newRows
        values.removeAll(keepingCapacity: true)
        values.append(contentsOf: repeatElement(0, count: newRows * dimensions))
    }

    /// Resizes to `rows` rows for a writer that sets every value: existing values are kept (not zeroed),
    /// new ones are zero. Keeps capacity, so a steady stream of batches neither allocates nor clears.
    public mutating func resize(rows newRows: Int) {
        rows = newRows
        let count = newRows * dimensions
        if values.count > count {
            values.removeLast(values.count - count)
        } else if values.count < count {
            values.append(contentsOf: repeatElement(0, count: count - values.count))
        }
    }

    public subscript(row: Int, column: Int) -> Float {
        get { values[row * dimensions + column] }
        set { values[row * dimensions + column] = newValue }
    }

    /// Row `row` as an array (tests and explanations; not for hot loops).
    public func row(_ row: Int) -> [Float] {
        Array(values[row * dimensions ..< (row + 1) * dimensions])
    }

    public mutating func append(row: some Collection<Float>) {
        precondition(row.count == dimensions, "row has \(row.count) values, matrix has \(dimensions) columns")
        values.append(contentsOf: row)
        rows += 1
    }
}
