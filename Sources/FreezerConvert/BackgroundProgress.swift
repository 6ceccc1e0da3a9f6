import Synchronization

/// Progress of work on another thread (the digests beside the passes and the verification): kept quiet
/// while the main path reports its own phases, so a display shows one phase at a time, and passed on
/// from when the main path waits for the work.
final class BackgroundProgress: Sendable {
    private let report: Conversion.Progress?
    private let state = Mutex<(latest: ProgressEvent?, waited: Bool)>((nil, false))

    init(_ report: Conversion.Progress?) { self.report = report }

    /// The worker's callback.
    var record: Conversion.Progress? {
        guard report != nil else { return nil }
        // Reported under the lock, so the worker's next event cannot overtake the one `waiting` shows.
        return { [self] event in
            state.withLock { s in
                s.latest = event
                if s.waited { report?(event) }
            }
        }
    }

    /// The main path now waits for the work: shows where it is, unless it is done.
    func waiting() {
        state.withLock { s in
            s.waited = true
            if let latest = s.latest, latest.fraction != 1 { report?(latest) }
        }
    }
}
