import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerLog

/// A log with every optional field set, so encoding it shows every key the Swift types can write.
func fullSampleLog() -> ConversionLog {
    var log = sampleLog()
    let signature = Signature(signer: "Q", publicKey: "k", keyFingerprint: String(repeating: "b", count: 64), documentVersion: "0.1",
                              recordDigest: String(repeating: "c", count: 64), signature: "s", date: "d")
    log.history[0].signature = signature
    log.history[0].selfApproval = false
    log.signatures = [signature]
    log.recordDigest = String(repeating: "d", count: 64)
    log.modelConversion.loadingAndConverting.environmentInformation.hostName = "host"
    log.modelConversion.loadingAndConverting.converter.configurationFile = ConfigurationFile(path: "c", sha256: String(repeating: "e", count: 64), content: "x")
    log.modelConversion.loadingAndConverting.converter.options = [OptionValue(name: "--seed", value: "0", isDefault: true)]
    log.modelConversion.loadingAndConverting.converter.recordedOptions = sampleRecordedOptions()
    log.modelConversion.loadingAndConverting.converter.pipeline = [PipelineStep(pass: "p", summary: "s", parameters: ["a": "b"])]
    log.modelConversion.loadingAndConverting.packagesAndVersion.libraries = [PackageVersion(name: "n", version: "v", detail: "d")]
    log.modelConversion.verifiedLearningModel.dataFiles = [DataFileInfo(location: "m.data", sha256: String(repeating: "f", count: 64), size: 1)]
    log.modelConversion.eliminationOfTrainingSpecificOperations[0].found = [FoundItem(graph: "main", node: "n", opType: "Dropout", state: "training", detail: "d")]
    log.modelConversion.eliminationOfTrainingSpecificOperations[0].changes = [ChangeItem(pass: "p", graph: "main", nodes: ["n"], action: "removed", detail: "d", evidence: ["k": "v"])]
    log.modelConversion.eliminationOfTrainingSpecificOperations[0].skips = [SkipItem(pass: "p", graph: "main", node: "n", reason: "r")]
    log.frozenModel.metadata = ["freezer.conversion_id": "MC-0123456789abcdef"]
    log.equivalence.samples = [EquivalenceSample(source: "random", inputs: ["x: float32[1,3]"])]
    log.equivalence.inputShapes = ["x": [1, 3]]
    log.equivalence.inputRanges = ["ids": [0, 1000]]
    log.equivalence.outputs = [OutputComparison(name: "y", type: "float32[1,2]", rtol: 1e-4, atol: 1e-5, elementsCompared: 2, maxAbsError: 0,
                                                maxRelError: 0, meanAbsError: 0, outsideTolerance: 0)]
    let errors = ErrorStatisticsRecord(count: 2, maxAbs: 1e-7, maxRel: 1e-7, meanAbs: 5e-8, rms: 6e-8, p999: 1e-7, nonFinite: 0,
                                       histogram: ErrorHistogramRecord(firstDecade: -8, counts: [2], zeros: 0, nonFinite: 0))
    log.equivalence.outputs[0].rule = "asExactAsOriginal"
    log.equivalence.outputs[0].passed = true
    log.equivalence.outputs[0].reason = "as exact as the original"
    log.equivalence.outputs[0].frozenVsExact = errors
    log.equivalence.outputs[0].originalVsExact = errors
    log.equivalence.outputs[0].frozenVsOriginal = errors
    log.equivalence.outputs[0].boundMaxAbs = 1e-6
    log.equivalence.outputs[0].boundRMS = 1e-6
    log.equivalence.outputs[0].boundRatio = 0.1
    log.equivalence.outputs[0].roundingTies = 0
    log.equivalence.criterion = EquivalenceCriterionInfo(name: "declaredTolerance", reason: "r", rule: "x", errorFactor: 4, floorULPs: 4,
                                                         rtol: 1e-4, atol: 1e-5, evaluations: "e")
    log.equivalence.defaults = ["x: batch = 1"]
    log.warnings = ["w"]
    log.phases = [PhaseTiming(phase: "load", seconds: 0.5), PhaseTiming(phase: "digest", seconds: 0.2, inParallel: true)]
    log.modelConversion.loadingAndConverting.export = sampleExport()
    // Keras's check records where it found each weight.
    log.modelConversion.loadingAndConverting.export?.parameterCheck.matches = [
        ParameterMatch(tensor: "conv/kernel", initializer: "conv/ReadVariableOp:0", transform: "transposed [3, 2, 0, 1]"),
    ]
    return log
}

/// docs/conversion-log.schema.json must describe exactly what the Swift types encode, so they cannot drift.
@Suite("JSON Schema file")
struct SchemaFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func schema() throws -> [String: Any] {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("docs/conversion-log.schema.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Follows `$ref` into `$defs`.
    func resolve(_ node: [String: Any], in root: [String: Any]) -> [String: Any] {
        guard let ref = node["$ref"] as? String, ref.hasPrefix("#/$defs/") else { return node }
        let defs = root["$defs"] as? [String: Any] ?? [:]
        return defs[String(ref.dropFirst("#/$defs/".count))] as? [String: Any] ?? [:]
    }

    /// Walks an encoded value alongside its schema; records keys the schema lacks, and which schema
    /// properties (named `definition.key`) were encoded at least once.
    func walk(_ value: Any, _ node: [String: Any], path: String, root: [String: Any], missing: inout [String], seen: inout Set<String>,
              definition: String = "$", keysMustBeRequired: Bool = false) {
        var definition = definition
        if let ref = node["$ref"] as? String { definition = ref }
        let node = resolve(node, in: root)
        if let object = value as? [String: Any] {
            if let properties = node["properties"] as? [String: Any] {
                for (key, child) in object {
                    guard let sub = properties[key] as? [String: Any] else { missing.append("\(path).\(key)"); continue }
                    seen.insert("\(definition).\(key)")
                    if keysMustBeRequired && !(node["required"] as? [String] ?? []).contains(key) { missing.append("\(path).\(key) (not required)") }
                    walk(child, sub, path: "\(path).\(key)", root: root, missing: &missing, seen: &seen, definition: "\(definition).\(key)",
                         keysMustBeRequired: keysMustBeRequired)
                }
                for key in node["required"] as? [String] ?? [] where object[key] == nil { missing.append("\(path).\(key) (required)") }
            } else if let values = node["additionalProperties"] as? [String: Any] {
                for (key, child) in object { walk(child, values, path: "\(path).\(key)", root: root, missing: &missing, seen: &seen, definition: definition,
                                                                  keysMustBeRequired: keysMustBeRequired) }
            } else {
                missing.append("\(path) (object without properties in the schema)")
            }
        } else if let array = value as? [Any] {
            guard let items = node["items"] as? [String: Any] else { missing.append("\(path)[] (no items)"); return }
            for element in array { walk(element, items, path: "\(path)[]", root: root, missing: &missing, seen: &seen, definition: definition,
                                                     keysMustBeRequired: keysMustBeRequired) }
        }
    }

    @Test func listsEveryPropertyTheSwiftTypesEncode() throws {
        let root = try schema()
        let encoded = try JSONSerialization.jsonObject(with: fullSampleLog().encoded())
        var missing: [String] = []
        var seen = Set<String>()
        walk(encoded, root, path: "$", root: root, missing: &missing, seen: &seen)
        #expect(missing.isEmpty, "encoded by Swift but not in the schema: \(missing)")
        // Every property the schema defines (top level and in $defs) is written by the Swift types.
        var defined = Set((root["properties"] as? [String: Any] ?? [:]).keys.map { "$.\($0)" })
        for (name, def) in root["$defs"] as? [String: Any] ?? [:] {
            for key in ((def as? [String: Any])?["properties"] as? [String: Any] ?? [:]).keys { defined.insert("#/$defs/\(name).\(key)") }
        }
        #expect(defined.subtracting(seen).isEmpty, "in the schema but never encoded: \(defined.subtracting(seen).sorted())")
    }

    /// The minimal sample leaves every optional field unset, so each key it encodes is a non-optional
    /// Swift property, which the schema must list as required.
    @Test func requiresEveryNonOptionalProperty() throws {
        let root = try schema()
        var sample = sampleLog()
        sample.signatures = []
        let encoded = try JSONSerialization.jsonObject(with: sample.encoded())
        var problems: [String] = []
        var seen = Set<String>()
        walk(encoded, root, path: "$", root: root, missing: &problems, seen: &seen, keysMustBeRequired: true)
        #expect(problems.isEmpty, "\(problems)")
    }

    /// The same for recorded options (optional in the log, so the minimal sample has none) with every
    /// optional option left out.
    @Test func requiresEveryNonOptionalRecordedOption() throws {
        let root = try schema()
        var options = sampleRecordedOptions()
        (options.log, options.inputsDirectory, options.rtol, options.atol, options.expectSHA256, options.checkpoint, options.samples) = (nil, nil, nil, nil, nil, nil, nil)
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(options))
        var problems: [String] = []
        var seen = Set<String>()
        walk(encoded, ["$ref": "#/$defs/RecordedOptions"], path: "recordedOptions", root: root, missing: &problems, seen: &seen,
             keysMustBeRequired: true)
        #expect(seen.count == 13, "walked \(seen.sorted())")
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func namesTheCurrentSchemaVersion() throws {
        let properties = try #require(try schema()["properties"] as? [String: Any])
        #expect((properties["schema"] as? [String: Any])?["const"] as? String == ConversionLog.schemaName)
        #expect((properties["schemaVersion"] as? [String: Any])?["const"] as? Int == ConversionLog.currentSchemaVersion)
        let status = (try schema()["$defs"] as? [String: Any])?["DocumentInfo"] as? [String: Any]
        let values = ((status?["properties"] as? [String: Any])?["status"] as? [String: Any])?["enum"] as? [String]
        #expect(Set(values ?? []) == Set(DocumentStatus.allCases.map(\.rawValue)))
    }
}
