import ChainwatchCore

/// A compact, string-free reference to one transaction, kept in detector state as evidence.
///
/// The hash text is copied as raw bytes into an inline 72-byte buffer (an Ethereum `0x` + 64-hex hash is
/// 66 bytes), so keeping a reference is one `memcpy` and no heap allocation or reference counting; the
/// `String` is rebuilt only when an alert is written. A hash text longer than 72 bytes keeps its first 72.
struct _TxRef: Sendable {
    typealias HashBytes = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    static let hashCapacity = 72

    var hashBytes: HashBytes = (0, 0, 0, 0, 0, 0, 0, 0, 0)
    var hashLength: Int
    var block: Int64
    var time: Int64
    var amount: Double
    var from: AccountKey
    var to: AccountKey

    init(batch: TxBatch, row: Int) {
        block = batch.blockNumber[row]
        time = batch.blockTime[row]
        amount = batch.amount[row]
        from = batch.from[row]
        to = batch.to[row]
        var stored: HashBytes = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        hashLength = batch.hash.withBytes(at: row) { bytes in
            let length = min(bytes.count, _TxRef.hashCapacity)
            withUnsafeMutableBytes(of: &stored) { buffer in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[0 ..< length]))
            }
            return length
        }
        hashBytes = stored
    }

    /// A reference to a transaction with a canonical hash (see ``_TxHash``).
    init(hash: _TxHash, block: Int64, time: Int64, amount: Double, from: AccountKey, to: AccountKey) {
        var stored: HashBytes = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &stored) { hash.write(into: $0) }
        hashBytes = stored
        hashLength = _TxHash.textLength
        self.block = block
        self.time = time
        self.amount = amount
        self.from = from
        self.to = to
    }

    /// The hash as it appeared in the input.
    var hash: String {
        var copy = hashBytes
        return withUnsafeBytes(of: &copy) { String(decoding: $0[0 ..< hashLength], as: UTF8.self) }
    }

    /// Writes the hash as a JSON string (`"` + hash + `"`) at the start of `buffer` and returns the bytes
    /// written, or `nil` (the buffer then holds garbage) when the hash text holds a byte JSON must escape or
    /// a non-ASCII byte (left to `String` decoding, which repairs invalid UTF-8).
    func writeQuotedHash(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        precondition(buffer.count >= hashLength + 2)
        var copy = hashBytes
        return withUnsafeBytes(of: &copy) { bytes in
            // Checked eight bytes at a time; past the hash's end the last word reads as plain `A`s.
            var offset = 0
            while offset < hashLength {
                var word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                let valid = hashLength - offset
                if valid < 8 {
                    let kept: UInt64 = (1 << UInt64(8 * valid)) - 1
                    word = word & kept | 0x4141_4141_4141_4141 & ~kept
                }
                guard _HexDigits.arePlain(word) else { return nil }
                offset += 8
            }
            buffer[0] = UInt8(ascii: "\"")
            UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[1 ..< 1 + hashLength])).copyMemory(
                from: UnsafeRawBufferPointer(rebasing: bytes[0 ..< hashLength])
            )
            buffer[1 + hashLength] = UInt8(ascii: "\"")
            return hashLength + 2
        }
    }
}
