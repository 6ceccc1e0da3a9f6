import FreezerIR

/// Where a value comes from, after following outer-scope names to the graph that defines them.
enum ValueOrigin {
    /// An initializer that is not a graph input: a constant.
    case initializer(Tensor)
    /// A graph input with an initializer as default: constant unless the caller overrides it.
    case overridableInitializer(Tensor)
    /// Output of a `Constant` node.
    case constantNode(Node)
    /// A graph input without a value (or a subgraph input such as a loop variable).
    case graphInput
    /// Computed by another node.
    case computed(Node)
    /// Nothing defines it (a defect the validator reports).
    case missing

    /// The word the report uses for this origin.
    var label: String {
        switch self {
        case .initializer: "initializer"
        case .overridableInitializer: "overridableInitializer"
        case .constantNode: "Constant"
        case .graphInput: "graphInput"
        case .computed: "computed"
        case .missing: "missing"
        }
    }
}

/// A value located in the graph that defines it.
struct ResolvedValue {
    let scope: GraphScope
    let id: ValueID
    var name: String { scope.graph.value(id).name }
}

/// Resolving values to their definitions and constants to their numbers.
extension GraphScope {
    /// The definition of `id`: itself, or for an outer-scope read, the enclosing graph's value.
    func resolve(_ id: ValueID) -> ResolvedValue {
        let value = graph.value(id)
        guard value.producer == .outerScope else { return ResolvedValue(scope: self, id: id) }
        for outer in enclosing {
            if let found = outer.graph.value(named: value.name), outer.graph.value(found).producer != .outerScope {
                return ResolvedValue(scope: outer, id: found)
            }
        }
        return ResolvedValue(scope: self, id: id)
    }

    /// Where `id` comes from, following outer-scope names.
    func origin(of id: ValueID) -> (resolved: ResolvedValue, origin: ValueOrigin) {
        let resolved = resolve(id)
        let g = resolved.scope.graph
        let value = g.value(resolved.id)
        switch value.producer {
        case .initializer:
            return (resolved, g.initializer(resolved.id).map(ValueOrigin.initializer) ?? .missing)
        case .graphInput:
            return (resolved, g.initializer(resolved.id).map(ValueOrigin.overridableInitializer) ?? .graphInput)
        case .node(let n, _):
            let node = g.node(n)
            return (resolved, node.isOnnx("Constant") ? .constantNode(node) : .computed(node))
        case .outerScope, .missing:
            return (resolved, .missing)
        }
    }

    /// Where `id` comes from after following Identity nodes: a copy of a constant is that constant.
    func originThroughIdentity(_ id: ValueID) -> ValueOrigin { resolveThroughIdentity(id).origin }

    /// Like `origin(of:)`, after following Identity nodes (and outer-scope names at every step).
    func resolveThroughIdentity(_ id: ValueID) -> (resolved: ResolvedValue, origin: ValueOrigin) {
        var current = (scope: self, id: id)
        // Exported graphs often hold a short chain of Identity nodes; the bound guards against cycles.
        for _ in 0..<8 {
            let (resolved, origin) = current.scope.origin(of: current.id)
            guard case .computed(let node) = origin, node.isOnnx("Identity"),
                  let input = node.inputs.first ?? nil else { return (resolved, origin) }
            current = (resolved.scope, input)
        }
        return (ResolvedValue(scope: current.scope, id: current.id), .missing)
    }

    /// The numbers `id` holds when it is a constant of at most `limit` elements: an initializer, a
    /// `Constant` node, or an Identity of one. Overridable initializers count only when
    /// `includeOverridable` is set. The limit keeps inspection from reading large mapped weights.
    func constantNumbers(_ id: ValueID, includeOverridable: Bool = false, limit: Int = 1 << 16) -> [Double]? {
        func read(_ t: Tensor) -> [Double]? {
            guard let n = t.elementCount, n <= limit else { return nil }
            return try? t.doubles()
        }
        switch originThroughIdentity(id) {
        case .initializer(let t): return read(t)
        case .overridableInitializer(let t): return includeOverridable ? read(t) : nil
        case .constantNode(let node):
            guard let numbers = Self.constantAttributeNumbers(node, limit: limit), numbers.count <= limit else { return nil }
            return numbers
        default: return nil
        }
    }

    /// The single number `id` holds when it is a one-element constant.
    func constantScalar(_ id: ValueID?, includeOverridable: Bool = false) -> Double? {
        guard let id, let numbers = constantNumbers(id, includeOverridable: includeOverridable, limit: 1),
              numbers.count == 1 else { return nil }
        return numbers[0]
    }

    /// Whether `id` has a value known before run time (optionally counting overridable defaults).
    func isConstant(_ id: ValueID, includeOverridable: Bool = false) -> Bool {
        switch originThroughIdentity(id) {
        case .initializer, .constantNode: true
        case .overridableInitializer: includeOverridable
        default: false
        }
    }

    /// The value of a `Constant` node as numbers (`value`, `value_float(s)`, `value_int(s)`).
    static func constantAttributeNumbers(_ node: Node, limit: Int) -> [Double]? {
        for attribute in node.attributes {
            switch (attribute.name, attribute.value) {
            case ("value", .tensor(let t)): return (t.elementCount ?? .max) <= limit ? try? t.doubles() : nil
            case ("value_float", .float(let f)): return [Double(f)]
            case ("value_int", .int(let i)): return [Double(i)]
            case ("value_floats", .floats(let fs)): return fs.map(Double.init)
            case ("value_ints", .ints(let i)): return i.map(Double.init)
            default: continue
            }
        }
        return nil
    }
}
