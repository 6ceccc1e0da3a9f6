import Dispatch

/// Work started on another thread now and waited for where its result is needed (the input's digests,
/// computed beside the passes and the verification; one evaluation of the equivalence check beside the
/// others).
public final class Background<T: Sendable, Failure: Error>: @unchecked Sendable {
    // `result` is written once on the worker before `done` is signalled and read only after waiting.
    private var result: Result<T, Failure>?
    private let done = DispatchSemaphore(value: 0)

    public init(_ work: @escaping @Sendable () throws(Failure) -> T) {
        DispatchQueue.global(qos: .userInitiated).async {
            self.result = Result { () throws(Failure) -> T in try work() }
            self.done.signal()
        }
    }

    /// Waits for the work (at once if it finished) and returns its result or throws its error.
    public func value() throws(Failure) -> T {
        done.wait()
        done.signal() // later calls return at once
        return try result!.get()
    }
}
