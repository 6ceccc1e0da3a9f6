import Foundation
import FreezerConvert
import FreezerLog

/// What `convert` prints: the identity of both models, what changed by category, and the verdict.
struct ConversionSummary: Encodable {
    var conversionID: String
    var frozenModel: String
    var frozenSHA256: String
    var log: String
    var recordDigest: String
    var verifiedLearningModelID: String
    var inputSHA256: String
    var nodesBefore: Int
    var nodesAfter: Int
    var categories: [Category]
    var equivalence: String
    var outputs: [OutputComparison]
    /// The criterion that decided, as the log records it.
    var criterion: EquivalenceCriterionInfo?
    /// Wall time of each phase.
    var phases: [PhaseTiming]
    /// The equivalence report as text (not part of the JSON: `outputs` holds the same figures).
    private var equivalenceText: String?

    private enum CodingKeys: String, CodingKey {
        case conversionID, frozenModel, frozenSHA256, log, recordDigest, verifiedLearningModelID, inputSHA256, nodesBefore, nodesAfter,
             categories, equivalence, outputs, criterion, phases
    }

    struct Category: Encodable {
        var name: String
        var status: String
        var summary: String
    }

    init(_ outcome: Conversion.Outcome) {
        let log = outcome.log
        let c = log.modelConversion
        conversionID = c.modelConversionID
        frozenModel = outcome.saved.path
        frozenSHA256 = outcome.saved.sha256
        self.log = outcome.logPath
        recordDigest = log.recordDigest ?? ""
        verifiedLearningModelID = c.verifiedLearningModelID
        inputSHA256 = c.verifiedLearningModel.sha256
        nodesBefore = log.frozenModel.nodeCountsBefore.values.reduce(0, +)
        nodesAfter = log.frozenModel.nodeCountsAfter.values.reduce(0, +)
        categories = c.eliminationOfTrainingSpecificOperations.map { Category(name: $0.name, status: $0.status, summary: $0.summary) }
        equivalence = log.equivalence.verdict
        outputs = log.equivalence.outputs
        criterion = log.equivalence.criterion
        equivalenceText = outcome.equivalence?.text()
        phases = outcome.phases
    }

    var text: String {
        var s = "Converted \(verifiedLearningModelID) (sha256 \(inputSHA256.prefix(16))…)\n"
        s += "  conversion ID  \(conversionID)\n"
        s += "  frozen model   \(frozenModel)  sha256 \(frozenSHA256)\n"
        s += "  log            \(log)  record digest \(recordDigest.prefix(16))…\n"
        s += "  nodes          \(nodesBefore) → \(nodesAfter)\n\n"
        s += "Elimination of training-specific operations:\n"
        for c in categories { s += "  \(c.name): \(c.status). \(c.summary)\n" }
        s += "\n" + (equivalenceText ?? "Equivalence: \(equivalence)\n")
        s += "\nTime: " + phases.map { "\($0.phase) \(String(format: "%.2f", $0.seconds)) s\($0.inParallel == true ? " (in parallel)" : "")" }
            .joined(separator: ", ") + String(format: "; total %.2f s\n", phases.filter { $0.inParallel != true }.reduce(0) { $0 + $1.seconds })
        return s
    }
}
