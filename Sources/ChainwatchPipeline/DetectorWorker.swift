import ChainwatchCore
import ChainwatchModels
import Foundation

/// A group of detectors on a thread of their own: while the scoring thread runs the other detectors and
/// the model on a batch, these score the same batch.
///
/// Detectors are independent (none reads another's alerts; the model learns only from its own), so the
/// split changes nothing but wall time: the scoring stage hands over each batch with ``submit(_:)``,
/// runs its own detectors, and takes this group's alerts back with ``collect()`` before the next batch,
/// then orders all alerts by row and detector as before. Each detector still sees every batch, in order.
///
/// The detectors are created on the worker thread and never leave it; only the batch (a value) and the
/// alerts cross threads, through two one-slot queues.
final class DetectorWorker: Sendable {
    private let requests = BoundedQueue<DetectionInput?>(capacity: 1)
    private let results = BoundedQueue<[Alert]>(capacity: 1)

    /// Starts the thread; `makeDetectors` runs on it, once.
    init(name: String, makeDetectors: @escaping @Sendable () -> [any Detector]) {
        let thread = Thread { [requests, results] in
            var detectors = makeDetectors()
            while let input = Self.wait(for: requests) {
                // The batch is released before the alerts go back, so the scoring thread's next write to
                // its feature matrix finds the buffer unshared and does not copy it.
                let alerts = Self.run(&detectors, on: consume input)
                results.push(alerts)
            }
        }
        thread.name = name
        thread.start()
    }

    /// Hands `input` to the detectors; call ``collect()`` before the next `submit`.
    func submit(_ input: DetectionInput) { requests.push(input) }

    /// The alerts the detectors raised on the last submitted batch, in detector order (waits for them).
    func collect() -> [Alert] { Self.wait(for: results) }

    /// Ends the thread after the batch it is working on (`nil` is the stop request; the worker is not
    /// used afterwards).
    func stop() { requests.push(nil) }

    private static func run(_ detectors: inout [any Detector], on input: DetectionInput) -> [Alert] {
        var alerts: [Alert] = []
        for index in detectors.indices { detectors[index].process(input, alerts: &alerts) }
        return alerts
    }

    private static func wait<Element>(for queue: BoundedQueue<Element>) -> Element {
        while true {
            if let element = queue.pop(timeout: .seconds(1)) { return element }
        }
    }
}
