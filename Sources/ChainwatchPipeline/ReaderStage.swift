import ChainwatchCore
import ChainwatchIO
import Foundation
import Synchronization

/// What the reader thread hands to the scoring loop.
enum ReaderMessage: Sendable {
    /// Transactions in event order, plus the rows that could not be decoded since the last message.
    case batch(TxBatch, quarantine: [QuarantineRecord])
    case finished(ReaderTotals)
    case failed(ChainwatchError, ReaderTotals)
}

/// Counters of the sources → decode → reorder stage.
public struct ReaderTotals: Sendable, Equatable {
    public var rowsDecoded: Int64 = 0
    public var rowsQuarantined: Int64 = 0
    public var rowsLate: Int64 = 0
    public var recordsSkipped: Int64 = 0
    public var bytesRead: Int64 = 0
    public init() {}
}

/// Runs sources → decode → reorder on a thread of its own and feeds a bounded queue.
///
/// Inputs are read strictly one after another, so the event order the detectors see depends only on the
/// bytes of the inputs and the reorder window, never on timing.
final class ReaderStage: Sendable {
    let queue: BoundedQueue<ReaderMessage>
    private let cancelled = Atomic<Bool>(false)
    private let decodedBytes = Atomic<Int64>(0)
    /// Input bytes decoded so far (after decompression), for progress display.
    var bytesDecoded: Int64 { decodedBytes.load(ordering: .relaxed) }
    private let configuration: PipelineConfiguration

    init(configuration: PipelineConfiguration, queueCapacity: Int = 4) {
        self.configuration = configuration
        self.queue = BoundedQueue(capacity: queueCapacity)
    }

    func start() {
        let thread = Thread { [self] in self.main() }
        thread.name = "chainwatch-reader"
        thread.start()
    }

    /// Asks the thread to stop after its current batch.
    func cancel() { cancelled.store(true, ordering: .relaxed) }

    private var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    private func main() {
        var totals = ReaderTotals()
        var reorder = ReorderBuffer(windowBlocks: configuration.reorderWindowBlocks)
        let batchSize = configuration.batchSize
        var raw = TxBatch(capacity: batchSize)
        var ordered = TxBatch(capacity: batchSize)
        var quarantine: [QuarantineRecord] = []

        func send() {
            guard !ordered.isEmpty || !quarantine.isEmpty else { return }
            queue.push(.batch(ordered, quarantine: quarantine))
            ordered = TxBatch(capacity: batchSize)
            quarantine = []
        }

        do {
            for path in configuration.inputs {
                let reader = try TransactionReader(
                    path: path, format: configuration.format, maxLineBytes: configuration.maxLineBytes)
                var more = true
                while more, !isCancelled {
                    more = try reader.readBatch(into: &raw, maxRows: batchSize, quarantine: &quarantine)
                    decodedBytes.store(totals.bytesRead + reader.bytesConsumed, ordering: .relaxed)
                    reorder.push(raw, into: &ordered)
                    raw.removeAll()
                    if ordered.count >= batchSize || !more || !quarantine.isEmpty { send() }
                }
                totals.rowsDecoded += reader.rowsDecoded
                totals.rowsQuarantined += reader.rowsQuarantined
                totals.recordsSkipped += reader.recordsSkipped
                totals.bytesRead += reader.bytesConsumed
                if isCancelled { break }
            }
            reorder.flush(into: &ordered)
            totals.rowsLate = reorder.lateRows
            send()
            queue.push(.finished(totals))
        } catch {
            // Rows decoded before the failure are still scored and committed.
            reorder.flush(into: &ordered)
            totals.rowsLate = reorder.lateRows
            send()
            queue.push(.failed(error, totals))
        }
    }
}
