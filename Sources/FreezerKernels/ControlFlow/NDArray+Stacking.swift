import FreezerIR

/// Taking one slice along an axis and stacking equally shaped arrays along a new axis: what Scan and
/// Loop do to their scan inputs and outputs. Usable by any family (Split/Unbind-like or Stack-like ops).
extension NDArray {
    /// The sub-array at `index` along `axis`, with that axis removed (`x[:, :, index]` for axis 2).
    ///
    /// The caller guarantees `0 <= axis < rank` and `0 <= index < shape[axis]`.
    public func slice(at index: Int, axis: Int) -> NDArray {
        let outer = shape[..<axis].reduce(1, *)
        let dim = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        var newShape = shape
        newShape.remove(at: axis)
        func take<E>(_ v: [E]) -> [E] {
            var out: [E] = []
            out.reserveCapacity(outer * inner)
            v.withUnsafeBufferPointer { p in
                for o in 0..<outer {
                    let base = (o * dim + index) * inner
                    out.append(contentsOf: p[base..<(base + inner)])
                }
            }
            return out
        }
        let storage: Storage = switch self.storage {
        case .float(let v): .float(take(v))
        case .double(let v): .double(take(v))
        case .int(let v): .int(take(v))
        case .bool(let v): .bool(take(v))
        case .string(let v): .string(take(v))
        }
        return NDArray(elementType: elementType, shape: newShape, storage: storage)
    }

    /// Why `stacked` refused its arrays.
    public struct StackError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Stacks arrays of one element type and one shape along a new axis `axis` (0...rank), like
    /// `numpy.stack`. `items` must not be empty.
    public static func stacked(_ items: [NDArray], axis: Int) throws(StackError) -> NDArray {
        guard let first = items.first else { throw StackError(description: "nothing to stack") }
        for (t, item) in items.enumerated() where item.elementType != first.elementType || item.shape != first.shape {
            throw StackError(description: "element \(t) is \(item) but element 0 is \(first); every element must have the same type and shape")
        }
        guard axis >= 0 && axis <= first.rank else {
            throw StackError(description: "axis \(axis) is out of range for stacking arrays of rank \(first.rank)")
        }
        let outer = first.shape[..<axis].reduce(1, *)
        let inner = first.shape[axis...].reduce(1, *)
        var shape = first.shape
        shape.insert(items.count, at: axis)

        func join<E>(_ extract: (Storage) -> [E]?) throws(StackError) -> [E] {
            var arrays: [[E]] = []
            arrays.reserveCapacity(items.count)
            for item in items {
                guard let v = extract(item.storage) else {
                    throw StackError(description: "internal: values of \(item) are not held in the computation type of \(item.elementType)")
                }
                arrays.append(v)
            }
            if outer == 1 { return Array(arrays.joined()) }
            var out: [E] = []
            out.reserveCapacity(outer * items.count * inner)
            for o in 0..<outer {
                for v in arrays {
                    v.withUnsafeBufferPointer { p in out.append(contentsOf: p[(o * inner)..<((o + 1) * inner)]) }
                }
            }
            return out
        }
        let storage: Storage = switch first.storage {
        case .float: .float(try join { if case .float(let v) = $0 { v } else { nil } })
        case .double: .double(try join { if case .double(let v) = $0 { v } else { nil } })
        case .int: .int(try join { if case .int(let v) = $0 { v } else { nil } })
        case .bool: .bool(try join { if case .bool(let v) = $0 { v } else { nil } })
        case .string: .string(try join { if case .string(let v) = $0 { v } else { nil } })
        }
        return NDArray(elementType: first.elementType, shape: shape, storage: storage)
    }
}
