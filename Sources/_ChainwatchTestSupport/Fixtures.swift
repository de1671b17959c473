import ChainwatchCore
import Foundation
import Synchronization

/// Paths to the shipped sample streams and helpers for temporary files, shared by every test target.
public enum Fixtures {
    /// The repository root, found from this file's location.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0 ..< 3 { url.deleteLastPathComponent() }
        return url
    }()

    public static func sample(_ relativePath: String) -> String {
        repositoryRoot.appendingPathComponent("SampleStreams").appendingPathComponent(relativePath).path
    }

    /// 298 transactions of blocks 17173049–17173050, ethereum-etl CSV.
    public static var ethereumCSV: String { sample("ethereum/transactions_17173049_17173050.csv") }
    /// The same 298 transactions as batch-export JSON lines.
    public static var ethereumJSONL: String { sample("ethereum/transactions_17173049_17173050.jsonl") }
    /// The same 298 transactions as `ethereumetl stream` JSON lines (with receipt fields).
    public static var ethereumStreamJSONL: String { sample("ethereum/stream_transactions_with_receipts_17173049_17173050.jsonl") }
    /// 199 transactions of blocks 10500400–10500401.
    public static var ethereumCSV2020: String { sample("ethereum/transactions_10500400_10500401.csv") }
    /// 19,999 transactions of 2017, out of block order, CRLF, LZ4 frame.
    public static var ethereumUnorderedLZ4: String { sample("ethereum/transactions_03300000_03302204_unordered.csv.lz4") }

    /// A fresh empty directory under the system temporary directory, removed with its contents when the
    /// test process exits (tests run in parallel and outlive no suite value that could remove it sooner).
    public static func makeTemporaryDirectory(_ label: String = "chainwatch") -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        _ = removalAtExit
        temporaryDirectories.withLock { $0.append(url) }
        return url
    }
}

/// Directories ``Fixtures/makeTemporaryDirectory(_:)`` made in this process.
private let temporaryDirectories = Mutex<[URL]>([])

/// Registers, once, the removal of ``temporaryDirectories`` at process exit.
private let removalAtExit: Void = {
    atexit {
        for url in temporaryDirectories.withLock({ $0 }) { try? FileManager.default.removeItem(at: url) }
    }
}()

/// The tests' seeded generator: the product's own SplitMix64, so fixtures are repeatable everywhere.
public typealias SeededGenerator = SplitMix64
