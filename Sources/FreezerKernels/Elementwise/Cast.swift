import Foundation
import FreezerIR

/// Cast (every opset; `to` is a type name string in opset 1, a `TensorProto.DataType` number after) and
/// CastLike (opset 15+), between all numeric types, bool and string.
///
/// Conversions follow onnxruntime: float to integer truncates, and out-of-range/NaN values give what
/// onnxruntime gives on x86-64 (see `IntegerSemantics.fromFloating`); integer to narrower integer keeps the
/// low bits; float64 to float16/bfloat16 rounds through float32, as onnxruntime does (the interpreter
/// rounds the Float result to the output type). Numbers format as `%.8g` ("NaN", "INF", "-INF"); strings
/// parse as `std::stod`/`std::stoll` (a numeric prefix; no number at all is an error).
///
/// The float8 types (opset 19+), float4e2m1 and float8e8m0 (opset 23/24+): values round once to nearest
/// even from the exact source value; `saturate` (default 1) decides what happens beyond the largest
/// finite value and to infinities (see `MiniFloat`; float4e2m1 always saturates), and `round_mode`
/// ("up", "down", "nearest"; default "up") rounds to float8e8m0. These are quantization formats whose
/// rounding is the cast's meaning, so it happens under `Precision.float64` too (the result is then held
/// as float64, exactly). To int4/uint4/int2/uint2 (opset 21/25+): floating values truncate toward zero
/// and become 0 when out of range (ONNX leaves that undefined; its reference gives 0); integers keep
/// their low bits, as for every narrower integer type.
enum Cast {
    static func register(_ r: inout KernelRegistry) {
        r.register("Cast") { ctx in
            let x = try ctx.input(0)
            return [try cast(x, to: try targetType(ctx), ctx)]
        }
        r.register("CastLike", versions: 15...Int64.max) { ctx in
            let x = try ctx.input(0), like = try ctx.input(1)
            // Under float64 a float8 `like` arrives widened; the graph still declares its type.
            var target = like.elementType
            if target == .double, let declared = ctx.declaredInputType(1), declared.isLowPrecisionFloat { target = declared }
            return [try cast(x, to: target, ctx)]
        }
    }

    /// `x` cast to `type` with the node's `saturate` and `round_mode`.
    static func cast(_ x: NDArray, to type: ElementType, _ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        guard type.isLowPrecisionFloat else { return try convert(x, to: ctx.precision.castTarget(type), ctx) }
        let saturate = ctx.int("saturate", default: 1) != 0
        let modeName = ctx.string("round_mode", default: "up")
        guard let mode = Float8E8M0.RoundMode(rawValue: modeName) else {
            throw ctx.fail("round_mode \"\(modeName)\" is not one of up, down, nearest")
        }
        let source: [Double]
        if case .string(let v) = x.storage {
            var parsed = [Double](); parsed.reserveCapacity(v.count)
            for s in v { parsed.append(try parseDouble(s, ctx)) }
            source = parsed
        } else {
            source = x.asDoubles
        }
        return NDArray(elementType: type, shape: x.shape,
                       storage: .float(lowPrecision(source, type, saturate: saturate, roundMode: mode)))
    }

    /// Values rounded to a float8/float4 format and widened back to Float (exact).
    static func lowPrecision(_ v: [Double], _ type: ElementType, saturate: Bool,
                             roundMode: Float8E8M0.RoundMode = .up) -> [Float] {
        if let format = MiniFloat.format(of: type) {
            return v.map { format.rounded($0, saturate: saturate) }
        }
        return v.map { Float8E8M0.decode(Float8E8M0.encode($0, saturate: saturate, roundMode: roundMode)) }
    }

    /// The `to` attribute: a DataType number, or (opset 1) its name such as "FLOAT".
    static func targetType(_ ctx: KernelContext) throws(EvaluationError) -> ElementType {
        guard let attribute = ctx.attribute("to") else { throw ctx.fail("attribute 'to' is missing") }
        if let n = attribute.intValue {
            guard let raw = Int32(exactly: n) else { throw ctx.fail("attribute 'to' = \(n) is not an element type") }
            return ElementType(rawValue: raw)
        }
        if let name = attribute.stringValue {
            let names: [String: ElementType] = [
                "FLOAT": .float, "UINT8": .uint8, "INT8": .int8, "UINT16": .uint16, "INT16": .int16, "INT32": .int32,
                "INT64": .int64, "STRING": .string, "BOOL": .bool, "FLOAT16": .float16, "DOUBLE": .double,
                "UINT32": .uint32, "UINT64": .uint64, "BFLOAT16": .bfloat16,
            ]
            guard let type = names[name.uppercased()] else { throw ctx.fail("attribute 'to' = \"\(name)\" is not a supported element type name") }
            return type
        }
        throw ctx.fail("attribute 'to' must be an integer (or a type name in opset 1)")
    }

    /// `x` converted to `type` (not a float8/float4 type: see `cast`).
    static func convert(_ x: NDArray, to type: ElementType, _ ctx: KernelContext) throws(EvaluationError) -> NDArray {
        let supported = NDArray.supportedElementTypes
        guard supported.contains(type), !type.isLowPrecisionFloat else {
            throw ctx.fail("casting to \(type) is not supported by the reference evaluator (supported: "
                           + "\(supported.sorted().map(\.description).joined(separator: ", ")))")
        }
        if x.elementType == type { return x }
        let storage: NDArray.Storage
        switch (x.storage, NDArray.kind(of: type)) {
        case let (.float(v), .float): storage = .float(v)
        case let (.float(v), .double): storage = .double(BroadcastMap.unary(v) { Double($0) })
        case let (.float(v), .int) where type == .uint32 && x.elementType != .float:
            // onnxruntime converts float16/bfloat16 to uint32 through a scalar int64 conversion (low 32 bits
            // of cvttsd2si), unlike float32's vectorized path: NaN and ±inf give 0, -5 gives 2^32 - 5.
            storage = .int(BroadcastMap.unary(v) { IntegerSemantics.cvtt64(Double($0)) & 0xFFFF_FFFF })
        case let (.float(v), .int): storage = .int(BroadcastMap.unary(v) { IntegerSemantics.fromFloating($0, type) })
        case let (.float(v), .bool): storage = .bool(BroadcastMap.unary(v) { $0 != 0 })
        case let (.float(v), .string): storage = .string(v.map { format(Double($0)) })

        case let (.double(v), .float): storage = .float(BroadcastMap.unary(v) { Float($0) })
        case let (.double(v), .double): storage = .double(v)
        case let (.double(v), .int): storage = .int(BroadcastMap.unary(v) { IntegerSemantics.fromFloating($0, type) })
        case let (.double(v), .bool): storage = .bool(BroadcastMap.unary(v) { $0 != 0 })
        case let (.double(v), .string): storage = .string(v.map(format))

        case let (.int(v), .float):
            let source = x.elementType
            storage = .float(BroadcastMap.unary(v) { IntegerSemantics.float($0, source) })
        case let (.int(v), .double):
            let source = x.elementType
            storage = .double(BroadcastMap.unary(v) { IntegerSemantics.double($0, source) })
        case let (.int(v), .int): storage = .int(BroadcastMap.unary(v) { IntegerSemantics.wrap($0, type) })
        case let (.int(v), .bool): storage = .bool(BroadcastMap.unary(v) { $0 != 0 })
        case let (.int(v), .string):
            storage = .string(x.elementType == .uint64 ? v.map { String(UInt64(bitPattern: $0)) } : v.map { String($0) })

        case let (.bool(v), .float): storage = .float(BroadcastMap.unary(v) { $0 ? 1 : 0 })
        case let (.bool(v), .double): storage = .double(BroadcastMap.unary(v) { $0 ? 1 : 0 })
        case let (.bool(v), .int): storage = .int(BroadcastMap.unary(v) { $0 ? 1 : 0 })
        case let (.bool(v), .bool): storage = .bool(v)
        case let (.bool(v), .string): storage = .string(v.map { $0 ? "1" : "0" })

        case let (.string(v), .float):
            var out = [Float](); out.reserveCapacity(v.count)
            for s in v { out.append(Float(try parseDouble(s, ctx))) }
            storage = .float(out)
        case let (.string(v), .double):
            var out = [Double](); out.reserveCapacity(v.count)
            for s in v { out.append(try parseDouble(s, ctx)) }
            storage = .double(out)
        case let (.string(v), .int):
            var out = [Int64](); out.reserveCapacity(v.count)
            for s in v { out.append(IntegerSemantics.wrap(try parseInteger(s, unsigned: type == .uint64, ctx), type)) }
            storage = .int(out)
        case let (.string(v), .bool):
            var out = [Bool](); out.reserveCapacity(v.count)
            for s in v { out.append(try parseInteger(s, unsigned: true, ctx) != 0) }
            storage = .bool(out)
        case let (.string(v), .string): storage = .string(v)
        }
        return NDArray(elementType: type, shape: x.shape, storage: storage)
    }

    /// A floating value as onnxruntime writes it: `%.8g`, with "NaN", "INF" and "-INF".
    static func format(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-INF" : "INF" }
        return String(format: "%.8g", d)
    }

    /// `std::stod`: leading whitespace, then the longest numeric prefix (decimal, hex, inf, nan).
    static func parseDouble(_ s: String, _ ctx: KernelContext) throws(EvaluationError) -> Double {
        let (value, ok, range) = s.withCString { p -> (Double, Bool, Bool) in
            var end: UnsafeMutablePointer<CChar>? = nil
            errno = 0
            let v = strtod(p, &end)
            return (v, end != nil && end! != UnsafeMutablePointer(mutating: p), errno == ERANGE)
        }
        guard ok else { throw ctx.fail("cannot cast string \"\(s)\" to a number") }
        guard !range else { throw ctx.fail("string \"\(s)\" is out of the range of float64") }
        return value
    }

    /// `std::stoll` (or `std::stoull`): leading whitespace, then a base-10 integer prefix.
    static func parseInteger(_ s: String, unsigned: Bool, _ ctx: KernelContext) throws(EvaluationError) -> Int64 {
        let (value, ok, range) = s.withCString { p -> (Int64, Bool, Bool) in
            var end: UnsafeMutablePointer<CChar>? = nil
            errno = 0
            let v = unsigned ? Int64(bitPattern: UInt64(strtoull(p, &end, 10))) : Int64(strtoll(p, &end, 10))
            return (v, end != nil && end! != UnsafeMutablePointer(mutating: p), errno == ERANGE)
        }
        guard ok else { throw ctx.fail("cannot cast string \"\(s)\" to an integer") }
        guard !range else { throw ctx.fail("string \"\(s)\" is out of the range of \(unsigned ? "uint64" : "int64")") }
        return value
    }
}
