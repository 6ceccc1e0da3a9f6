import Foundation
import FreezerIR
import FreezerKernels
import FreezerONNX

/// One ONNX test case directory: model.onnx and its test_data_set_N directories.
struct ConformanceCase: Sendable {
    var id: String
    var directory: String
    var tolerance: Tolerance

    enum Outcome: Sendable {
        case passed
        /// Ran (or should have run) and disagrees with the expected data; `maxError` is the largest
        /// absolute error over the compared outputs when outputs were compared.
        case failed(reason: String, maxError: Double?)
        /// Uses an operator or a type the evaluator does not support.
        case unsupported(reason: String)
    }

    /// Loads, classifies and runs the case. With `precision: .float64` every floating-point value is
    /// computed in float64 (the exact reference of the equivalence check) and compared, widened, with the
    /// expected data: within the case's tolerance, or the half-precision types' own where the expected
    /// values were rounded to them.
    func run(registry: KernelRegistry = .standard, precision: Precision = .own) -> Outcome {
        let model: Model
        do {
            model = try ModelLoader.load(path: directory + "/model.onnx", options: .init(computeDigests: false)).model
        } catch {
            return .failed(reason: "model does not load: \(error)", maxError: nil)
        }
        if let reason = SupportCheck.unsupportedReason(model, registry: registry) { return .unsupported(reason: reason) }
        let sets = TestDataSet.directories(in: directory)
        guard !sets.isEmpty else { return .failed(reason: "no test_data_set_N directory", maxError: nil) }

        // The exact reference streams its constants, as the equivalence check runs it.
        let interpreter = Interpreter(model: model, registry: registry,
                                      options: .init(precision: precision, keepsConstants: precision == .own))
        let graph = model.graph
        var maxError = 0.0
        let inputKinds = graph.inputs.map { graph.value($0).type?.otherKind }
        let outputKinds = graph.outputs.map { graph.value($0).type?.otherKind }
        for setDir in sets {
            let setName = (setDir as NSString).lastPathComponent
            let data: (inputs: [StoredValue], outputs: [StoredValue])
            do { data = try TestDataSet.loadValues(directory: setDir, inputKinds: inputKinds, outputKinds: outputKinds) } catch {
                return .failed(reason: "\(setName): test data does not load: \(error)", maxError: nil)
            }
            guard data.inputs.count <= graph.inputs.count, data.outputs.count <= graph.outputs.count else {
                return .failed(reason: "\(setName): \(data.inputs.count) inputs and \(data.outputs.count) outputs for a graph with \(graph.inputs.count) and \(graph.outputs.count)", maxError: nil)
            }
            var feeds: [String: RuntimeValue] = [:]
            for (k, stored) in data.inputs.enumerated() {
                let name = graph.value(graph.inputs[k]).name
                do { feeds[name] = try RuntimeValue(stored) } catch {
                    if case .unsupportedType = error { return .unsupported(reason: "\(setName): input \(k): \(error)") }
                    return .failed(reason: "\(setName): input_\(k).pb: \(error)", maxError: nil)
                }
            }
            let outputNames = graph.outputs.prefix(data.outputs.count).map { graph.value($0).name }
            let results: [String: RuntimeValue]
            do {
                results = try interpreter.runValues(feeds, outputs: outputNames)
            } catch {
                switch error {
                case .unsupportedOperators, .unsupportedType, .unsupportedFeature: return .unsupported(reason: "refused at run time: \(error)")
                default: return .failed(reason: "\(setName): evaluation failed: \(error)", maxError: nil)
                }
            }
            for (k, name) in outputNames.enumerated() {
                let expected: RuntimeValue
                do { expected = try RuntimeValue(data.outputs[k]) } catch {
                    if case .unsupportedType = error { return .unsupported(reason: "\(setName): output \(k): \(error)") }
                    return .failed(reason: "\(setName): output_\(k).pb: \(error)", maxError: nil)
                }
                guard let actual = results[name] else {
                    return .failed(reason: "\(setName): output '\(name)' was not computed", maxError: nil)
                }
                switch compare(actual, expected, precision: precision) {
                case .agree(let error):
                    maxError = max(maxError, error)
                case .differ(let summary, let error):
                    return .failed(reason: "\(setName): output \(k) '\(name)': \(summary)", maxError: error)
                }
            }
        }
        return .passed
    }

    enum ValueComparison {
        /// Within tolerance; the largest absolute error over the tensors compared.
        case agree(maxError: Double)
        /// `maxError` as in `Outcome.failed`.
        case differ(String, maxError: Double?)
    }

    /// Compares a computed value with the expected one: the same kind, and tensors (alone, in a sequence,
    /// or in an optional) within the case's tolerance. Under `precision: .float64` the expected values are
    /// widened, with the half-precision types' own tolerance where the expected values were rounded to them.
    func compare(_ actual: RuntimeValue, _ expected: RuntimeValue, precision: Precision) -> ValueComparison {
        switch (actual, expected) {
        case (.tensor(let a), .tensor(var e)):
            var tolerance = self.tolerance
            if precision == .float64 {
                if e.elementType == .float16 || e.elementType == .bfloat16 {
                    tolerance = Tolerance(rtol: max(tolerance.rtol, 1e-2), atol: max(tolerance.atol, 1e-2))
                }
                e = e.widenedToDouble()
            }
            let comparison = OutputComparison.compare(a, e, tolerance: tolerance)
            if comparison.passed { return .agree(maxError: comparison.maxAbsError) }
            return .differ("\(comparison.summary) (\(tolerance))", maxError: comparison.structuralProblem == nil ? comparison.maxAbsError : nil)
        case (.sequence(let a), .sequence(let e)):
            guard a.count == e.count else { return .differ("a sequence of \(a.count) tensors, expected \(e.count)", maxError: nil) }
            var worst = 0.0
            for (k, (x, y)) in zip(a.elements, e.elements).enumerated() {
                switch compare(.tensor(x), .tensor(y), precision: precision) {
                case .agree(let error): worst = max(worst, error)
                case .differ(let summary, let error): return .differ("sequence element \(k): \(summary)", maxError: error)
                }
            }
            return .agree(maxError: worst)
        case (.optional(nil), .optional(nil)):
            return .agree(maxError: 0)
        case (.optional(let a?), .optional(let e?)):
            switch compare(a, e, precision: precision) {
            case .agree(let error): return .agree(maxError: error)
            case .differ(let summary, let error): return .differ("optional element: \(summary)", maxError: error)
            }
        default:
            return .differ("got \(actual), expected \(expected)", maxError: nil)
        }
    }
}

extension RuntimeValue {
    /// A value read from a test data file, as the evaluator holds it. An empty stored sequence has no
    /// element type (SequenceProto does not record one); it becomes an empty float sequence, which
    /// compares equal to any empty sequence.
    init(_ stored: StoredValue) throws(EvaluationError) {
        switch stored {
        case .tensor(let t): self = .tensor(try NDArray(t))
        case .sequence(let ts):
            var elements: [NDArray] = []
            for t in ts { elements.append(try NDArray(t)) }
            self = .sequence(TensorSequence(elementType: elements.first?.elementType ?? .float, elements: elements))
        case .optional(nil): self = .optional(nil)
        case .optional(let v?): self = .optional(try RuntimeValue(v))
        }
    }
}

/// Decides, before running, whether a model is within what the evaluator supports.
enum SupportCheck {
    /// Element types the evaluator holds: the library's own rule.
    static let supportedElementTypes = NDArray.supportedElementTypes

    /// Value kinds the evaluator holds besides tensors (see `RuntimeValue`).
    static let supportedOtherKinds: Set<String> = ["sequence", "optional"]

    /// Why the model cannot be run, or nil: non-tensor values other than sequences and optionals (map, sparse),
    /// unsupported element types, and operators the registry lacks, in the main graph and every subgraph.
    static func unsupportedReason(_ model: Model, registry: KernelRegistry) -> String? {
        var kinds = Set<String>()
        var types = Set<ElementType>()
        var missing: [String] = []
        var seenOps = Set<String>()

        func visit(_ graph: Graph) {
            for value in graph.values {
                guard let type = value.type else { continue }
                if let tensor = type.tensor {
                    if !supportedElementTypes.contains(tensor.elementType) { types.insert(tensor.elementType) }
                } else if let other = type.otherKind, !supportedOtherKinds.contains(other) {
                    kinds.insert(other)
                }
            }
            for (_, tensor) in graph.initializers where !supportedElementTypes.contains(tensor.elementType) {
                types.insert(tensor.elementType)
            }
            for node in graph.nodes {
                if registry.kernel(domain: node.domain, op: node.opType, version: node.opsetVersion) == nil {
                    let op = "\(node.qualifiedOpType) (opset \(node.opsetVersion.map(String.init) ?? "not imported"))"
                    if seenOps.insert(op).inserted { missing.append(op) }
                }
                for attribute in node.attributes {
                    switch attribute.value {
                    case .tensor(let t) where !supportedElementTypes.contains(t.elementType): types.insert(t.elementType)
                    case .tensors(let ts): for t in ts where !supportedElementTypes.contains(t.elementType) { types.insert(t.elementType) }
                    default: break
                    }
                    for sub in attribute.subgraphs { visit(sub) }
                }
            }
        }
        visit(model.graph)
        var reasons: [String] = []
        if !kinds.isEmpty { reasons.append("non-tensor values: \(kinds.sorted().joined(separator: ", "))") }
        if !types.isEmpty { reasons.append("element types: \(types.sorted().map(\.description).joined(separator: ", "))") }
        if !missing.isEmpty { reasons.append("operators not registered: \(missing.joined(separator: ", "))") }
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }
}
