/// Where evaluation time goes, per operator type: filled by `Interpreter.run(_:outputs:profile:)` and
/// shown by `freezer run --profile`. Time of a node with subgraphs (If, Loop, Scan) includes its bodies.
public final class RunProfile {
    public struct OperatorTime: Sendable, Equatable {
        /// `domain::OpType`, or `OpType` in the default domain.
        public let opType: String
        /// Nodes of this type that ran, summed over runs.
        public var calls: Int
        public var seconds: Double
    }

    /// Runs recorded.
    public private(set) var runs = 0
    private var totals: [String: OperatorTime] = [:]

    public init() {}

    /// Per operator type, most time first (ties by name, so the order is stable).
    public var operators: [OperatorTime] {
        totals.values.sorted { $0.seconds != $1.seconds ? $0.seconds > $1.seconds : $0.opType < $1.opType }
    }

    /// Time of every recorded node, summed over runs.
    public var totalSeconds: Double { totals.values.reduce(0) { $0 + $1.seconds } }

    func record(_ opType: String, seconds: Double) {
        totals[opType, default: OperatorTime(opType: opType, calls: 0, seconds: 0)].calls += 1
        totals[opType]!.seconds += seconds
    }

    func finishRun() { runs += 1 }
}
