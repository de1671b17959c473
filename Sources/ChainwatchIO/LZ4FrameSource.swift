import CLZ4
import ChainwatchCore

/// Decompresses LZ4 frames (`lz4` CLI format) from another source, incrementally.
///
/// Compressed bytes are read through a 256 KiB window and fed to `LZ4F_decompress` in streaming mode,
/// so a file of any size needs constant memory: frames split across reads, concatenated frames and
/// 1-byte reads all work. End of input inside a frame is `.truncatedInput`; anything LZ4 rejects (bad
/// magic, corrupt block, checksum mismatch) is `.corruptCompressedInput`. An empty input decodes to
/// nothing. Not `Sendable`: owns a decompression context.
public final class LZ4FrameSource: ByteSource {
    /// The frame magic number as it appears on disk (little-endian `0x184D2204`).
    public static let magic: [UInt8] = [0x04, 0x22, 0x4D, 0x18]

    private var inner: any ByteSource
    private let name: String
    private var context: OpaquePointer?
    private let input: UnsafeMutableRawBufferPointer
    private var inputStart = 0
    private var inputEnd = 0
    private var innerAtEnd = false
    /// `true` once bytes of a frame were consumed and until LZ4 reports the frame complete.
    private var insideFrame = false

    /// - Parameters:
    ///   - prefix: bytes already taken from `inner` (by magic sniffing) that come first.
    public init(wrapping inner: any ByteSource, name: String, prefix: [UInt8] = [], windowBytes: Int = 256 << 10) throws(ChainwatchError) {
        self.inner = inner
        self.name = name
        input = .allocate(byteCount: max(windowBytes, prefix.count, 16), alignment: 16)
        prefix.withUnsafeBytes { input.copyMemory(from: $0) }
        inputEnd = prefix.count
        var created: OpaquePointer?
        let status = LZ4F_createDecompressionContext(&created, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(status) == 0, let created else {
            input.deallocate()
            throw ChainwatchError(.corruptCompressedInput, "cannot create LZ4 decompression context", context: name)
        }
        context = created
    }

    deinit {
        _ = LZ4F_freeDecompressionContext(context)
        input.deallocate()
    }

    /// - Complexity: O(bytes produced); reads the wrapped source only when its window is drained.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ChainwatchError) -> Int {
        guard let destination = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            if inputStart == inputEnd && !innerAtEnd {
                inputStart = 0
                inputEnd = try inner.read(into: input)
                if inputEnd == 0 { innerAtEnd = true }
            }
            if inputStart == inputEnd && innerAtEnd {
                if insideFrame {
                    throw ChainwatchError(.truncatedInput, "LZ4 input \(name) ends in the middle of a frame", context: name)
                }
                return 0
            }
            var produced = buffer.count
            var consumed = inputEnd - inputStart
            let hint = LZ4F_decompress(context, destination, &produced, input.baseAddress! + inputStart, &consumed, nil)
            if LZ4F_isError(hint) != 0 {
                let reason = String(cString: LZ4F_getErrorName(hint))
                throw ChainwatchError(.corruptCompressedInput, "corrupt LZ4 input \(name): \(reason)", context: name)
            }
            inputStart += consumed
            // A hint of 0 means the frame just ended; the context is then ready for a following frame.
            insideFrame = hint != 0
            if produced > 0 { return produced }
        }
    }
}

/// Passes bytes through, unless the input starts with the LZ4 frame magic: then it decompresses.
///
/// Used for stdin and files without a `.lz4` name. Peeks at most 4 bytes and replays them.
public final class LZ4DetectingSource: ByteSource {
    private var inner: any ByteSource
    private let name: String
    private var pending: [UInt8] = []
    private var pendingOffset = 0
    private var decompressor: LZ4FrameSource?
    private var sniffed = false

    public init(wrapping inner: any ByteSource, name: String) {
        self.inner = inner
        self.name = name
    }

    /// `true` once the first bytes showed an LZ4 frame (known after the first read).
    public var isCompressed: Bool { decompressor != nil }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ChainwatchError) -> Int {
        if !sniffed { try sniff() }
        if let decompressor { return try decompressor.read(into: buffer) }
        if pendingOffset < pending.count {
            let count = min(buffer.count, pending.count - pendingOffset)
            pending.withUnsafeBytes { bytes in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[pendingOffset ..< pendingOffset + count]))
            }
            pendingOffset += count
            return count
        }
        return try inner.read(into: buffer)
    }

    private func sniff() throws(ChainwatchError) {
        sniffed = true
        var head = [UInt8](repeating: 0, count: 4)
        var filled = 0
        while filled < 4 {
            var failure: ChainwatchError?
            let count = head.withUnsafeMutableBytes { bytes -> Int in
                do throws(ChainwatchError) { return try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[filled...])) }
                catch { failure = error; return 0 }
            }
            if let failure { throw failure }
            if count == 0 { break }
            filled += count
        }
        head.removeLast(4 - filled)
        if head == LZ4FrameSource.magic {
            decompressor = try LZ4FrameSource(wrapping: inner, name: name, prefix: head)
        } else {
            pending = head
        }
    }
}
