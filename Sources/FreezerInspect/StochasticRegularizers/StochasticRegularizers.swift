import FreezerIR

/// Stochastic regularizers (Dropout's family written out of random operators): recognition, and the
/// inference meaning the equivalence check evaluates the original with.
public enum StochasticRegularizers {
    /// The random operators of the default domain.
    public static let randomOperators: Set<String> = [
        "RandomUniform", "RandomUniformLike", "RandomNormal", "RandomNormalLike", "Bernoulli", "Multinomial",
    ]

    static func isRandom(_ node: Node) -> Bool { node.isDefaultDomain && randomOperators.contains(node.opType) }

    /// For passes: the regularizers of `graph` (not its subgraphs). `enclosing` are the graphs around it,
    /// innermost first, with the main graph last (empty for the main graph itself).
    public static func recognize(in graph: Graph, enclosing: [Graph], opsetImports: [OpsetImport]) -> StochasticRegularizerRecognition {
        RegularizerRecognizer.recognize(in: GraphScope.forPass(graph, enclosing: enclosing, opsetImports: opsetImports))
    }

    static func recognize(in scope: GraphScope) -> StochasticRegularizerRecognition {
        RegularizerRecognizer.recognize(in: scope)
    }

    /// Where a random node's shape comes from.
    static func noiseShape(of node: Node, in scope: GraphScope) -> StochasticRegularizer.NoiseShape? {
        switch node.opType {
        case "RandomUniform", "RandomNormal":
            return node.attribute("shape")?.intsValue.map(StochasticRegularizer.NoiseShape.fixed)
        default:
            return (node.inputs.first ?? nil).map(StochasticRegularizer.NoiseShape.like)
        }
    }

    /// The dimensions of a value known before run time: a constant's, ConstantOfShape of a constant
    /// shape, or a fully numeric declared shape.
    static func staticDims(of id: ValueID, in scope: GraphScope) -> [Int64]? {
        switch scope.originThroughIdentity(id) {
        case .initializer(let t), .overridableInitializer(let t): return t.dims
        case .constantNode(let node): return node.attribute("value")?.tensorValue?.dims
        case .computed(let node) where node.isOnnx("ConstantOfShape"):
            if let shape = node.inputs.first ?? nil, let numbers = scope.constantNumbers(shape) { return numbers.map { Int64($0) } }
        default: break
        }
        let resolved = scope.resolve(id)
        guard let dims = resolved.scope.graph.value(resolved.id).type?.tensor?.shape else { return nil }
        var result: [Int64] = []
        for d in dims {
            guard case .value(let v) = d else { return nil }
            result.append(v)
        }
        return result
    }

    static func elementCount(_ shape: StochasticRegularizer.NoiseShape, in scope: GraphScope) -> Int64? {
        switch shape {
        case .fixed(let dims): dims.reduce(1, *)
        case .like(let v): staticDims(of: v, in: scope)?.reduce(1, *)
        }
    }

    /// Whether a draw's shape is one number per sample: `[N, 1, …, 1]` (rank ≥ 2), whether N is a constant
    /// or read from the data at run time (`ConstantOfShape(Concat(Shape(x)[0], [1, 1, 1]))`, as exports
    /// with a dynamic batch write it).
    static func isPerSample(_ shape: StochasticRegularizer.NoiseShape, in scope: GraphScope) -> Bool {
        let template: ValueID
        switch shape {
        case .fixed(let dims): return dims.count >= 2 && dims.dropFirst().allSatisfy { $0 == 1 }
        case .like(let v):
            if let dims = staticDims(of: v, in: scope) { return dims.count >= 2 && dims.dropFirst().allSatisfy { $0 == 1 } }
            template = v
        }
        guard case .computed(let fill) = scope.originThroughIdentity(template), fill.isOnnx("ConstantOfShape"),
              let shapeValue = fill.inputs.first ?? nil,
              case .computed(let concat) = scope.originThroughIdentity(shapeValue), concat.isOnnx("Concat"),
              concat.inputs.count >= 2, let first = concat.inputs[0] else { return false }
        // The leading part: one number (the batch size) computed at run time.
        if let numbers = constantNumbers(first, in: scope) { guard numbers.count == 1 else { return false } }
        else if let rank = scope.graph.inferredRank(first), rank != 1 { return false }
        var ones = 0
        for part in concat.inputs.dropFirst() {
            guard let part, let numbers = constantNumbers(part, in: scope), numbers.allSatisfy({ $0 == 1 }) else { return false }
            ones += numbers.count
        }
        return ones >= 1
    }

    /// The numbers of a small constant, also through the reshaping nodes exporters put around index
    /// constants (Unsqueeze, Squeeze, Reshape, Flatten, Cast of a constant keep its numbers in order).
    static func constantNumbers(_ id: ValueID, in scope: GraphScope) -> [Double]? {
        var current = id
        for _ in 0..<4 {
            if let numbers = scope.constantNumbers(current) { return numbers }
            guard case .computed(let node) = scope.originThroughIdentity(current), node.isDefaultDomain,
                  ["Unsqueeze", "Squeeze", "Reshape", "Flatten", "Cast"].contains(node.opType),
                  let input = node.inputs.first ?? nil else { return nil }
            if node.opType == "Cast", let to = node.attribute("to")?.intValue,
               ![ElementType.int64, .int32, .float, .double].contains(ElementType(rawValue: Int32(to))) { return nil }
            current = input
        }
        return nil
    }
}
