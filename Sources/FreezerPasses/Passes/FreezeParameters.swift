import FreezerIR
import FreezerInspect

/// Makes every parameter a constant: initializers stop being graph inputs.
public struct FreezeParameters: Pass {
    public static let name = "FreezeParameters"
    public static let documentation = PassDocumentation(
        id: "PASS-FREEZE-PARAMETERS",
        summary: "Make parameters constants: initializers are no longer graph inputs; refuse parameters without values.",
        before: "graph inputs [x, W, b] with initializers W, b (overridable at run time)",
        after: "graph inputs [x]; W, b are constant initializers (ir_version raised to 4 when it was lower)",
        conditions: [
            "A graph input that the model reads as a weight but that has no initializer (weights kept in a separate checkpoint, as in onnxruntime-training's training_model.onnx) cannot be frozen: the pass refuses, naming each.",
        ],
        formula: nil,
        limits: [
            PassLimit("Parameters declared as graph inputs without values (kept in a separate checkpoint) when no --checkpoint gives them", exitCode: 3),
        ])

    public init() {}

    public func run(on model: inout Model, context: inout PassContext) throws(PassError) {
        let missing = Inspector.inspect(model).findings.filter { $0.kind == .parameterWithoutValue && $0.graphPath == "main" }
        if !missing.isEmpty {
            let names = missing.compactMap { $0.value ?? $0.node }.map { "'\($0)'" }
            throw PassError(pass: Self.name, "the model reads parameters that have no values: \(names.joined(separator: ", ")). They are graph inputs without initializers (weights kept elsewhere, such as a training checkpoint). Give their values: for onnxruntime-training artifacts, pass the checkpoint with --checkpoint; otherwise export the model with its weights and convert that.")
        }
        var graph = model.graph
        let frozen = graph.initializersAsInputs
        for id in frozen {
            do { try graph.removeInput(id) } catch { throw PassError(pass: Self.name, "\(error)") }
        }
        model.graph = graph
        if frozen.isEmpty {
            context.skip(.parameters, graph: "main", node: "graph inputs", reason: "no initializer is listed as a graph input", nothingToDo: true)
        } else {
            let names = frozen.map { graph.value($0).name }
            context.record(.parameters, graph: "main", nodes: [], action: "made constant",
                           detail: "\(names.count) initializers are no longer graph inputs: \(names.prefix(20).joined(separator: ", "))\(names.count > 20 ? ", …" : "")")
        }
        if model.irVersion < 4 {
            context.record(.parameters, graph: "model", nodes: [], action: "ir_version raised",
                           detail: "ir_version \(model.irVersion) → 4, the first version where initializers need not be graph inputs")
            model.irVersion = 4
        }
    }
}
