/// Splits one CSV record (one line) into field ranges, RFC 4180 style, without copying.
///
/// Unquoted fields end at the next comma (found with `memchr`). A field that starts with `"` runs to the
/// matching closing quote (`""` inside is an escaped quote) and must be followed by a comma or the end of
/// the line; its range excludes the quotes and escapes are left as-is (every column chainwatch reads is
/// hex or digits, where an escaped quote is invalid anyway). Quoted fields cannot span lines.
struct CSVFieldSplitter {
    /// Start and end offsets of each field of the last split line (reused between lines).
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []

    var count: Int { starts.count }

    /// Splits `line`. Returns `false` when a quoted field is unterminated or followed by junk.
    ///
    /// - Complexity: O(line length); no allocation once the arrays reached the field count.
    mutating func split(_ line: UnsafeRawBufferPointer) -> Bool {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        let count = line.count
        var position = 0
        while true {
            if position < count && line[position] == UInt8(ascii: "\"") {
                var cursor = position + 1
                var closing = -1
                while let quote = _ByteSearch.firstIndex(of: UInt8(ascii: "\""), in: line, from: cursor, to: count) {
                    if quote + 1 < count && line[quote + 1] == UInt8(ascii: "\"") {
                        cursor = quote + 2
                        continue
                    }
                    closing = quote
                    break
                }
                guard closing >= 0 else { return false }
                starts.append(position + 1)
                ends.append(closing)
                if closing + 1 == count { return true }
                guard line[closing + 1] == UInt8(ascii: ",") else { return false }
                position = closing + 2
            } else {
                let comma = _ByteSearch.firstIndex(of: UInt8(ascii: ","), in: line, from: position, to: count) ?? count
                starts.append(position)
                ends.append(comma)
                if comma == count { return true }
                position = comma + 1
            }
        }
    }

    /// Field `index` of the last split line as a view into `line`.
    @inline(__always)
    func field(_ index: Int, in line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: line[starts[index] ..< ends[index]])
    }
}
