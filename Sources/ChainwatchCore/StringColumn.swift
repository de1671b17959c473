/// A column of short strings stored back to back in one byte arena.
///
/// A batch of 4,096 transactions keeps its hashes, addresses and wei strings in four of these instead of
/// 16,384 `String`s; a `String` is made only when a row becomes an alert or a report line.
///
///     bytes: |0xeb10…8dd0|0xec7c…bd14|0x3f…|
///     ends:             66          132   …     (row i spans ends[i-1] ..< ends[i])
public struct StringColumn: Sendable, Equatable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var ends: [UInt32] = []

    public init() {}

    public init<S: Sequence<String>>(_ strings: S) {
        for string in strings { append(string) }
    }

    public var count: Int { ends.count }

    @inlinable
    public func range(at index: Int) -> Range<Int> {
        let start = index == 0 ? 0 : Int(ends[index - 1])
        return start ..< Int(ends[index])
    }

    public subscript(index: Int) -> String {
        String(decoding: bytes[range(at: index)], as: UTF8.self)
    }

    /// Calls `body` with the bytes of row `index`, without copying.
    @inlinable
    public func withBytes<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let range = range(at: index)
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    public mutating func append<Bytes: Collection<UInt8>>(bytes newBytes: Bytes) {
        bytes.append(contentsOf: newBytes)
        ends.append(UInt32(bytes.count))
    }

    public mutating func append(_ string: String) {
        var copy = string
        copy.withUTF8 { append(bytes: $0) }
    }

    public mutating func reserveCapacity(rows: Int, bytesPerRow: Int) {
        ends.reserveCapacity(rows)
        bytes.reserveCapacity(rows * bytesPerRow)
    }

    public mutating func removeAll(keepingCapacity: Bool = true) {
        bytes.removeAll(keepingCapacity: keepingCapacity)
        ends.removeAll(keepingCapacity: keepingCapacity)
    }

    /// Appends row `index` of `other`.
    public mutating func append(from other: StringColumn, at index: Int) {
        append(bytes: other.bytes[other.range(at: index)])
    }

    /// Appends rows `rows` of `other` with one copy of their bytes.
    public mutating func append(from other: StringColumn, rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        let start = rows.lowerBound == 0 ? 0 : Int(other.ends[rows.lowerBound - 1])
        let shift = Int64(bytes.count) - Int64(start)
        bytes.append(contentsOf: other.bytes[start ..< Int(other.ends[rows.upperBound - 1])])
        ends.append(contentsOf: other.ends[rows].lazy.map { UInt32(Int64($0) + shift) })
    }
}
