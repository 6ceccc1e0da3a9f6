import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerIR
@testable import FreezerPasses

/// The streamed fold reproduces the whole-tensor fold it replaced, bit for bit: folded tensors, names,
/// wiring and every evidence value the log records.
@Suite("FoldBatchNorm goldens")
struct FoldGoldenTests {
    @Test(arguments: FoldCase.all)
    func foldInMemoryIsUnchanged(_ c: FoldCase) throws {
        let (frozen, context) = try apply(FoldBatchNorm(), to: c.model)
        #expect(foldFingerprint(frozen, context) == foldGoldens[c.description])
        #expect(Validator.validate(frozen).isEmpty)
    }

    /// Every tensor through the spill store (no in-memory threshold): the same bytes, now mapped.
    @Test(arguments: FoldCase.all)
    func foldThroughTheStoreIsUnchanged(_ c: FoldCase) throws {
        let store = try TensorStore(directory: Fixtures.temporaryDirectory("fold-store"), inMemoryLimit: 0)
        var frozen = c.model
        var context = PassContext(tensorStore: store)
        context.currentPass = FoldBatchNorm.name
        try FoldBatchNorm().run(on: &frozen, context: &context)
        #expect(foldFingerprint(frozen, context) == foldGoldens[c.description])
        // The folded weight is now a mapping of the store's file.
        let linear = try #require(frozen.graph.nodes.first { ["Conv", "ConvTranspose", "Gemm", "MatMul"].contains($0.opType) })
        let weight = try #require(linear.inputs[1].flatMap { frozen.graph.initializer($0) })
        guard case .raw(let bytes) = weight.payload else { Issue.record("the folded weight is not raw bytes"); return }
        #expect(bytes.storage.isMapped)
    }
}
