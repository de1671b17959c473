#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Set by SIGINT / SIGTERM; the scoring loop checks it between batches, commits what it has and stops.
///
/// The handler only stores to an atomic (async-signal-safe). A second signal while stopping exits at once.
public enum InterruptFlag {
    private static let raised = Atomic<Int>(0)

    public static var isRaised: Bool { raised.load(ordering: .relaxed) > 0 }

    /// Installs the handlers (idempotent). Also ignores SIGPIPE so `chainwatch alerts | head` ends cleanly.
    public static func install() {
        signal(SIGPIPE, SIG_IGN)
        // A parent may have spawned us with these blocked (some supervisors and test runners do).
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        for number in [SIGINT, SIGTERM] {
            signal(number) { _ in
                if InterruptFlag.raised.add(1, ordering: .relaxed).newValue > 1 { _exit(130) }
            }
        }
    }

    /// For tests: raise or clear the flag without a signal.
    public static func set(_ value: Bool) {
        raised.store(value ? 1 : 0, ordering: .relaxed)
    }
}
