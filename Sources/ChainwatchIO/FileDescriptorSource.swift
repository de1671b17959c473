import ChainwatchCore

/// Reads a file descriptor with POSIX `read(2)`: a file opened by path, stdin (fd 0) or a pipe.
///
/// The caller supplies the buffer (the reader uses 1 MiB), so there is no copy beyond the kernel's.
/// Closes the descriptor on deinit when it owns it. Not `Sendable`: one reader at a time.
public final class FileDescriptorSource: ByteSource {
    public let fileDescriptor: Int32
    /// The path or `-`, used in error messages.
    public let name: String
    private let closesOnDeinit: Bool

    /// Wraps an open descriptor (stdin, a pipe's read end). `closesOnDeinit` hands ownership over.
    public init(fileDescriptor: Int32, name: String, closesOnDeinit: Bool) {
        self.fileDescriptor = fileDescriptor
        self.name = name
        self.closesOnDeinit = closesOnDeinit
    }

    /// Opens `path` read-only.
    ///
    /// - Throws: `.unreadableInput` naming the path and the system's reason (missing file, permissions).
    public convenience init(path: String) throws(ChainwatchError) {
        let descriptor = _POSIX.openForReading(path)
        guard descriptor >= 0 else {
            throw ChainwatchError(.unreadableInput, "cannot open input \(path): \(_POSIX.lastErrorText)", context: path)
        }
        self.init(fileDescriptor: descriptor, name: path, closesOnDeinit: true)
    }

    deinit {
        if closesOnDeinit { _ = _POSIX.closeDescriptor(fileDescriptor) }
    }

    /// One `read(2)`, retried on `EINTR`.
    ///
    /// - Throws: `.unreadableInput` (e.g. `EISDIR` for a directory, `EIO`).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ChainwatchError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = _POSIX.readBytes(fileDescriptor, base, buffer.count)
            if count >= 0 { return count }
            if _POSIX.interrupted { continue }
            throw ChainwatchError(.unreadableInput, "cannot read input \(name): \(_POSIX.lastErrorText)", context: name)
        }
    }
}
