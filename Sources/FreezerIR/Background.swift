import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How work runs beside the rest of the process.
public enum BackgroundPriority: Sendable {
    /// On a shared worker thread, as the rest.
    case standard
    /// On a thread of its own at a lower scheduling priority (nice + `yieldingNiceIncrement`, Linux's
    /// per-thread nice value), which ends with the work: it takes the cores the process's other threads
    /// leave. The verification yields to the save beside it, which keeps the disk busy with little CPU;
    /// every result is the same, only the order in which the cores serve the two changes.
    case yielding
    /// The nice value a `.yielding` thread adds to its own.
    public static let yieldingNiceIncrement: Int32 = 10
}

/// Work started on another thread now and waited for where its result is needed (the input's digests,
/// computed beside the passes and the verification; one evaluation of the equivalence check beside the
/// others).
public final class Background<T: Sendable, Failure: Error>: @unchecked Sendable {
    // `result` is written once on the worker before `done` is signalled and read only after waiting.
    private var result: Result<T, Failure>?
    private let done = DispatchSemaphore(value: 0)

    public init(priority: BackgroundPriority = .standard, _ work: @escaping @Sendable () throws(Failure) -> T) {
        let run = { @Sendable in
            self.result = Result { () throws(Failure) -> T in try work() }
            self.done.signal()
        }
        if priority == .yielding, Self.startYieldingThread(run) { return }
        DispatchQueue.global(qos: .userInitiated).async(execute: run)
    }

    /// Waits for the work (at once if it finished) and returns its result or throws its error.
    public func value() throws(Failure) -> T {
        done.wait()
        done.signal() // later calls return at once
        return try result!.get()
    }

    /// Starts `run` on a new detached thread that lowers its own priority first; false when no thread
    /// could be made (the work then runs as standard).
    private static func startYieldingThread(_ run: @escaping @Sendable () -> Void) -> Bool {
        #if os(Linux)
        let box = Unmanaged.passRetained(YieldingWork(run)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        pthread_attr_setstacksize(&attributes, 8 << 20) // the main thread's usual size, whatever the limit says
        var thread = pthread_t()
        let started = pthread_create(&thread, &attributes, { pointer in
            let work = Unmanaged<YieldingWork>.fromOpaque(pointer!).takeRetainedValue()
            // who = 0 is the calling thread: on Linux the nice value belongs to each thread.
            errno = 0
            let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            if errno == 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, min(19, current + BackgroundPriority.yieldingNiceIncrement)) }
            work.run()
            return nil
        }, box)
        if started != 0 { Unmanaged<YieldingWork>.fromOpaque(box).release() }
        return started == 0
        #else
        return false
        #endif
    }
}

private final class YieldingWork {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}
