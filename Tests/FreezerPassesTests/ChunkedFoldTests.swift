import Foundation
import FreezerTestSupport
import Testing
@testable import FreezerIR
@testable import FreezerPasses

/// The fold holds one chunk in Double, never the weight, and its chunks join up exactly.
@Suite("Chunked fold")
struct ChunkedFoldTests {
    @Test func theApplierWorksInBoundedChunks() throws {
        // 512 KiB of Double per chunk, whatever the weight's size.
        #expect(ChunkedFold.chunkElements * MemoryLayout<Double>.size <= 1 << 20)
        let count = 1_000_003
        let writer = PayloadWriter(inMemory: count * 4)
        var calls = 0, largest = 0, covered = 0
        _ = try ChunkedFold.write(count: count, as: .float, replacing: nil, to: writer) { range, replaced, out in
            #expect(replaced == nil, "nothing is replaced")
            calls += 1
            largest = max(largest, out.count)
            #expect(range.lowerBound == covered && out.count == range.count)
            covered = range.upperBound
            for k in out.indices { out[k] = Double(range.lowerBound + k) }
        }
        #expect(covered == count)
        #expect(largest == ChunkedFold.chunkElements)
        #expect(calls == (count + ChunkedFold.chunkElements - 1) / ChunkedFold.chunkElements)
        let bytes = try writer.finish()
        let floats = try Tensor(name: "", elementType: .float, dims: [Int64(count)], payload: .raw(bytes)).floats()
        #expect(floats.enumerated().allSatisfy { Float($0.offset) == $0.element })
    }

    /// float32's one-pass encoding stores the same bytes and measures the same maxima as the general path
    /// (`encode`, then `RunningMax.addDistances` twice), NaN, infinities, −0 and values beyond Float's range
    /// included, from an empty maximum, from one already started, and from one that is NaN.
    @Test(arguments: [0, 1, 7, 8, 9, 4099])
    func float32InOnePassMatchesTheGeneralPath(count: Int) {
        var r = SeededNumbers(seed: UInt64(count) + 3)
        var exact = r.values(count, -3...3).map { $0 * 1.000000123 }
        var before = r.values(count, -3...3)
        let specials: [Double] = [.nan, .infinity, -.infinity, -0.0, 1e300, -1e-320, Double(Float.greatestFiniteMagnitude) * 1.0000001]
        for (k, v) in specials.enumerated() where count > 0 {
            exact[(k * 613) % count] = v
            before[(k * 389 + 1) % count] = specials[(k + 2) % specials.count]
        }
        func starts() -> [ChunkedFold.Measures] {
            var started = ChunkedFold.Measures(), nan = ChunkedFold.Measures()
            started.largestRounding.add(1e-9); started.largestChange.add(0.5)
            nan.largestRounding.add(.nan); nan.largestChange.add(.nan)
            return [ChunkedFold.Measures(), started, nan]
        }
        for withBefore in [false, true] {
            for (general, fused) in zip(starts(), starts()) {
                var general = general, fused = fused
                var generalBytes = [UInt8](repeating: 0, count: count * 4), fusedBytes = generalBytes
                var stored = [Double](repeating: 0, count: count)
                generalBytes.withUnsafeMutableBytes { p in stored.withUnsafeMutableBufferPointer { ChunkedFold.encode(exact, count, .float, into: p, storedValues: $0) } }
                stored.withUnsafeBufferPointer { after in
                    exact.withUnsafeBufferPointer { general.largestRounding.addDistances(after, $0, count: count) }
                    before.withUnsafeBufferPointer { general.largestChange.addDistances(after, withBefore ? $0 : nil, count: count) }
                }
                exact.withUnsafeBufferPointer { e in
                    before.withUnsafeBufferPointer { b in
                        fusedBytes.withUnsafeMutableBytes { out in
                            guard count > 0 else { return }
                            ChunkedFold.encodeFloats(e.baseAddress!, count, into: out.baseAddress!, before: withBefore ? b.baseAddress : nil, measures: &fused)
                        }
                    }
                }
                #expect(fusedBytes == generalBytes)
                for (a, b) in [(fused.largestRounding.value, general.largestRounding.value), (fused.largestChange.value, general.largestChange.value)] {
                    #expect(a?.bitPattern == b?.bitPattern, "count \(count), before \(withBefore): \(String(describing: a)) vs \(String(describing: b))")
                }
            }
        }
    }

    /// The replaced tensor's values reach `exact` decoded, for a chunk it covers whole, and not otherwise.
    @Test func theReplacedTensorsValuesArePassedWhereItCoversTheChunk() throws {
        let oldCount = 100_000
        let old = Tensor.make(name: "W", type: .float, dims: [Int64(oldCount)], values: (0..<oldCount).map { Double($0) / 8 })
        let count = 150_000
        var seen: [(Range<Int>, Bool)] = []
        _ = try ChunkedFold.write(count: count, as: .float, replacing: old, to: PayloadWriter(inMemory: count * 4)) { range, replaced, out in
            seen.append((range, replaced != nil))
            if let replaced { #expect(replaced.count == range.count && replaced.indices.allSatisfy { replaced[$0] == Double(range.lowerBound + $0) / 8 }) }
            for k in out.indices { out[k] = 0 }
        }
        let chunk = ChunkedFold.chunkElements
        #expect(seen.map(\.0) == [0..<chunk, chunk..<(2 * chunk), (2 * chunk)..<count])
        #expect(seen.map(\.1) == [true, false, false])
    }

    /// Weights of several chunks, folded through the store and in memory, against a per-element reference.
    @Test(arguments: [ElementType.float, .float16, .bfloat16, .double], [false, true])
    func largeWeightsFoldExactlyAcrossChunks(type: ElementType, grouped: Bool) throws {
        var s = GraphSketch()
        var r = SeededNumbers(seed: 77)
        let channels = grouped ? 8 : 300
        let stats = BatchNormStats.random(channels, seed: 78)
        let dims: [Int64] = grouped ? [8, 4, 48, 48] : [240, 300]  // ConvTranspose [C_in, C_out/group, k, k], group 2; MatMul [K, N]
        let w = r.values(Int(dims.reduce(1, *)), -3...3)
        s.constant("W", w, dims, type: type)
        if grouped {
            s.input("x", [1, 8, 2, 2], type: type)
            s.node("ConvTranspose", ["x", "W"], ["c"], name: "deconv", [Attribute(name: "group", value: .int(2))])
        } else {
            s.input("x", [3, 240], type: type)
            s.node("MatMul", ["x", "W"], ["c"], name: "mm")
        }
        s.batchNorm("c", "y", stats: stats, type: type)
        s.output("y", type: type)
        let stored = try s.model.graph.tensor("W")!.doubles()
        let storedStats = try ["scale", "bias", "mean", "var"].map { try s.model.graph.tensor("bn_\($0)")!.doubles() }
        let a = (0..<channels).map { storedStats[0][$0] / (storedStats[3][$0] + Double(Float(1e-5))).squareRoot() }
        func channel(_ e: Int) -> Int {
            grouped ? (e / (4 * 48 * 48)) / 4 * 4 + (e / (48 * 48)) % 4 : e % 300
        }
        let expected = Tensor.make(name: "W", type: type, dims: dims, values: stored.indices.map { stored[$0] * a[channel($0)] })

        let (inMemory, _) = try apply(FoldBatchNorm(), to: s.model)
        #expect(try inMemory.graph.tensor("W")!.rawBytes() == expected.rawBytes())
        let store = try TensorStore(directory: Fixtures.temporaryDirectory("fold-large"))
        var spilled = s.model
        var context = PassContext(tensorStore: store)
        try FoldBatchNorm().run(on: &spilled, context: &context)
        let folded = try #require(spilled.graph.tensor("W"))
        #expect(try folded.rawBytes() == expected.rawBytes())
        guard case .raw(let bytes) = folded.payload else { Issue.record("not raw"); return }
        #expect(bytes.storage.isMapped)
    }

    /// A full disk under the folded weights is reported as a storage failure, not as a model that cannot be
    /// frozen: /dev/full fails every write with ENOSPC, as a full file system does.
    @Test func aFullDiskIsAStorageFailureOfThePass() throws {
        var s = GraphSketch()
        var r = SeededNumbers(seed: 5)
        s.constant("W", r.values(240 * 300, -1...1), [240, 300])
        s.input("x", [3, 240])
        s.node("MatMul", ["x", "W"], ["c"], name: "mm")
        s.batchNorm("c", "y", stats: BatchNormStats.random(300, seed: 6))
        s.output("y")
        let fd = open("/dev/full", O_RDWR | O_CLOEXEC)
        try #require(fd >= 0, "/dev/full is not available")
        var model = s.model
        var context = PassContext(tensorStore: TensorStore(fileDescriptor: fd))
        #expect {
            try FoldBatchNorm().run(on: &model, context: &context)
        } throws: { error in
            guard let failure = (error as? PassError)?.storageFailure, case .write(let reason) = failure else { return false }
            return reason == String(cString: strerror(ENOSPC))
        }
    }
    /// The eight-lane maximum of distances is `add` one element at a time, bit for bit: NaN first keeps
    /// NaN, NaN later is passed over, -0 and +0, counts around the lane width, with and without a
    /// running value and a second operand.
    @Test func distancesAreAddedAsOneByOne() {
        var generator = SystemRandomNumberGenerator()
        let specials: [Double] = [.nan, -0.0, 0.0, .infinity, -.infinity, 1e-300, -5]
        for count in [0, 1, 7, 8, 9, 17, 64, 101] {
            for trial in 0..<40 {
                let a = (0..<count).map { _ in Bool.random(using: &generator) && trial % 3 == 0 ? specials.randomElement(using: &generator)! : Double.random(in: -3...3, using: &generator) }
                let b = (0..<count).map { _ in trial % 5 == 0 ? specials.randomElement(using: &generator)! : Double.random(in: -3...3, using: &generator) }
                for start: Double? in [nil, 0.5, .nan] {
                    for second in [false, true] {
                        var one = RunningMax(), eight = RunningMax()
                        if let start { one.add(start); eight.add(start) }
                        for k in 0..<count { one.add(abs(a[k] - (second ? b[k] : 0))) }
                        a.withUnsafeBufferPointer { pa in
                            b.withUnsafeBufferPointer { pb in eight.addDistances(pa, second ? pb : nil, count: count) }
                        }
                        #expect(one.value?.bitPattern == eight.value?.bitPattern, "\(a) \(b) \(String(describing: start))")
                    }
                }
            }
        }
    }
}
