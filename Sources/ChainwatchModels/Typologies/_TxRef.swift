import ChainwatchCore

/// A compact, string-free reference to one transaction, kept in detector state as evidence.
///
/// The hash is kept inline in 72 bytes, with no heap allocation or reference counting: a canonical hash
/// (every Ethereum hash) as its 32 bytes (``_TxHash``, already decoded in the batch, so keeping it reads
/// no text), any other as its raw text (an irregular text longer than 72 bytes keeps its first 72). The
/// text is spelled out only when an alert is written.
struct _TxRef: Sendable {
    typealias HashBytes = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    static let hashCapacity = 72
    /// ``hashLength`` of a canonical hash, whose 32 bytes are the start of ``hashBytes``.
    private static let canonical = -1

    var hashBytes: HashBytes = (0, 0, 0, 0, 0, 0, 0, 0, 0)
    /// Bytes of hash text in ``hashBytes``, or ``canonical``.
    var hashLength: Int
    var block: Int64
    var time: Int64
    var amount: Double
    var from: AccountKey
    var to: AccountKey

    /// The transaction at `row` of `batch` (borrowed: an initializer's arguments are owned by default, and
    /// passing the batch owned copied it, a retain and a release per column, for every reference made).
    init(batch: borrowing TxBatch, row: Int) {
        block = batch.blockNumber[row]
        time = batch.blockTime[row]
        amount = batch.amount[row]
        from = batch.from[row]
        to = batch.to[row]
        if let hash = batch.canonicalHash[row] {
            (hashBytes, hashLength) = (Self.bytes(of: hash), Self.canonical)
            return
        }
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
        (hashBytes, hashLength) = (Self.bytes(of: hash), Self.canonical)
        self.block = block
        self.time = time
        self.amount = amount
        self.from = from
        self.to = to
    }

    /// ``hashBytes`` holding a canonical hash.
    private static func bytes(of hash: _TxHash) -> HashBytes {
        (hash.words.0, hash.words.1, hash.words.2, hash.words.3, 0, 0, 0, 0, 0)
    }

    /// The canonical hash, when the reference holds one.
    private var canonicalHash: _TxHash? {
        hashLength == Self.canonical ? _TxHash(words: (hashBytes.0, hashBytes.1, hashBytes.2, hashBytes.3)) : nil
    }

    /// The hash as it appeared in the input.
    var hash: String {
        if let canonical = canonicalHash {
            return String(unsafeUninitializedCapacity: _TxHash.textLength) { buffer in
                canonical.write(into: UnsafeMutableRawBufferPointer(buffer))
                return _TxHash.textLength
            }
        }
        var copy = hashBytes
        return withUnsafeBytes(of: &copy) { String(decoding: $0[0 ..< hashLength], as: UTF8.self) }
    }

    /// Writes the hash as a JSON string (`"` + hash + `"`) at the start of `buffer` and returns the bytes
    /// written, or `nil` (the buffer then holds garbage) when the hash text holds a byte JSON must escape or
    /// a non-ASCII byte (left to `String` decoding, which repairs invalid UTF-8).
    func writeQuotedHash(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        if let canonical = canonicalHash {
            // Canonical text is `0x` and hex digits: nothing to escape.
            precondition(buffer.count >= _TxHash.textLength + 2)
            buffer[0] = UInt8(ascii: "\"")
            let text = UnsafeMutableRawBufferPointer(buffer)[1 ..< 1 + _TxHash.textLength]
            canonical.write(into: UnsafeMutableRawBufferPointer(rebasing: text))
            buffer[1 + _TxHash.textLength] = UInt8(ascii: "\"")
            return _TxHash.textLength + 2
        }
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
