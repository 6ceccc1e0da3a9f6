@testable import FreezerIR
@testable import FreezerKernels

/// Runs a single operator on the given inputs, as a one-node model, and returns its outputs.
///
/// Inputs are named `in0`, `in1`, ... (nil: the optional input is absent); outputs `out0`, `out1`, ...
/// A node of another domain imports it at `domainVersion` (and is that version), else at version 1 with
/// the node marked `opset`.
func runNode(_ op: String, _ inputs: [NDArray?], attributes: [Attribute] = [], outputs: Int = 1,
             opset: Int64 = 17, domain: String = "", domainVersion: Int64? = nil, inferenceSemantics: Bool = false,
             precision: Precision = .own) throws -> [NDArray] {
    let inputNames = inputs.enumerated().map { $0.element == nil ? "" : "in\($0.offset)" }
    let outputNames = (0..<outputs).map { "out\($0)" }
    let infos = inputs.enumerated().compactMap { k, a in
        a.map { ValueInfo(name: "in\(k)", type: ValueType(tensor: TensorType(elementType: $0.elementType, shape: $0.shape.map { .value(Int64($0)) }))) }
    }
    let graph = Graph(name: "single", inputs: infos, outputs: outputNames.map { ValueInfo(name: $0, type: nil) },
                      nodes: [NodeSpec(name: "n", opType: op, domain: domain, opsetVersion: domain.isEmpty ? opset : domainVersion ?? opset,
                                       inputs: inputNames, outputs: outputNames, attributes: attributes)])
    var opsets = [OpsetImport(domain: "", version: opset)]
    if !domain.isEmpty { opsets.append(OpsetImport(domain: domain, version: domainVersion ?? 1)) }
    let model = Model(irVersion: 10, opsetImports: opsets, graph: graph)
    let interpreter = Interpreter(model: model, options: .init(inferenceSemantics: inferenceSemantics, precision: precision))
    var feeds: [String: NDArray] = [:]
    for (k, a) in inputs.enumerated() { if let a { feeds["in\(k)"] = a } }
    let result = try interpreter.run(feeds)
    return outputNames.map { result[$0]! }
}

/// Attribute shorthands for tests.
func attr(_ name: String, _ v: Int64) -> Attribute { Attribute(name: name, value: .int(v)) }
func attr(_ name: String, _ v: Float) -> Attribute { Attribute(name: name, value: .float(v)) }
func attr(_ name: String, _ v: [Int64]) -> Attribute { Attribute(name: name, value: .ints(v)) }
func attr(_ name: String, _ v: String) -> Attribute { Attribute(name: name, value: .string(Array(v.utf8))) }

/// Elementwise closeness with the ONNX backend test tolerances by default.
func isClose(_ a: [Float], _ b: [Float], rtol: Float = 1e-3, atol: Float = 1e-7) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { x, y in
        (x.isNaN && y.isNaN) || x == y || abs(x - y) <= atol + rtol * abs(y)
    }
}
