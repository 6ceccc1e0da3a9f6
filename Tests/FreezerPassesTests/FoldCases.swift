@testable import FreezerIR
@testable import FreezerPasses

/// The linear operators a BatchNormalization folds into, each as a small graph, in every weight type.
struct FoldCase: CustomStringConvertible, Sendable {
    enum Target: String, CaseIterable, Sendable {
        case conv, convWithoutBias, convTransposeGrouped, gemm, gemmTransB, gemmScalarC, gemmMatrixC
        case matMul, matMulAddBiasRight, matMulAddBiasLeft, sharedConvWeight
    }
    static let types: [ElementType] = [.float, .float16, .bfloat16, .double]
    static let all: [FoldCase] = Target.allCases.flatMap { t in types.map { FoldCase(target: t, type: $0) } }

    var target: Target
    var type: ElementType
    var description: String { "\(target.rawValue)/\(type)" }

    var model: Model {
        var s = GraphSketch()
        var r = SeededNumbers(seed: 0xF01D + UInt64(Target.allCases.firstIndex(of: target)!))
        func weight(_ name: String, _ dims: [Int64]) {
            s.constant(name, r.values(Int(dims.reduce(1, *)), -3...3), dims, type: type)
        }
        let channels: Int
        switch target {
        case .conv, .convWithoutBias, .sharedConvWeight:
            channels = 3
            s.input("x", [1, 2, 4, 4], type: type)
            weight("W", [3, 2, 3, 3])
            if target == .conv { weight("B", [3]) }
            s.node("Conv", target == .conv ? ["x", "W", "B"] : ["x", "W"], ["c"], name: "conv")
            if target == .sharedConvWeight {
                s.node("Conv", ["x", "W"], ["z"], name: "conv2")
                s.output("z", type: type)
            }
        case .convTransposeGrouped:
            channels = 6
            s.input("x", [1, 4, 3, 3], type: type)
            weight("W", [4, 3, 2, 2])
            weight("B", [6])
            s.node("ConvTranspose", ["x", "W", "B"], ["c"], name: "deconv", [Attribute(name: "group", value: .int(2))])
        case .gemm, .gemmTransB, .gemmScalarC, .gemmMatrixC:
            channels = 5
            s.input("x", [4, 6], type: type)
            weight("Bw", target == .gemmTransB ? [5, 6] : [6, 5])
            switch target {
            case .gemmScalarC: weight("C", [])
            case .gemmMatrixC: weight("C", [4, 5])
            default: weight("C", [5])
            }
            s.node("Gemm", ["x", "Bw", "C"], ["c"], name: "gemm",
                   [Attribute(name: "transB", value: .int(target == .gemmTransB ? 1 : 0)),
                    Attribute(name: "alpha", value: .float(0.75)), Attribute(name: "beta", value: .float(0.5))])
        case .matMul, .matMulAddBiasRight, .matMulAddBiasLeft:
            channels = 5
            s.input("x", [4, 6], type: type)
            weight("W", [6, 5])
            if target == .matMul {
                s.node("MatMul", ["x", "W"], ["c"], name: "mm")
            } else {
                weight("bias", [5])
                s.node("MatMul", ["x", "W"], ["mm"], name: "mm")
                s.node("Add", target == .matMulAddBiasRight ? ["mm", "bias"] : ["bias", "mm"], ["c"], name: "add")
            }
        }
        s.batchNorm("c", "y", stats: .random(channels, seed: 7 + UInt64(channels)), type: type)
        s.output("y", type: type)
        return s.model
    }
}

/// Everything a fold produced that the log or the frozen model shows, as text: nodes, every initializer's
/// bytes (FNV-1a), and the recorded changes and skips with their evidence.
func foldFingerprint(_ m: Model, _ context: PassContext) -> String {
    func fnv(_ bytes: Bytes) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        bytes.withUnsafeBytes { for b in $0 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 } }
        return String(h, radix: 16)
    }
    var lines = ["ops " + m.graph.nodes.map { "\($0.opType)(\($0.inputs.map { $0.map { m.graph.value($0).name } ?? "" }.joined(separator: ",")))" }.joined(separator: " ")]
    for (_, t) in m.graph.initializers {
        lines.append("init \(t.name) \(t.elementType) \(t.dims) \((try? t.rawBytes()).map(fnv) ?? "unreadable")")
    }
    for c in context.changes {
        lines.append("change \(c.action) | \(c.detail) | \(c.nodes)")
        for (k, v) in c.evidence.sorted(by: { $0.key < $1.key }) { lines.append("  \(k) = \(v)") }
    }
    for s in context.skips { lines.append("skip \(s.node): \(s.reason)") }
    return lines.joined(separator: "\n")
}
