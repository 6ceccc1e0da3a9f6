import Foundation
import FreezerKernels
import FreezerLog

/// The Tool Qualification Report: what `freezer qualify` measured, as plain Codable values (its JSON
/// form is `--format json`); the documents are rendered from it.
public struct QualificationReport: Sendable, Codable, Equatable {
    public static let schema = "freezer.tool-qualification-report"
    public static let schemaVersion = 1

    public var schema: String
    public var schemaVersion: Int
    public var date: String
    public var identity: ToolIdentity
    public var requirements: [Requirement]
    public var tests: [CheckResult]
    public var faultInjection: [FaultInjection.Row]
    public var limitations: [KnownLimitation]
    /// The operators the reference evaluator runs (`domain::Op`, default domain bare): any other cannot
    /// be verified, so its conversion is refused (REF-CANNOT-EVALUATE).
    public var evaluatorOperators: [String]
    public var confidence: ConfidenceArgument
    public var matrix: [MatrixRow]
    public var summary: Summary
    /// SHA-256 of the canonical record (everything above), as a log's `recordDigest`.
    public var recordDigest: String?
    public var signatures: [Signature]

    /// One requirement's tests and their outcome.
    public struct MatrixRow: Sendable, Codable, Equatable {
        public enum Outcome: String, Sendable, Codable { case passed, failed, untested }
        public var requirement: String
        public var area: Requirement.Area
        public var tests: [String]
        public var outcome: Outcome
    }

    public struct Summary: Sendable, Codable, Equatable {
        public struct AreaCount: Sendable, Codable, Equatable {
            public var area: Requirement.Area
            public var requirements: Int
            public var passed: Int
        }
        public var passed: Bool
        public var requirements: Int
        public var tests: Int
        public var failedTests: [String]
        /// Requirements with a failed test, then requirements with none (gaps).
        public var failedRequirements: [String]
        public var untestedRequirements: [String]
        public var byArea: [AreaCount]
        public var seconds: Double
    }

    public init(date: String, identity: ToolIdentity, requirements: [Requirement], tests: [CheckResult], faultInjection: [FaultInjection.Row],
                seconds: Double) {
        schema = Self.schema
        schemaVersion = Self.schemaVersion
        self.date = date
        self.identity = identity
        self.requirements = requirements
        self.tests = tests
        self.faultInjection = faultInjection
        limitations = KnownLimitation.generated()
        evaluatorOperators = KernelRegistry.standard.supportedOperators
        let matrix = Self.matrix(requirements, tests)
        self.matrix = matrix
        let failedTests = tests.filter { !$0.passed }.map(\.id)
        let failed = matrix.filter { $0.outcome == .failed }.map(\.requirement)
        let untested = matrix.filter { $0.outcome == .untested }.map(\.requirement)
        let summary = Summary(passed: failedTests.isEmpty && untested.isEmpty, requirements: requirements.count, tests: tests.count,
                          failedTests: failedTests, failedRequirements: failed + untested, untestedRequirements: untested,
                          byArea: Requirement.Area.allCases.map { area in
                              let rows = matrix.filter { $0.area == area }
                              return .init(area: area, requirements: rows.count, passed: rows.filter { $0.outcome == .passed }.count)
                          }, seconds: seconds)
        self.summary = summary
        confidence = ConfidenceArgument.claim(faults: faultInjection, allTestsPassed: summary.passed)
        recordDigest = nil
        signatures = []
    }

    /// Requirement → the tests that name it → passed when all of them passed (untested with none).
    static func matrix(_ requirements: [Requirement], _ tests: [CheckResult]) -> [MatrixRow] {
        requirements.map { r in
            let mine = tests.filter { $0.requirements.contains(r.id) }
            let outcome: MatrixRow.Outcome = mine.isEmpty ? .untested : mine.allSatisfy(\.passed) ? .passed : .failed
            return MatrixRow(requirement: r.id, area: r.area, tests: mine.map(\.id), outcome: outcome)
        }
    }

    /// The canonical bytes the record digest and signatures cover: the report without them, keys sorted.
    public func canonicalRecord() throws -> Data {
        var record = self
        record.recordDigest = nil
        record.signatures = []
        let encoder = Self.encoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(record)
    }

    /// The JSON file: pretty, sorted keys, deterministic for the same values.
    public func json() throws -> Data {
        let encoder = Self.encoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// A fault the check refuses without a finite error ratio has ratio +inf: written as the string "inf".
    static let nonFinite = (positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: nonFinite.positiveInfinity,
                                                                      negativeInfinity: nonFinite.negativeInfinity, nan: nonFinite.nan)
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: nonFinite.positiveInfinity,
                                                                        negativeInfinity: nonFinite.negativeInfinity, nan: nonFinite.nan)
        return decoder
    }
}
