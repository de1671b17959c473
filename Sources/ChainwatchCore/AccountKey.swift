/// A fixed-size account identity: the 20 bytes of an Ethereum address, or a 160-bit hash of any other
/// chain's address string.
///
/// Stored inline (three machine words, no heap) so the account table can probe keys without pointer chasing.
/// `AccountKey.none` marks a missing receiver (contract creation); use ``TxBatch/flags`` to tell it from
/// the real all-zero address.
public struct AccountKey: Hashable, Sendable, Comparable, BitwiseCopyable {
    public var high: UInt64
    public var middle: UInt64
    public var low: UInt32

    @inlinable
    public init(high: UInt64, middle: UInt64, low: UInt32) {
        self.high = high
        self.middle = middle
        self.low = low
    }

    public static let none = AccountKey(high: 0, middle: 0, low: 0)

    /// Parses `0x` followed by exactly 40 hex digits (either case). Returns `nil` for anything else.
    ///
    /// - Complexity: O(1), no allocation.
    @inlinable
    public init?<Bytes: Collection<UInt8>>(hexAddress bytes: Bytes) {
        guard bytes.count == 42 else { return nil }
        var iterator = bytes.makeIterator()
        guard iterator.next() == UInt8(ascii: "0"), let x = iterator.next(), x == UInt8(ascii: "x") || x == UInt8(ascii: "X")
        else { return nil }
        var high: UInt64 = 0, middle: UInt64 = 0, low: UInt32 = 0
        for index in 0..<40 {
            guard let byte = iterator.next(), let nibble = AccountKey.nibble(byte) else { return nil }
            if index < 16 {
                high = high &<< 4 | UInt64(nibble)
            } else if index < 32 {
                middle = middle &<< 4 | UInt64(nibble)
            } else {
                low = low &<< 4 | UInt32(nibble)
            }
        }
        self.init(high: high, middle: middle, low: low)
    }

    /// Parses an Ethereum address string (see ``init(hexAddress:)-(Bytes)``).
    public init?(hexAddress string: String) {
        var copy = string
        guard let key = copy.withUTF8({ AccountKey(hexAddress: $0) }) else { return nil }
        self = key
    }

    /// A key for an address that is not 20 hex bytes (Bitcoin, generic CSV): a 160-bit FNV-1a style hash
    /// of the bytes. Collisions are ~2^-80 per pair, far below anything a stream can reach.
    @inlinable
    public init<Bytes: Collection<UInt8>>(hashing bytes: Bytes) {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4
        var c: UInt32 = 0x811c_9dc5
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(byte) ^ (a >> 29)) &* 0x9e37_79b9_7f4a_7c15
            c = (c ^ UInt32(byte)) &* 0x0100_0193
        }
        // Final avalanche so near-identical strings spread over the table.
        a ^= a >> 33; a = a &* 0xff51_afd7_ed55_8ccd; a ^= a >> 33
        b ^= b >> 31; b = b &* 0xc4ce_b9fe_1a85_ec53; b ^= b >> 29
        self.init(high: a, middle: b, low: c ^ UInt32(truncatingIfNeeded: a >> 32))
    }

    @inlinable
    static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }

    /// A well-mixed 64-bit hash for open addressing and sketches.
    @inlinable @inline(__always)
    public var mixedHash: UInt64 {
        var h = high ^ (middle &* 0x9e37_79b9_7f4a_7c15) ^ (UInt64(low) &* 0xc2b2_ae3d_27d4_eb4f)
        h ^= h >> 31
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 29
        return h
    }

    public static func < (lhs: AccountKey, rhs: AccountKey) -> Bool {
        (lhs.high, lhs.middle, lhs.low) < (rhs.high, rhs.middle, rhs.low)
    }

    /// `0x` + 40 lowercase hex digits, written eight digits at a time (alert evidence spells many).
    public var hexString: String {
        String(unsafeUninitializedCapacity: Self.hexLength) { buffer in
            Self._writeHex(self, into: buffer, at: 0)
            return Self.hexLength
        }
    }

    /// Length of ``hexString``.
    public static let hexLength = 42

    /// Writes ``hexString``'s bytes into `buffer` from `start` (room for ``hexLength`` bytes).
    @inlinable @inline(__always)
    public static func _writeHex(_ key: AccountKey, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        precondition(start >= 0 && start + hexLength <= buffer.count)
        buffer[start] = UInt8(ascii: "0")
        buffer[start + 1] = UInt8(ascii: "x")
        let raw = UnsafeMutableRawBufferPointer(buffer)
        _HexDigits.write(UInt32(truncatingIfNeeded: key.high >> 32), into: raw, at: start + 2)
        _HexDigits.write(UInt32(truncatingIfNeeded: key.high), into: raw, at: start + 10)
        _HexDigits.write(UInt32(truncatingIfNeeded: key.middle >> 32), into: raw, at: start + 18)
        _HexDigits.write(UInt32(truncatingIfNeeded: key.middle), into: raw, at: start + 26)
        _HexDigits.write(key.low, into: raw, at: start + 34)
    }
}
