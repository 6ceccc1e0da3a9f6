import FreezerVerify

/// Where a conversion or comparison is, for a progress display: the phase and, where the library can
/// count, how much of it is done.
///
/// Events can come often (every 4 MiB hashed, every node evaluated); a display throttles them.
public struct ProgressEvent: Sendable, Equatable {
    public enum Phase: Sendable, Hashable {
        /// Reading and decoding the model file (not counted: protobuf decodes it in one call).
        case load(path: String)
        /// SHA-256 of the model file and its data files, in bytes (`convert` computes it beside the
        /// passes and the verification, and reports it only when it has to wait for it).
        case digest(path: String)
        /// The freezing passes and the checks of the frozen model.
        case passes
        /// One of the three evaluations of the equivalence check, in nodes: each node runs for all the
        /// samples before the next.
        case verification(EquivalenceChecker.Stage, samples: Int)
        /// Writing the model and its data file, in bytes.
        case save(path: String)
        /// A step of a program freezer runs (`freezer export`'s driver), as that program names it.
        case external(program: String, step: String)
    }

    public enum Unit: String, Sendable {
        case bytes, nodes
    }

    /// `done` of `total` units; the total is nil when it is not known in advance.
    public struct Count: Sendable, Equatable {
        public var done: Int
        public var total: Int?
        public var unit: Unit
        public init(done: Int, total: Int?, unit: Unit) {
            self.done = done
            self.total = total
            self.unit = unit
        }
    }

    public var phase: Phase
    public var count: Count?

    public init(phase: Phase, count: Count? = nil) {
        self.phase = phase
        self.count = count
    }

    /// Fraction of the phase done; nil when no total is known.
    public var fraction: Double? {
        guard let count, let total = count.total, total > 0 else { return nil }
        return min(1, Double(count.done) / Double(total))
    }
}

/// The library's own callbacks (digest, save, equivalence check) turned into events.
enum ProgressEvents {
    static func digest(_ path: String, _ progress: Conversion.Progress?) -> (@Sendable (Int, Int) -> Void)? {
        bytes(.digest(path: path), progress)
    }

    static func save(_ path: String, _ progress: Conversion.Progress?) -> (@Sendable (Int, Int) -> Void)? {
        bytes(.save(path: path), progress)
    }

    private static func bytes(_ phase: ProgressEvent.Phase, _ progress: Conversion.Progress?) -> (@Sendable (Int, Int) -> Void)? {
        guard let progress else { return nil }
        return { done, total in progress(ProgressEvent(phase: phase, count: .init(done: done, total: total, unit: .bytes))) }
    }

    static func verification(_ progress: Conversion.Progress?) -> (@Sendable (EquivalenceChecker.Progress) -> Void)? {
        guard let progress else { return nil }
        return { @Sendable (p: EquivalenceChecker.Progress) in
            progress(ProgressEvent(phase: .verification(p.stage, samples: p.samples),
                                   count: p.nodes.map { .init(done: p.node, total: $0, unit: .nodes) }))
        }
    }
}
