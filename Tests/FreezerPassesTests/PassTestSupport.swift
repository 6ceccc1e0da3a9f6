import FreezerKernels
import Testing
@testable import FreezerIR
@testable import FreezerPasses
import FreezerVerify

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

/// A few-lines way to build a test graph: declare inputs, constants and nodes by name, in any element type.
struct GraphSketch {
    var name = "g"
    /// Names a subgraph reads from the graphs around it.
    var outerScope: Set<String> = []
    var inputs: [ValueInfo] = []
    var outputs: [ValueInfo] = []
    var initializers: [Tensor] = []
    var nodes: [NodeSpec] = []
    var opset: Int64 = 17
    /// Opset imports besides the default domain's (e.g. com.microsoft for training operators).
    var imports: [OpsetImport] = []

    /// A graph input of `type` (float32 unless told) and shape.
    mutating func input(_ name: String, _ dims: [Int64], type: ElementType = .float) {
        inputs.append(ValueInfo(name: name, type: ValueType(tensor: TensorType(elementType: type, shape: dims.map { .value($0) }))))
    }

    /// A graph output of `type` whose shape the test does not care about.
    mutating func output(_ name: String, type: ElementType = .float) {
        outputs.append(ValueInfo(name: name, type: ValueType(tensor: TensorType(elementType: type, shape: nil))))
    }

    mutating func constant(_ name: String, _ values: [Double], _ dims: [Int64], type: ElementType = .float) {
        initializers.append(Tensor.make(name: name, type: type, dims: dims, values: values))
    }

    /// A node at the sketch's opset; its name defaults to its first output.
    mutating func node(_ opType: String, _ ins: [String], _ outs: [String], name: String? = nil, domain: String = "",
                       _ attributes: [Attribute] = []) {
        nodes.append(NodeSpec(name: name ?? outs.first ?? opType, opType: opType, domain: domain,
                              opsetVersion: domain.isEmpty ? opset : nil, inputs: ins,
                              outputs: outs, attributes: attributes))
    }

    /// The constants `<bn>_scale`, `_bias`, `_mean`, `_var` of a BatchNormalization named `bn`.
    mutating func statistics(_ stats: BatchNormStats, for bn: String = "bn", type: ElementType = .float) {
        for (role, values) in [("scale", stats.scale), ("bias", stats.bias), ("mean", stats.mean), ("var", stats.variance)] {
            constant("\(bn)_\(role)", values, [Int64(values.count)], type: type)
        }
    }

    /// BatchNormalization `name` reading `x` and its statistics `<name>_scale`, ...: made here from
    /// `stats`, or (nil) read from wherever they are defined, such as an enclosing graph.
    mutating func batchNorm(_ x: String, _ y: String, name: String = "bn", stats: BatchNormStats?, type: ElementType = .float,
                            _ attributes: [Attribute] = []) {
        if let stats { statistics(stats, for: name, type: type) }
        node("BatchNormalization", [x, "\(name)_scale", "\(name)_bias", "\(name)_mean", "\(name)_var"], [y], name: name,
             (attributes.contains { $0.name == "epsilon" } ? [] : [Attribute(name: "epsilon", value: .float(1e-5))]) + attributes)
    }

    var graph: Graph {
        Graph(name: name, inputs: inputs, outputs: outputs, initializers: initializers, nodes: nodes, outerScope: outerScope)
    }
    var model: Model { Model(irVersion: 8, opsetImports: [OpsetImport(domain: "", version: opset)] + imports, graph: graph) }
}

/// scale, B, mean and var of a BatchNormalization.
struct BatchNormStats {
    var scale: [Double], bias: [Double], mean: [Double], variance: [Double]

    /// Seeded numbers for `channels` channels: every stored value differs, variances positive.
    static func random(_ channels: Int, seed: UInt64) -> BatchNormStats {
        var r = SeededNumbers(seed: seed)
        return BatchNormStats(scale: r.values(channels, -2...2), bias: r.values(channels, -1...1),
                              mean: r.values(channels, -1...1), variance: r.values(channels, 0.05...3))
    }
}

/// Seeded numbers (FreezerVerify's SplitMix64): the same on every platform, so goldens hold anywhere.
struct SeededNumbers {
    var generator: SeededGenerator
    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func values(_ count: Int, _ range: ClosedRange<Double>) -> [Double] {
        (0..<count).map { _ in range.lowerBound + Double(generator.next() >> 11) * 0x1p-53 * (range.upperBound - range.lowerBound) }
    }
}

/// A seeded input of `dims` with values in [-2, 2], held as `type` (float32 unless told).
func seededInput(_ dims: [Int], seed: UInt64, type: ElementType = .float) -> NDArray {
    var r = SeededNumbers(seed: seed)
    return NDArray(floats: r.values(dims.reduce(1, *), -2...2).map(Float.init), shape: dims, type: type)
}

/// Numbers before vs after a rewrite: runs `original` with inference semantics (its training forms
/// behave as at inference) and `rewritten` as written on the same feeds, and expects every output of
/// `rewritten` to equal the same-named value of `original` within `tolerance` (relative above 1).
/// Each model is given only the feeds it reads, so inputs a pass removed may be in `feeds`.
func expectSameOutputs(_ original: Model, _ rewritten: Model, _ feeds: [String: NDArray], tolerance: Double = 1e-6,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
    func inputs(of m: Model) -> [String: NDArray] {
        let names = Set(m.graph.inputs.map { m.graph.value($0).name })
        return feeds.filter { names.contains($0.key) }
    }
    let names = rewritten.graph.outputNames()
    let before = try Interpreter(model: original, options: .init(inferenceSemantics: true)).run(inputs(of: original), outputs: names)
    let after = try Interpreter(model: rewritten).run(inputs(of: rewritten))
    for name in names {
        guard let b = before[name]?.asDoubles, let a = after[name]?.asDoubles else {
            Issue.record("output '\(name)' missing", sourceLocation: sourceLocation)
            continue
        }
        #expect(a.count == b.count && !a.isEmpty, "output '\(name)': \(a.count) values after, \(b.count) before", sourceLocation: sourceLocation)
        let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst <= tolerance, "output '\(name)': largest difference \(worst)", sourceLocation: sourceLocation)
    }
}

extension PassContext {
    /// The change records whose action is `action`.
    func changes(_ action: String) -> [PassChange] { changes.filter { $0.action == action } }
}

/// `count` seeded numbers in `range`.
func seededValues(_ count: Int, _ range: ClosedRange<Double>, seed: UInt64) -> [Double] {
    var r = SeededNumbers(seed: seed)
    return r.values(count, range)
}

extension GraphSketch {
    /// The main graph of the subgraph tests: inputs x (of `x` dims) and the bool c, the nodes `body` adds, then
    /// If 'if'(c) with the two branches writing the output y.
    static func branching(then: GraphSketch, else orElse: GraphSketch, opset: Int64 = 15, x: [Int64] = [2, 3],
                          _ body: (inout GraphSketch) -> Void = { _ in }) -> GraphSketch {
        var s = GraphSketch(opset: opset)
        s.input("x", x)
        s.input("c", [], type: .bool)
        body(&s)
        s.node("If", ["c"], ["y"], name: "if", [Attribute(name: "then_branch", value: .graph(then.graph)),
                                               Attribute(name: "else_branch", value: .graph(orElse.graph))])
        s.output("y")
        return s
    }
}

/// `expectSameOutputs` for a `GraphSketch.branching` model down each branch, on a seeded x.
func expectSameOutputsOnBothBranches(_ original: Model, _ rewritten: Model, seed: UInt64, x: [Int] = [2, 3],
                                     tolerance: Double = 1e-6, sourceLocation: SourceLocation = #_sourceLocation) throws {
    for cond in [true, false] {
        try expectSameOutputs(original, rewritten, ["x": seededInput(x, seed: seed), "c": NDArray(bools: [cond], shape: [])],
                              tolerance: tolerance, sourceLocation: sourceLocation)
    }
}
