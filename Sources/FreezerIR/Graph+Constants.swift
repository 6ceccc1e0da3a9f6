/// Compile-time constants: initializers that are not graph inputs, and `Constant` nodes.
extension Node {
    /// The tensor a `Constant` node produces, for the forms that hold numbers
    /// (`value`, `value_float(s)`, `value_int(s)`); nil for other nodes and forms.
    public var constantTensor: Tensor? {
        guard isOnnx("Constant") else { return nil }
        for attribute in attributes {
            switch (attribute.name, attribute.value) {
            case ("value", .tensor(let t)): return t
            case ("value_float", .float(let v)): return .make(name: "", type: .float, dims: [], values: [Double(v)])
            case ("value_floats", .floats(let v)): return .make(name: "", type: .float, dims: [Int64(v.count)], values: v.map(Double.init))
            case ("value_int", .int(let v)): return .makeInt64(name: "", dims: [], values: [v])
            case ("value_ints", .ints(let v)): return .makeInt64(name: "", dims: [Int64(v.count)], values: v)
            default: continue
            }
        }
        return nil
    }
}

extension Graph {
    /// The constant value of `id`: an initializer that is not a graph input, or a `Constant` node's
    /// output. Outer-scope values are not resolved here (nil).
    public func constantValue(_ id: ValueID) -> Tensor? {
        switch value(id).producer {
        case .initializer: return initializer(id)
        case .node(let n, 0): return node(n).constantTensor
        default: return nil
        }
    }

    /// A constant scalar read as Double, when `id` is a one-element numeric constant.
    public func constantScalar(_ id: ValueID) -> Double? {
        guard let t = constantValue(id), t.elementCount == 1, let v = try? t.doubles() else { return nil }
        return v.first
    }
}
