import FreezerExport

/// freezer's claim about the confidence a safety project may place in it, for the assessor to confirm:
/// ISO 26262-8 clause 11 (tool impact, tool error detection, tool confidence level) and the IEC 61508-3
/// tool class, with the conditions of use the claim relies on.
public struct ConfidenceArgument: Sendable, Codable, Equatable {
    public var toolImpact: String
    public var toolErrorDetection: String
    public var toolConfidenceLevel: String
    public var iec61508ToolClass: String
    public var argument: [String]
    public var conditionsOfUse: [String]

    /// The claim, given the fault-injection results of this run: TD1 only when every injected fault
    /// was detected and every correct conversion accepted.
    public static func claim(faults: [FaultInjection.Row], allTestsPassed: Bool) -> ConfidenceArgument {
        let injected = faults.filter { $0.fault != nil }
        let detected = injected.filter(\.detected).count
        let allDetected = !injected.isEmpty && detected == injected.count && faults.allSatisfy(\.asExpected)
        let td = allDetected && allTestsPassed ? "TD1" : "not established (see the failed tests)"
        return ConfidenceArgument(
            toolImpact: "TI2: the frozen model freezer writes becomes part of the product; an error in it can introduce or fail to reveal a malfunction.",
            toolErrorDetection: "\(td): every conversion is followed by freezer's independent equivalence check, which evaluates the verified learning model itself (not the rewritten graph) in float64 and its own precision; \(detected) of \(injected.count) injected conversion faults were detected on this machine.",
            toolConfidenceLevel: allDetected && allTestsPassed ? "TCL1 (ISO 26262-8 Table 3: TI2 with TD1), no further tool qualification method required for that level" : "not claimed: qualification failed on this machine",
            iec61508ToolClass: "T3 (IEC 61508-3 3.2.11: the tool's output becomes part of the executable system); 7.4.4.5 evidence of conformance to the specification is this report: the specification with its requirements, the tests of each on this machine, and the fault-injection results.",
            argument: [
                "The specification is generated from the source's own documentation (pass Before/After/Conditions/Formula, refusal rules, the criterion), so it describes the code that ran.",
                "Each requirement is checked on this machine by tests on models built by freezer's own code; a requirement without a test fails qualification.",
                "A conversion error that changes what the model computes is refused by the equivalence check (exit 4) before anything is written; the fault-injection table measures this.",
                "The fault-injection evidence does not depend on the passes it guards: its correct frozen models are built by the suite's own fold formula, so a broken pass fails its own requirement and leaves the error-detection claim to the check itself.",
                "What the check cannot see (a faulty evaluator that is wrong in the same way on both models) is limited by evaluating the original, not the rewritten graph, and in float64 as well as its own precision.",
            ],
            conditionsOfUse: [
                "Verification is not disabled (no --no-verify), and every log used as evidence states verdict equivalent.",
                "The default criterion is used, or a declared --rtol/--atol is justified in the review of the log.",
                "Equivalence inputs are representative of the operational input distribution where it matters (--inputs DIR), otherwise the seeded random inputs are accepted in the review.",
                "The conversion log is reviewed and approved (log review / approve), and `freezer verify` passes on the frozen model, its data files and the approved log.",
                "The freezer executable and libraries in use have the SHA-256 digests listed in this report's tool identity; qualification is repeated after any change of version, build or machine.",
                "The limitations listed in this report are accepted for the models converted.",
            ] + ExportError.outsideQualifiedScope.map {
                "For frozen models made by freezer export, outside the qualified scope and accepted in the review of each export's log: \($0.subject)."
            })
    }
}
