import CFreezerKernels
import Foundation
import FreezerIR

/// Softmax and LogSoftmax, in both axis conventions.
///
/// Opsets 1–12 coerce the input to 2-D at `axis` (default 1): `[a0*...*a(k-1), ak*...*a(n-1)]`, and
/// normalize each row. Opset 13+ normalizes along the single dimension `axis` (default -1). Both subtract
/// the maximum first, so large inputs neither overflow nor lose precision; sums are accumulated in the
/// element's computation type (Float for float32) as onnxruntime does.
enum Softmax {
    static func register(_ r: inout KernelRegistry) {
        for (op, log) in [("Softmax", false), ("LogSoftmax", true)] {
            r.register(op, versions: 1...12) { ctx in try run(ctx, log: log, coerced: true) }
            r.register(op, versions: 13...Int64.max) { ctx in try run(ctx, log: log, coerced: false) }
        }
    }

    static func run(_ ctx: KernelContext, log: Bool, coerced: Bool) throws(EvaluationError) -> [NDArray?] {
        var x = try ctx.input(0)
        let rank = x.rank
        let axisAttr = ctx.int("axis", default: coerced ? 1 : -1)
        // Coerced form: axis may equal the rank (an empty second dimension product of 1).
        let axis: Int
        if coerced && axisAttr == Int64(rank) { axis = rank } else { axis = try ctx.axis(axisAttr, rank: rank) }
        let outer: Int, length: Int, inner: Int
        if coerced {
            outer = x.shape[..<axis].reduce(1, *)
            length = x.shape[axis...].reduce(1, *)
            inner = 1
        } else {
            outer = x.shape[..<min(axis, rank)].reduce(1, *)
            length = rank == 0 ? 1 : x.shape[axis]
            inner = rank == 0 ? 1 : x.shape[(axis + 1)...].reduce(1, *)
        }
        switch x.storage {
        case .float(let v) where !log && inner == 1 && NativeKernels.isAvailable:
            x.storage = .float(softmaxRows(v, length: length))
        case .float(let v):
            x.storage = .float(normalize(v, outer: outer, length: length, inner: inner, log: log,
                                         exp: { Foundation.exp($0) }, ln: { Foundation.log($0) }))
        case .double(let v):
            x.storage = .double(normalize(v, outer: outer, length: length, inner: inner, log: log,
                                          exp: { Foundation.exp($0) }, ln: { Foundation.log($0) }))
        default:
            throw ctx.unsupported(x.elementType)
        }
        return [x]
    }

    /// Softmax of contiguous rows of `length` floats with the vectorized C kernel (its exp is within
    /// 2 ulp, its row sums are 16 lane sums added in a fixed order: as accurate as libm's expf with a
    /// sequential sum, measured against float64; the transformer benchmark's Softmax nodes take a fifth
    /// of the time).
    static func softmaxRows(_ values: [Float], length: Int) -> [Float] {
        guard length > 0, !values.isEmpty else { return values }
        return values.withUnsafeBufferPointer { x in
            [Float](unsafeUninitializedCapacity: values.count) { y, initialized in
                fz_softmax_rows(x.baseAddress!, y.baseAddress!, values.count / length, length)
                initialized = values.count
            }
        }
    }

    /// Normalizes `values` viewed as `[outer, length, inner]` along the middle dimension.
    @inline(__always)
    static func normalize<T: BinaryFloatingPoint>(_ values: [T], outer: Int, length: Int, inner: Int, log: Bool,
                                                  exp: (T) -> T, ln: (T) -> T) -> [T] {
        guard length > 0, !values.isEmpty else { return values }
        // Every output element is written below, so the result starts uninitialized rather than as a
        // copy of the input that would be overwritten.
        return values.withUnsafeBufferPointer { x in
            [T](unsafeUninitializedCapacity: values.count) { y, initialized in
                for o in 0..<outer {
                    for i in 0..<inner {
                        let base = o * length * inner + i
                        // The usual last-axis case gets a literal stride of 1, so its loops are contiguous.
                        if inner == 1 {
                            normalizeLine(x.baseAddress! + base, y.baseAddress! + base, length: length, stride: 1, log: log, exp: exp, ln: ln)
                        } else {
                            normalizeLine(x.baseAddress! + base, y.baseAddress! + base, length: length, stride: inner, log: log, exp: exp, ln: ln)
                        }
                    }
                }
                initialized = values.count
            }
        }
    }

    /// Normalizes the `length` values `x[0], x[stride], ...` into the same places of `y`.
    @inline(__always)
    static func normalizeLine<T: BinaryFloatingPoint>(_ x: UnsafePointer<T>, _ y: UnsafeMutablePointer<T>, length: Int, stride: Int,
                                                      log: Bool, exp: (T) -> T, ln: (T) -> T) {
        var m = x[0]
        for k in 1..<length {
            let v = x[k &* stride]
            if v > m || v.isNaN { m = v }
        }
        var sum: T = 0
        if log {
            for k in 0..<length { sum += exp(x[k &* stride] - m) }
            let logSum = ln(sum)
            for k in 0..<length { y[k &* stride] = x[k &* stride] - m - logSum }
        } else {
            for k in 0..<length {
                let e = exp(x[k &* stride] - m)
                y[k &* stride] = e
                sum += e
            }
            for k in 0..<length { y[k &* stride] /= sum }
        }
    }
}
