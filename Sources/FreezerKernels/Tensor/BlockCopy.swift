/// Copies that move whole contiguous blocks (Concat, Gather): one block copy per block instead of
/// one position per element.
extension TensorLayout {
    /// Concatenates arrays of one storage kind along `axis`; `outer` blocks of `blocks[k]` elements each.
    static func concatenate(_ arrays: [NDArray], outer: Int, blocks: [Int], shape: [Int]) -> NDArray {
        let first = arrays[0]
        let storage: NDArray.Storage
        switch first.storage {
        case .float: storage = .float(interleave(arrays.map(\.floats), outer: outer, blocks: blocks))
        case .double: storage = .double(interleave(arrays.map(\.doubles), outer: outer, blocks: blocks))
        case .int: storage = .int(interleave(arrays.map(\.ints), outer: outer, blocks: blocks))
        case .bool: storage = .bool(interleave(arrays.map(\.bools), outer: outer, blocks: blocks))
        case .string: storage = .string(interleave(arrays.map(\.strings), outer: outer, blocks: blocks))
        }
        return NDArray(elementType: first.elementType, shape: shape, storage: storage)
    }

    /// For each of `outer` steps, block `o` of every part in turn (part `k` is `outer` blocks of `blocks[k]`).
    private static func interleave<T>(_ parts: [[T]], outer: Int, blocks: [Int]) -> [T] {
        let width = blocks.reduce(0, +)
        return [T](unsafeUninitializedCapacity: width * outer) { out, initialized in
            for (k, part) in parts.enumerated() where blocks[k] > 0 {
                let block = blocks[k], column = blocks[..<k].reduce(0, +)
                part.withUnsafeBufferPointer { p in
                    for o in 0..<outer {
                        (out.baseAddress! + o * width + column).initialize(from: p.baseAddress! + o * block, count: block)
                    }
                }
            }
            initialized = width * outer
        }
    }

    /// Blocks of `inner` elements picked along one axis: `values` is `outer × size × inner`, and the
    /// result is `outer × rows.count × inner` with block `(o, k)` = block `(o, rows[k])` (already in range).
    static func gatherBlocks(_ array: NDArray, outer: Int, size: Int, inner: Int, rows: [Int], shape: [Int]) -> NDArray {
        let storage: NDArray.Storage
        switch array.storage {
        case .float(let v): storage = .float(pickBlocks(v, outer: outer, size: size, inner: inner, rows: rows))
        case .double(let v): storage = .double(pickBlocks(v, outer: outer, size: size, inner: inner, rows: rows))
        case .int(let v): storage = .int(pickBlocks(v, outer: outer, size: size, inner: inner, rows: rows))
        case .bool(let v): storage = .bool(pickBlocks(v, outer: outer, size: size, inner: inner, rows: rows))
        case .string(let v): storage = .string(pickBlocks(v, outer: outer, size: size, inner: inner, rows: rows))
        }
        return NDArray(elementType: array.elementType, shape: shape, storage: storage)
    }

    private static func pickBlocks<T>(_ values: [T], outer: Int, size: Int, inner: Int, rows: [Int]) -> [T] {
        let n = outer * rows.count * inner
        if n == 0 { return [] }
        return values.withUnsafeBufferPointer { src in
            rows.withUnsafeBufferPointer { rows in
                [T](unsafeUninitializedCapacity: n) { out, initialized in
                    var to = out.baseAddress!
                    for o in 0..<outer {
                        let from = src.baseAddress! + o * size * inner
                        if inner == 1 {
                            // Element gather (Gather on the last axis, embedding ids on a vector).
                            for (k, r) in rows.enumerated() { (to + k).initialize(to: from[r]) }
                        } else {
                            for (k, r) in rows.enumerated() { (to + k * inner).initialize(from: from + r * inner, count: inner) }
                        }
                        to += rows.count * inner
                    }
                    initialized = n
                }
            }
        }
    }
}
