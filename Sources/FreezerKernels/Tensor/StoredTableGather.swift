import FreezerIR

/// A Gather on axis 0 of a large constant table (an embedding), reading only the rows its indices pick.
///
/// Decoding the whole table would hold it in memory at the evaluation's width, four bytes per element,
/// eight for the exact reference: 8 GB for a 250,000 × 4,096 float16 vocabulary of which a check of a few
/// tokens reads a few rows. Here the picked rows are copied from the stored bytes (the mapped file) into a
/// table of their own, decoded exactly as the whole table would be, and gathered from it: the same values.
enum StoredTableGather {
    /// The table of `node` when it is read by rows: a Gather on axis 0 whose data may be read from its stored
    /// bytes (`StoredWeightProduct.storedOperand`).
    static func table(of node: Node, in graph: Graph) -> Tensor? {
        guard node.isOnnx("Gather"), node.attribute("axis")?.intValue ?? 0 == 0, node.inputs.count == 2,
              let tensor = StoredWeightProduct.storedOperand(node.inputs[0], in: graph), !tensor.dims.isEmpty else { return nil }
        return tensor
    }

    /// `table[indices]` for each of `indices` (one per sample), as `precision` holds the values; nil when an
    /// index is not an integer tensor or is out of range, so that the decoded path runs and reports it.
    static func gather(_ table: Tensor, indices: [NDArray], precision: Precision) throws(EvaluationError) -> [NDArray]? {
        guard case .raw(let bytes) = table.payload, let width = table.elementType.byteWidth else { return nil }
        let rows = Int(table.dims[0])
        let rowElements = table.dims.dropFirst().reduce(1) { $0 * Int($1) }
        var wrapped: [[Int]] = []
        for array in indices {
            guard case .int(let values) = array.storage else { return nil }
            var sample: [Int] = []
            sample.reserveCapacity(values.count)
            for v in values {
                guard v >= -Int64(rows), v < Int64(rows) else { return nil }
                sample.append(Int(v < 0 ? v + Int64(rows) : v))
            }
            wrapped.append(sample)
        }
        // The rows picked by any sample, in table order, and each one's place among them.
        let picked = Array(Set(wrapped.joined())).sorted()
        let place = Dictionary(uniqueKeysWithValues: picked.enumerated().map { ($1, $0) })
        let rowBytes = rowElements * width
        var compact = [UInt8](repeating: 0, count: picked.count * rowBytes)
        bytes.withUnsafeBytes { source in
            compact.withUnsafeMutableBytes { target in
                for (k, row) in picked.enumerated() where rowBytes > 0 {
                    target.baseAddress!.advanced(by: k * rowBytes).copyMemory(from: source.baseAddress!.advanced(by: row * rowBytes), byteCount: rowBytes)
                }
            }
        }
        var subset = table
        subset.externalSource = nil
        subset.dims[0] = Int64(picked.count)
        subset.payload = .raw(Bytes(compact))
        let values = try NDArray(subset, precision: precision)
        let inner = Array(table.dims.dropFirst().map { Int($0) })
        return zip(wrapped, indices).map { sample, array in
            TensorLayout.gatherBlocks(values, outer: 1, size: picked.count, inner: rowElements, rows: sample.map { place[$0]! }, shape: array.shape + inner)
        }
    }
}
