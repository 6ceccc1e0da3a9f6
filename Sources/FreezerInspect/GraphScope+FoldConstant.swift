import FreezerIR

/// A tensor a fold proved constant, and the value through which the folded node reads it.
public struct FoldConstant: Sendable {
    /// The input as the node reads it: a value of the node's own graph.
    public var value: ValueID
    /// The tensor, wherever it is defined: this graph, an enclosing graph, a Constant node, or behind Identity nodes.
    public var tensor: Tensor
}

extension GraphScope {
    /// Whether this is the model's main graph, the only graph whose inputs FreezeParameters pins.
    var isMainGraph: Bool { isTopLevel && enclosing.isEmpty }

    /// The one rule for what a fold may treat as a constant; inspect and FoldBatchNorm both decide by it.
    ///
    /// After following outer-scope names to the graph that defines them and Identity nodes to their input,
    /// a constant is an initializer that is not a graph input, the numeric value of a `Constant` node, or an
    /// initializer that is also an input of the main graph. The last kind is overridable in the original,
    /// but FreezeParameters, which runs before FoldBatchNorm, makes exactly those constants; inspect, which
    /// sees the original, counts them for that reason (and reports them under `parameters`). A subgraph
    /// input is loop or branch state that freezing does not pin, so it never counts, default or not.
    ///
    /// On failure, the word the report uses for where the value comes from (`graphInput`, `computed`, ...).
    func foldConstant(_ id: ValueID) -> Result<FoldConstant, FoldConstantMiss> {
        let (resolved, origin) = resolveThroughIdentity(id)
        switch origin {
        case .initializer(let t): return .success(FoldConstant(value: id, tensor: t))
        case .overridableInitializer(let t) where resolved.scope.isMainGraph: return .success(FoldConstant(value: id, tensor: t))
        case .constantNode(let node):
            guard let t = node.constantTensor else { return .failure(FoldConstantMiss(origin: "Constant without a numeric value")) }
            return .success(FoldConstant(value: id, tensor: t))
        default:
            return .failure(FoldConstantMiss(origin: self.origin(of: id).origin.label))
        }
    }
}

/// Where a value that is not a fold constant comes from, in the report's words.
struct FoldConstantMiss: Error {
    var origin: String
}
