import ChainwatchCore

extension AccountKey {
    /// Length of the address as a JSON string, `"0x…"` with the quotes.
    static let _quotedHexLength = 44

    /// Writes `key` as a JSON string (`"0x…"`, hex never needs escaping) into `buffer` from `start`.
    @inline(__always)
    static func _writeQuotedHex(_ key: AccountKey, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        buffer[start] = UInt8(ascii: "\"")
        _writeHex(key, into: buffer, at: start + 1)
        buffer[start + 43] = UInt8(ascii: "\"")
    }
}
