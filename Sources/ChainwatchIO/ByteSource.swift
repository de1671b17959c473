import ChainwatchCore

/// Anything that yields the bytes of one input in order: a file, stdin, a pipe, a decompressor.
///
/// Sources fill a buffer the caller owns, so the reader reuses one allocation for the whole stream
/// (`read(2)` into a 1 MiB buffer is ~15 GB/s on this machine; see MACHINE-FACTS "Reading input").
/// Sources are used from one task at a time; they are not `Sendable`.
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes into the start of `buffer` and returns how many were written.
    ///
    /// Returns 0 only at end of input (for a non-empty `buffer`); may return fewer bytes than asked for
    /// at any time. Failures are ``ChainwatchError``s (`.unreadableInput`, `.truncatedInput`,
    /// `.corruptCompressedInput`).
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ChainwatchError) -> Int
}

/// A source over bytes already in memory (tests, `LZ4Frame.decompress`, replaying sniffed bytes).
public struct MemoryByteSource: ByteSource, Sendable {
    public private(set) var bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// - Complexity: O(bytes copied).
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ChainwatchError) -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset ..< offset + count]))
        }
        offset += count
        return count
    }
}

/// Opening inputs by name, with transparent LZ4 detection.
public enum ByteSources {
    /// Opens `path` for reading: `-` is stdin; a name ending in `.lz4` is decompressed as LZ4 frames;
    /// any other input that starts with the LZ4 frame magic `04 22 4D 18` is decompressed too.
    ///
    /// - Throws: `.unreadableInput` (with the path) when the file cannot be opened.
    public static func open(path: String) throws(ChainwatchError) -> any ByteSource {
        if path == "-" {
            return LZ4DetectingSource(wrapping: FileDescriptorSource(fileDescriptor: 0, name: "-", closesOnDeinit: false), name: "-")
        }
        let file = try FileDescriptorSource(path: path)
        if path.hasSuffix(".lz4") {
            return try LZ4FrameSource(wrapping: file, name: path)
        }
        return LZ4DetectingSource(wrapping: file, name: path)
    }
}
