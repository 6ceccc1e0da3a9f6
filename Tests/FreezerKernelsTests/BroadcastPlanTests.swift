import Testing
@testable import FreezerKernels

@Suite("Broadcast plans")
struct BroadcastPlanTests {
    private func rows(_ plan: BroadcastPlan) -> [[Int]] {
        var out: [[Int]] = []
        plan.forEachRow { o, len, i0, i1, i2 in out.append([o, len, i0, i1, i2]) }
        return out
    }

    /// The same-shape shortcut walks the output exactly like the general plan does for equal shapes.
    @Test(arguments: [[Int](), [1], [1, 1], [5], [2, 3], [2, 1, 4], [2, 0], [0]])
    func sameShapeShortcutMatchesTheGeneralPlan(_ shape: [Int]) {
        let fast = BroadcastPlan(sameShape: shape)
        let general = BroadcastPlan(output: shape, operands: [shape, shape])
        #expect(fast.outputShape == general.outputShape)
        #expect(fast.count == general.count)
        for k in 0..<2 { #expect(fast.innerStride(k) == general.innerStride(k)) }
        #expect(rows(fast) == rows(general))
    }
}
