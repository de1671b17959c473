import ChainwatchCore
import Foundation

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

    /// A fresh empty directory under the system temporary directory.
    public static func makeTemporaryDirectory(_ label: String = "chainwatch") -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The tests' seeded generator: the product's own SplitMix64, so fixtures are repeatable everywhere.
public typealias SeededGenerator = SplitMix64
