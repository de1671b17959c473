#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX calls the IO module makes, named so they never collide with `read`/`write` methods
/// and so the platform import lives in one place.
enum _POSIX {
    static func openForReading(_ path: String) -> Int32 {
        open(path, O_RDONLY | O_CLOEXEC)
    }

    static func createForWriting(_ path: String) -> Int32 {
        open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    }

    static func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        read(descriptor, buffer, count)
    }

    static func writeBytes(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        write(descriptor, buffer, count)
    }

    static func closeDescriptor(_ descriptor: Int32) -> Int32 {
        close(descriptor)
    }

    static var interrupted: Bool { errno == EINTR }

    /// The current `errno` as text, e.g. "No such file or directory".
    static var lastErrorText: String { String(cString: strerror(errno)) }
}
