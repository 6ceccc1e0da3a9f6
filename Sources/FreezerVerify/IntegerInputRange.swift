import FreezerIR

/// The values random integer inputs take.
///
/// By default integers are drawn from [0, 4) (int2 from [−2, 2)): small enough to index anything, as
/// lengths, class ids or masks. An input that indexes a constant table (token ids into an embedding, read
/// by Gather, possibly through Cast, Reshape, Squeeze, Unsqueeze, Flatten or Identity) is drawn from the
/// table's rows instead, [0, rows), the smallest table where it indexes several: with [0, 4), 996 of a
/// 1,000-token embedding's rows were never read, and a fault in one of them was accepted.
public enum IntegerInputRange {
    /// The range of the inputs that index a constant table, by input name, and the line for the report's
    /// defaults of each.
    public static func ranges(for graph: Graph) -> (ranges: [String: Range<Int64>], notes: [String]) {
        var ranges: [String: Range<Int64>] = [:]
        var notes: [String] = []
        for id in graph.runtimeInputs {
            let value = graph.value(id)
            guard let type = value.type?.tensor?.elementType, [.int64, .int32, .int16, .uint16, .uint32, .uint64].contains(type),
                  let (rows, table) = smallestTable(indexedBy: id, in: graph), rows > 0 else { continue }
            ranges[value.name] = 0..<rows
            notes.append("\(value.name): integers in [0, \(rows)), the rows of '\(table)' it indexes")
        }
        return (ranges, notes)
    }

    /// The default range for inputs that index no table.
    static func standard(_ type: ElementType) -> Range<Int64> { type == .int2 ? -2..<2 : 0..<4 }

    /// The fewest rows among the constant tables that `value` indexes (through ops that keep its values),
    /// and that table's name.
    static func smallestTable(indexedBy value: ValueID, in graph: Graph) -> (rows: Int64, table: String)? {
        let keepsValues: Set<String> = ["Cast", "Reshape", "Squeeze", "Unsqueeze", "Flatten", "Identity"]
        var smallest: (rows: Int64, table: String)?
        var pending = [value], seen = Set<ValueID>()
        while let v = pending.popLast() {
            guard seen.insert(v).inserted else { continue }
            for use in graph.value(v).uses {
                let node = graph.node(use.node)
                if node.isOnnx("Gather"), use.input == 1, let data = node.inputs[0], let dims = constantDims(data, in: graph) {
                    var axis = Int(node.attribute("axis")?.intValue ?? 0)
                    if axis < 0 { axis += dims.count }
                    guard dims.indices.contains(axis) else { continue }
                    if smallest.map({ dims[axis] < $0.rows }) ?? true { smallest = (dims[axis], graph.value(data).name) }
                } else if use.input == 0, keepsValues.contains(node.opType), node.isOnnx(node.opType) {
                    pending += node.outputs.compactMap { $0 }
                }
            }
        }
        return smallest
    }

    /// The dims of a constant: an initializer (not also an input) or a Constant node's tensor.
    static func constantDims(_ value: ValueID, in graph: Graph) -> [Int64]? {
        if graph.isConstant(value) { return graph.initializer(value)?.dims }
        if let producer = graph.producer(of: value), producer.isOnnx("Constant") { return producer.attribute("value")?.tensorValue?.dims }
        return nil
    }
}
