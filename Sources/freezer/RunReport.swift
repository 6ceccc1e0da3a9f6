import Foundation
import FreezerKernels

/// What `freezer run` found, printed as text or, with `--json`, as this structure.
struct RunReport: Codable {
    var model: String
    /// "test-data" or "inputs".
    var mode: String
    var inferenceSemantics: Bool
    var tolerance: ToleranceJSON?
    /// Test-data mode: whether every output of every data set is within tolerance.
    var passed: Bool?
    var dataSets: [DataSetResult]?
    /// Inputs mode: the computed outputs.
    var outputs: [OutputInfo]?
    var latency: Latency?
    /// With --profile: time per operator type.
    var profile: Profile?

    struct ToleranceJSON: Codable {
        var rtol: Double
        var atol: Double
    }

    struct DataSetResult: Codable {
        var directory: String
        var passed: Bool
        /// Which file gave which input (the binding rule of `FeedDirectory`).
        var inputs: [InputFile]
        var outputs: [ComparedOutput]
    }

    struct InputFile: Codable {
        var name: String
        var file: String
    }

    struct ComparedOutput: Codable {
        var name: String
        var type: String
        var expectedType: String
        var passed: Bool
        /// Shape or element type differ; the error fields are then not meaningful.
        var problem: String?
        var maxAbsError: Double
        var maxRelError: Double
        var mismatches: Int
        var count: Int
        var worstIndex: Int?
        var worstActual: Double?
        var worstExpected: Double?
        var summary: String
    }

    struct OutputInfo: Codable {
        var name: String
        var type: String
        /// Where `--save-outputs` wrote it.
        var file: String?
        /// The first values, for a glance (at most 8).
        var firstValues: [Double]
    }

    /// Time of `Interpreter.run` alone (model loading, input reading and output writing excluded),
    /// over `runs` runs after `warmUpRuns` untimed ones.
    struct Latency: Codable {
        var runs: Int
        /// Untimed runs before the timed ones (see `RunCommand.time`).
        var warmUpRuns: Int
        var medianMs: Double
        var minMs: Double
        var meanMs: Double
    }

    /// Where the time of the profiled runs went. Node times exclude the evaluator's own bookkeeping
    /// between nodes, which is reported as the difference to the measured total.
    struct Profile: Codable {
        struct Operator: Codable {
            var opType: String
            var nodesPerRun: Double
            var msPerRun: Double
            /// Share of the measured run time.
            var share: Double
        }
        var runs: Int
        var msPerRun: Double
        var nodesMsPerRun: Double
        var operators: [Operator]

        init(_ profile: RunProfile, totalMs: Double) {
            let runs = max(1, profile.runs)
            self.runs = profile.runs
            msPerRun = totalMs / Double(runs)
            nodesMsPerRun = profile.totalSeconds * 1e3 / Double(runs)
            operators = profile.operators.map {
                let ms = $0.seconds * 1e3 / Double(runs)
                return Operator(opType: $0.opType, nodesPerRun: Double($0.calls) / Double(runs), msPerRun: ms,
                                share: totalMs > 0 ? ms * Double(runs) / totalMs : 0)
            }
        }
    }

    var text: String {
        var lines: [String] = []
        if let dataSets, let tolerance {
            let width = dataSets.flatMap(\.outputs).map(\.name.count).max() ?? 0
            let typeWidth = dataSets.flatMap(\.outputs).map(\.type.count).max() ?? 0
            for set in dataSets {
                lines.append(set.directory)
                for o in set.outputs {
                    lines.append("  \(o.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(o.type.padding(toLength: typeWidth, withPad: " ", startingAt: 0))  \(o.summary)")
                }
            }
            let outputs = dataSets.flatMap(\.outputs)
            let failed = outputs.filter { !$0.passed }.count
            let where_ = "rtol \(tolerance.rtol), atol \(tolerance.atol)"
            lines.append(failed == 0
                ? "PASS: all \(outputs.count) outputs of \(dataSets.count) data set\(dataSets.count == 1 ? "" : "s") within tolerance (\(where_))"
                : "FAIL: \(failed) of \(outputs.count) outputs outside tolerance (\(where_))")
        }
        if let outputs {
            let width = outputs.map(\.name.count).max() ?? 0
            let typeWidth = outputs.map(\.type.count).max() ?? 0
            for o in outputs {
                let values = o.firstValues.map { OutputComparisonFormat.short($0) }.joined(separator: ", ")
                lines.append("\(o.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(o.type.padding(toLength: typeWidth, withPad: " ", startingAt: 0))  [\(values)\(o.firstValues.count == 8 ? ", ..." : "")]" + (o.file.map { "  -> \($0)" } ?? ""))
            }
        }
        if let latency {
            lines.append(String(format: "latency (Interpreter.run only, %d runs after %d warm-up runs): median %.3f ms, min %.3f ms",
                                latency.runs, latency.warmUpRuns, latency.medianMs, latency.minMs))
        }
        if let profile {
            lines.append(String(format: "profile (%d run%@, %.3f ms per run, of which nodes %.3f ms):", profile.runs,
                                profile.runs == 1 ? "" : "s", profile.msPerRun, profile.nodesMsPerRun))
            let width = max(8, profile.operators.map(\.opType.count).max() ?? 0)
            lines.append("  " + "operator".padding(toLength: width, withPad: " ", startingAt: 0) + "   nodes    ms/run   share")
            for op in profile.operators {
                lines.append("  " + op.opType.padding(toLength: width, withPad: " ", startingAt: 0)
                             + String(format: " %7.1f %9.3f %6.1f%%", op.nodesPerRun, op.msPerRun, op.share * 100))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Short numbers for the text report.
enum OutputComparisonFormat {
    static func short(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: "%.6g", x)
    }
}
