import Testing
@testable import FreezerIR
@testable import FreezerKernels

@Suite("Memory guard")
struct MemoryGuardTests {
    static let model = Model(irVersion: 8, opsetImports: [.init(domain: "", version: 17)],
                             graph: Graph(name: "g", inputs: [ValueInfo(name: "x", type: nil)], outputs: [ValueInfo(name: "y", type: nil)],
                                          nodes: [NodeSpec(name: "relu", opType: "Relu", opsetVersion: 17, inputs: ["x"], outputs: ["r"]),
                                                  NodeSpec(name: "neg", opType: "Neg", opsetVersion: 17, inputs: ["r"], outputs: ["y"])]))
    static let batch = [["x": NDArray(floats: [1, -2], shape: [2])], ["x": NDArray(floats: [3, 4], shape: [2])]]

    /// A reserve no machine has: the run stops after the first node with what it needs and what lowers it.
    @Test func runStopsWithAClearErrorWhenTheReserveIsNotAvailable() throws {
        guard MemoryGuard.availableBytes() != nil else { return }  // the system does not report available memory
        let interpreter = Interpreter(model: Self.model, options: .init(keepsConstants: false, memoryGuard: MemoryGuard(reserveBytes: Int.max / 2)))
        let error = #expect(throws: EvaluationError.self) { try interpreter.run(batch: Self.batch) }
        guard case .outOfMemory(let node, let available, let resident, _, let samples)? = error else {
            Issue.record("expected outOfMemory, got \(String(describing: error))"); return
        }
        #expect(node == "relu" && samples == 2 && available > 0 && resident > 0)
        #expect(error?.description.contains("--samples") == true)
    }

    @Test func aReserveThatIsAvailableChangesNothing() throws {
        let interpreter = Interpreter(model: Self.model, options: .init(keepsConstants: false, memoryGuard: MemoryGuard(reserveBytes: 1 << 20)))
        #expect(try interpreter.run(batch: Self.batch).map { $0["y"]!.floats } == [[-1, 0], [-3, -4]])
    }

    /// Evaluations side by side share a guard: once one finds memory short, the other stops at its next
    /// node too; a renewed guard starts afresh.
    @Test func oneEvaluationRunningShortStopsTheOthersSharingItsGuard() throws {
        let shared = MemoryGuard(reserveBytes: 0, simulatedSampleLimit: 1)
        #expect(throws: EvaluationError.self) { try shared.check(after: "a", samples: 2) }
        #expect(throws: EvaluationError.self) { try shared.check(after: "b", samples: 1) }
        try shared.renewed().check(after: "c", samples: 1)
        #expect(shared.renewed() == shared)
    }

    @Test func procFieldsAreReadInBytes() throws {
        guard let total = MemoryGuard.physicalBytes(), let available = MemoryGuard.availableBytes() else { return }
        #expect(total > 1 << 26 && available > 0 && available <= total)
        #expect(MemoryGuard.text(3 << 29) == "1.5 GiB" && MemoryGuard.text(312 << 20) == "312 MiB")
    }
}
