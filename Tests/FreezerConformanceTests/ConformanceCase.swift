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
        for setDir in sets {
            let setName = (setDir as NSString).lastPathComponent
            let data: TestDataSet
            do { data = try TestDataSet.load(directory: setDir) } catch {
                // Sequence/optional test values are not tensors; the type check above normally catches them.
                if case .notATensor = error { return .unsupported(reason: "\(setName): \(error)") }
                return .failed(reason: "\(setName): test data does not load: \(error)", maxError: nil)
            }
            guard data.inputs.count <= graph.inputs.count, data.outputs.count <= graph.outputs.count else {
                return .failed(reason: "\(setName): \(data.inputs.count) inputs and \(data.outputs.count) outputs for a graph with \(graph.inputs.count) and \(graph.outputs.count)", maxError: nil)
            }
            var feeds: [String: NDArray] = [:]
            for (k, tensor) in data.inputs.enumerated() {
                let name = graph.value(graph.inputs[k]).name
                do { feeds[name] = try NDArray(tensor) } catch {
                    if case .unsupportedType = error { return .unsupported(reason: "\(setName): input \(k): \(error)") }
                    return .failed(reason: "\(setName): input_\(k).pb: \(error)", maxError: nil)
                }
            }
            let outputNames = graph.outputs.prefix(data.outputs.count).map { graph.value($0).name }
            let results: [String: NDArray]
            do {
                results = try interpreter.run(feeds, outputs: outputNames)
            } catch {
                switch error {
                case .unsupportedOperators, .unsupportedType, .unsupportedFeature: return .unsupported(reason: "refused at run time: \(error)")
                default: return .failed(reason: "\(setName): evaluation failed: \(error)", maxError: nil)
                }
            }
            for (k, name) in outputNames.enumerated() {
                var expected: NDArray
                var tolerance = self.tolerance
                do { expected = try NDArray(data.outputs[k]) } catch {
                    if case .unsupportedType = error { return .unsupported(reason: "\(setName): output \(k): \(error)") }
                    return .failed(reason: "\(setName): output_\(k).pb: \(error)", maxError: nil)
                }
                if precision == .float64 {
                    if expected.elementType == .float16 || expected.elementType == .bfloat16 {
                        tolerance = Tolerance(rtol: max(tolerance.rtol, 1e-2), atol: max(tolerance.atol, 1e-2))
                    }
                    expected = expected.widenedToDouble()
                }
                guard let actual = results[name] else {
                    return .failed(reason: "\(setName): output '\(name)' was not computed", maxError: nil)
                }
                let comparison = OutputComparison.compare(actual, expected, tolerance: tolerance)
                maxError = max(maxError, comparison.maxAbsError)
                if !comparison.passed {
                    return .failed(reason: "\(setName): output \(k) '\(name)': \(comparison.summary) (\(tolerance))",
                                   maxError: comparison.structuralProblem == nil ? comparison.maxAbsError : nil)
                }
            }
        }
        return .passed
    }
}

/// Decides, before running, whether a model is within what the evaluator supports.
enum SupportCheck {
    /// Element types the evaluator holds: the library's own rule.
    static let supportedElementTypes = NDArray.supportedElementTypes

    /// Why the model cannot be run, or nil: non-tensor values (sequence, optional, map, sparse),
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
                } else if let other = type.otherKind {
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
