@testable import FreezerIR
@testable import FreezerPasses

func f32(_ name: String, _ shape: [Int64]) -> ValueInfo {
    ValueInfo(name: name, type: ValueType(tensor: TensorType(elementType: .float, shape: shape.map { .value($0) })))
}

func constant(_ name: String, _ values: [Double], _ dims: [Int64], type: ElementType = .float) -> Tensor {
    Tensor.make(name: name, type: type, dims: dims, values: values)
}

func model(_ graph: Graph, opset: Int64 = 17, ir: Int64 = 8) -> Model {
    Model(irVersion: ir, opsetImports: [OpsetImport(domain: "", version: opset)], graph: graph)
}

/// Runs one pass and returns the rewritten model and what it recorded.
func apply(_ pass: some Pass, to m: Model) throws -> (Model, PassContext) {
    var copy = m
    var context = PassContext()
    context.currentPass = pass.name
    try pass.run(on: &copy, context: &context)
    return (copy, context)
}

extension Graph {
    func ops() -> [String] { nodes.map(\.opType) }
    func outputNames() -> [String] { outputs.map { value($0).name } }
    func tensor(_ name: String) -> Tensor? { value(named: name).flatMap { initializer($0) } }
}
