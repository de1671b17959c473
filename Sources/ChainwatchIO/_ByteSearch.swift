#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `memchr` over a byte range: the one place the IO module searches raw memory.
///
/// Kept tiny and tested against a plain loop (`ByteSearchTests`), because every line and CSV field
/// boundary goes through it.
enum _ByteSearch {
    /// The index of the first `byte` in `bytes[from ..< to]`, or `nil`.
    ///
    /// - Precondition: `0 <= from <= to <= bytes.count`.
    /// - Complexity: O(to − from), vectorized by libc.
    @inline(__always)
    static func firstIndex(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        assert(from >= 0 && from <= to && to <= bytes.count, "search range out of bounds")
        guard from < to, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    /// `true` when `bytes` holds equal ASCII text to `literal` (a short constant such as a JSON key).
    @inline(__always)
    static func equals(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        guard let base = bytes.baseAddress else { return true }
        return memcmp(base, literal.utf8Start, bytes.count) == 0
    }
}
