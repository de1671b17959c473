import CLZ4
import ChainwatchCore

/// Writes one LZ4 frame incrementally to a file or descriptor (readable by `lz4 -d` and ``LZ4FrameSource``).
///
/// Input is compressed in 64 KiB steps into a reusable output buffer and written as it goes, so memory
/// stays constant. Call ``finish()`` to write the end mark; a writer dropped without it leaves a
/// truncated frame (which readers report as `.truncatedInput`). Write failures are `.storeFailure`
/// errors (the module has no dedicated output code). Not `Sendable`.
public final class LZ4FrameWriter {
    private static let step = 64 << 10
    private let fileDescriptor: Int32
    private let name: String
    private let ownsDescriptor: Bool
    private var context: OpaquePointer?
    private var preferences = LZ4F_preferences_t()
    private let output: UnsafeMutableRawBufferPointer
    private var finished = false

    /// Creates (or truncates) `path` with mode 0644.
    public convenience init(path: String) throws(ChainwatchError) {
        let descriptor = _POSIX.createForWriting(path)
        guard descriptor >= 0 else {
            throw ChainwatchError(.storeFailure, "cannot create \(path): \(_POSIX.lastErrorText)", context: path)
        }
        try self.init(fileDescriptor: descriptor, name: path, closesOnFinish: true)
    }

    /// Writes to an open descriptor (a pipe's write end in tests). `closesOnFinish` hands ownership over.
    public init(fileDescriptor: Int32, name: String, closesOnFinish: Bool) throws(ChainwatchError) {
        self.fileDescriptor = fileDescriptor
        self.name = name
        ownsDescriptor = closesOnFinish
        preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        let bound = LZ4F_compressBound(LZ4FrameWriter.step, &preferences)
        output = .allocate(byteCount: max(bound, Int(LZ4F_HEADER_SIZE_MAX)) + 64, alignment: 16)
        var created: OpaquePointer?
        guard LZ4F_isError(LZ4F_createCompressionContext(&created, UInt32(LZ4F_VERSION))) == 0, let created else {
            output.deallocate()
            throw ChainwatchError(.storeFailure, "cannot create LZ4 compression context", context: name)
        }
        context = created
        let headerSize = LZ4F_compressBegin(context, output.baseAddress, output.count, &preferences)
        try check(headerSize)
        try writeOut(headerSize)
    }

    deinit {
        _ = LZ4F_freeCompressionContext(context)
        output.deallocate()
        if ownsDescriptor && !finished { _ = _POSIX.closeDescriptor(fileDescriptor) }
    }

    /// Compresses and writes `bytes`.
    ///
    /// - Complexity: O(bytes.count).
    public func write(_ bytes: UnsafeRawBufferPointer) throws(ChainwatchError) {
        precondition(!finished, "LZ4FrameWriter used after finish()")
        var offset = 0
        while offset < bytes.count {
            let count = min(LZ4FrameWriter.step, bytes.count - offset)
            let written = LZ4F_compressUpdate(context, output.baseAddress, output.count, bytes.baseAddress! + offset, count, nil)
            try check(written)
            try writeOut(written)
            offset += count
        }
    }

    public func write(_ bytes: [UInt8]) throws(ChainwatchError) {
        var failure: ChainwatchError?
        bytes.withUnsafeBytes { raw in
            do throws(ChainwatchError) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Writes the end mark (and checksum), then closes the descriptor if owned. Idempotent.
    public func finish() throws(ChainwatchError) {
        guard !finished else { return }
        let written = LZ4F_compressEnd(context, output.baseAddress, output.count, nil)
        try check(written)
        try writeOut(written)
        finished = true
        if ownsDescriptor && _POSIX.closeDescriptor(fileDescriptor) != 0 {
            throw ChainwatchError(.storeFailure, "cannot close \(name): \(_POSIX.lastErrorText)", context: name)
        }
    }

    private func check(_ code: Int) throws(ChainwatchError) {
        if LZ4F_isError(code) != 0 {
            throw ChainwatchError(.storeFailure, "LZ4 compression failed: \(String(cString: LZ4F_getErrorName(code)))", context: name)
        }
    }

    private func writeOut(_ count: Int) throws(ChainwatchError) {
        var offset = 0
        while offset < count {
            let written = _POSIX.writeBytes(fileDescriptor, output.baseAddress! + offset, count - offset)
            if written < 0 {
                if _POSIX.interrupted { continue }
                throw ChainwatchError(.storeFailure, "cannot write \(name): \(_POSIX.lastErrorText)", context: name)
            }
            offset += written
        }
    }
}

/// Whole-buffer LZ4 frame helpers for small payloads (tests, checkpoints).
public enum LZ4Frame {
    /// One LZ4 frame (with content checksum) holding `bytes`.
    ///
    /// - Complexity: O(n); allocates the worst-case bound once.
    public static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        let bound = LZ4F_compressFrameBound(bytes.count, &preferences)
        var output = [UInt8](repeating: 0, count: bound)
        let size = output.withUnsafeMutableBytes { destination in
            bytes.withUnsafeBytes { source in
                LZ4F_compressFrame(destination.baseAddress, bound, source.baseAddress, source.count, &preferences)
            }
        }
        precondition(LZ4F_isError(size) == 0, "LZ4F_compressFrame failed with a worst-case bound")
        output.removeLast(bound - size)
        return output
    }

    /// The decompressed content of one or more concatenated LZ4 frames.
    ///
    /// - Throws: `.truncatedInput` or `.corruptCompressedInput`.
    public static func decompress(_ bytes: [UInt8]) throws(ChainwatchError) -> [UInt8] {
        let source = try LZ4FrameSource(wrapping: MemoryByteSource(bytes), name: "memory")
        var result: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let count = try source.read(into: chunk)
            if count == 0 { return result }
            result.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[..<count]))
        }
    }
}
