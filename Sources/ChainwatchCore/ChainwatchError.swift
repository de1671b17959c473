/// An error that stops a command: a bad header, an unreadable file, a schema or model mismatch.
///
/// A bad *row* is never a `ChainwatchError`: it becomes a ``QuarantineRecord`` and the stream goes on.
/// `code` is a struct wrapping a private enum so that new codes break nobody's `switch`.
///
///     do { try source.open() }
///     catch let error as ChainwatchError where error.code == .unreadableInput { … }
public struct ChainwatchError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unreadableInput, badHeader, unknownFormat, truncatedInput, corruptCompressedInput
            case storeUnavailable, schemaMismatch, storeFailure
            case modelMismatch, badModelFile, invalidArgument, interrupted
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A file or stream could not be opened or read.
        public static let unreadableInput = Code(.unreadableInput)
        /// The first line is recognizable but lacks a required column.
        public static let badHeader = Code(.badHeader)
        /// The first record matches no known input format.
        public static let unknownFormat = Code(.unknownFormat)
        /// A compressed input ended in the middle of a frame.
        public static let truncatedInput = Code(.truncatedInput)
        /// A compressed input failed to decode (bad magic, checksum, block).
        public static let corruptCompressedInput = Code(.corruptCompressedInput)
        /// The database could not be opened (missing directory, permissions, locked beyond the timeout).
        public static let storeUnavailable = Code(.storeUnavailable)
        /// The database was written by a newer chainwatch.
        public static let schemaMismatch = Code(.schemaMismatch)
        /// A statement failed while writing or reading the database.
        public static let storeFailure = Code(.storeFailure)
        /// A model was trained on a different feature catalogue.
        public static let modelMismatch = Code(.modelMismatch)
        /// A model file is missing, unreadable or of an unknown version.
        public static let badModelFile = Code(.badModelFile)
        /// A command-line value or a configuration file is out of range.
        public static let invalidArgument = Code(.invalidArgument)
        /// The run stopped on SIGINT/SIGTERM after committing what it had.
        public static let interrupted = Code(.interrupted)

        public var description: String { base.rawValue }

        /// The process exit status the CLI uses for this code (documented in the README).
        public var exitStatus: Int32 {
            switch base {
            case .invalidArgument: 64
            case .unreadableInput, .badHeader, .unknownFormat: 66
            case .truncatedInput, .corruptCompressedInput: 65
            case .storeUnavailable, .schemaMismatch, .storeFailure: 74
            case .modelMismatch, .badModelFile: 78
            case .interrupted: 130
            }
        }
    }

    public var code: Code
    public var message: String
    /// Where it happened: a path, a line number, a byte offset, an SQL statement.
    public var context: String?
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, context: String? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.context = context
        self.cause = cause
    }

    /// One line, suitable for stderr: `message (context): cause`.
    public var description: String {
        var line = message
        if let context { line += " (\(context))" }
        if let cause { line += ": \(cause)" }
        return line
    }
}
