import ChainwatchCore

/// A transaction hash in its canonical text form, `0x` + 64 lowercase hex digits (every Ethereum hash),
/// held as its 32 raw bytes: stored evidence keeps half the bytes of the text, and ``text`` rebuilds the
/// input byte for byte. Any other text (upper-case digits, another length) has no `_TxHash`, since it could
/// not be rebuilt exactly.
struct _TxHash: Sendable, Equatable {
    /// The hash bytes in text order, eight per word in memory order.
    typealias Words = (UInt64, UInt64, UInt64, UInt64)

    /// Length of the canonical text.
    static let textLength = 66

    var words: Words

    init(words: Words) { self.words = words }

    static func == (lhs: _TxHash, rhs: _TxHash) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    /// Parses canonical hash text; `nil` for any other text.
    ///
    /// Eight digits at a time in one 64-bit word: per-byte range checks by adding a bias so the byte's top
    /// bit says `≥ bound` (ASCII bytes never carry into the next byte), then nibble packing by shifts. The
    /// eight groups' faults are OR-ed and tested once, so the loop has no branch per group.
    @inline(__always)
    init?(text: UnsafeBufferPointer<UInt8>) {
        guard text.count == Self.textLength, text[0] == UInt8(ascii: "0"), text[1] == UInt8(ascii: "x") else { return nil }
        let raw = UnsafeRawPointer(text.baseAddress!)
        var decoded: Words = (0, 0, 0, 0)
        var faults: UInt64 = 0
        withUnsafeMutableBytes(of: &decoded) { out in
            for index in 0 ..< 4 {
                let first = Self.decode(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 2 + 16 * index, as: UInt64.self)))
                let second = Self.decode(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 10 + 16 * index, as: UInt64.self)))
                faults |= first.faults | second.faults
                // The first group's bytes come first in memory.
                let word = UInt64(first.bytes) | UInt64(second.bytes) << 32
                out.storeBytes(of: word.littleEndian, toByteOffset: 8 * index, as: UInt64.self)
            }
        }
        guard faults == 0 else { return nil }
        words = decoded
    }

    /// The four bytes that eight lowercase hex digits (first digit in the lowest byte) spell, first byte
    /// lowest, and a word that is non-zero when any byte is not `0`–`9` or `a`–`f`.
    @inline(__always)
    static func decode(_ digits: UInt64) -> (bytes: UInt32, faults: UInt64) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let top = ones &* 0x80
        let isDigit = (digits &+ ones &* (0x80 - 0x30)) & ~(digits &+ ones &* (0x80 - 0x3a)) & top
        let isLetter = (digits &+ ones &* (0x80 - 0x61)) & ~(digits &+ ones &* (0x80 - 0x67)) & top
        let faults = digits & top | (isDigit | isLetter) ^ top
        // `a`…`f` have low nibbles 1…6: add 9 to reach 10…15.
        let nibbles = (digits & (ones &* 0x0f)) &+ (isLetter >> 7) &* 9
        // Each even byte takes its digit as the high nibble and the next byte's as the low one.
        var bytes = (nibbles << 4 | nibbles >> 8) & 0x00ff_00ff_00ff_00ff
        bytes = (bytes | bytes >> 8) & 0x0000_ffff_0000_ffff
        bytes = (bytes | bytes >> 16) & 0x0000_0000_ffff_ffff
        return (UInt32(truncatingIfNeeded: bytes), faults)
    }

    /// Writes the canonical text into the first ``textLength`` bytes of `buffer`.
    func write(into buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count >= Self.textLength)
        buffer[0] = UInt8(ascii: "0")
        buffer[1] = UInt8(ascii: "x")
        // Each word's bytes in memory order, four at a time with the first most significant, spell 8 digits.
        func write(_ word: UInt64, at offset: Int) {
            let bytes = UInt64(littleEndian: word)
            _HexDigits.write(UInt32(truncatingIfNeeded: bytes).byteSwapped, into: buffer, at: offset)
            _HexDigits.write(UInt32(truncatingIfNeeded: bytes >> 32).byteSwapped, into: buffer, at: offset + 8)
        }
        write(words.0, at: 2)
        write(words.1, at: 18)
        write(words.2, at: 34)
        write(words.3, at: 50)
    }
}
