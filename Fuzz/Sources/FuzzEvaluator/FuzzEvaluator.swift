import FreezerIR
import FreezerKernels
import FreezerONNX
import FuzzSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This process's scratch directory; `in/` holds only the input.
private let workDirectory = makeScratchDirectory(prefix: "freezer-fuzz-eval", subdirectories: ["in"], files: ["in/input.onnx"])

/// The one input file, overwritten for every input: the loader takes a path, not bytes.
private let inputPath = workDirectory + "/in/input.onnx"

/// With `FREEZER_FUZZ_VERBOSE` set, every input's outcome is printed: why it was skipped or what the
/// evaluator threw. For reproducing an artifact and for checking how deep the seeds reach.
private let verbose = getenv("FREEZER_FUZZ_VERBOSE") != nil

private func report(_ message: @autoclosure () -> String) {
    if verbose { print("FuzzEvaluator: \(message())") }
}

/// Feeds larger than this (elements over all inputs) are skipped: the harness looks for crashes, and
/// a model whose inputs alone are huge only measures the machine.
private let maxFeedElements = 1_000_000
/// A declared dimension above this is skipped for the same reason.
private let maxDeclaredDim: Int64 = 4096

/// Element types the evaluator holds in an NDArray; any other declared input type skips the model.
private let feedableTypes: Set<ElementType> = [
    .float, .float16, .bfloat16, .double, .int8, .int16, .int32, .int64,
    .uint8, .uint16, .uint32, .uint64, .bool, .string,
]

/// Fill values: 1 is a harmless default, 0 reaches divisions and empty ranges, -1 negative indices and
/// axes, 3 indices just past small dimensions, ±2^62 overflows in sizes and counts, NaN and infinity
/// conversions of floats to integers. Integer inputs get them clamped to their type's range.
private let fillValues: [Double] = [1, 0, -1, 3, 0x1p62, -0x1p62, .nan, .infinity]

/// Ranges of the integer types as the evaluator holds them (uint64 as its bit pattern: Int64).
private let integerRanges: [ElementType: (min: Double, max: Double)] = [
    .int8: (-128, 127), .int16: (-32768, 32767), .int32: (-0x1p31, 0x1p31 - 1), .int64: (-0x1p63, 0x1p62),
    .uint8: (0, 255), .uint16: (0, 65535), .uint32: (0, 0x1p32 - 1), .uint64: (0, 0x1p62),
]

/// A tensor of `shape` filled with `v`, represented as values of `type` are (clamped, NaN as 0).
private func filled(_ v: Double, shape: [Int], type: ElementType) -> NDArray {
    guard let range = integerRanges[type] else { return NDArray.filled(v, shape: shape, type: type) }
    let x = v.isNaN ? 0 : Swift.min(Swift.max(v, range.min), range.max)
    return NDArray(ints: [Int64](repeating: Int64(x), count: shape.reduce(1, *)), shape: shape, type: type)
}

/// A feed for every runtime input of the main graph, from its declared type (symbolic or unknown
/// dimensions are 1, an unknown rank a scalar); nil when the model is not worth running. Input k is
/// filled with `fillValues[(variant + k) % count]`, so data and index inputs differ.
private func makeFeeds(_ graph: Graph, variant: Int) -> [String: NDArray]? {
    var feeds: [String: NDArray] = [:]
    var total = 0
    for (k, id) in graph.runtimeInputs.enumerated() {
        let value = graph.value(id)
        guard let tensor = value.type?.tensor, feedableTypes.contains(tensor.elementType) else { return nil }
        var shape: [Int] = []
        for d in tensor.shape ?? [] {
            switch d {
            case .value(let v):
                guard v >= 0, v <= maxDeclaredDim else { return nil }
                shape.append(Int(v))
            case .symbol, .unknown:
                shape.append(1)
            }
        }
        // Each dimension is at most 4096, but their product may still overflow.
        var count = 1
        for n in shape {
            let (p, overflow) = count.multipliedReportingOverflow(by: n)
            guard !overflow, p <= maxFeedElements else { return nil }
            count = p
        }
        total += count
        guard total <= maxFeedElements else { return nil }
        feeds[value.name] = filled(fillValues[(variant + k) % fillValues.count], shape: shape, type: tensor.elementType)
    }
    return feeds
}

/// libFuzzer entry point: load the bytes as a model and, when it is valid, evaluate it on inputs
/// built from its declared input types.
///
/// Errors are the expected outcome for almost every input and are ignored; a crash, a sanitizer
/// report, a hang or runaway memory is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    writeFile(inputPath, data, size)
    let loaded: LoadedModel
    do { loaded = try ModelLoader.load(path: inputPath, options: .init(computeDigests: false)) } catch {
        report("not loaded: \(error)")
        return 0
    }
    // The product refuses invalid models before evaluating them.
    let issues = Validator.validate(loaded.model)
    guard issues.isEmpty else {
        report("invalid: \(issues[0])")
        return 0
    }
    // The run's variant comes from the input's size, so an input always reproduces the same run and
    // mutations explore both semantics and every fill value.
    let variant = size / 2, inference = size % 2 == 0
    guard let feeds = makeFeeds(loaded.model.graph, variant: variant) else {
        report("skipped: an input's type cannot be fed or its feed is too large")
        return 0
    }
    let interpreter = Interpreter(model: loaded.model, options: .init(inferenceSemantics: inference))
    do {
        let outputs = try interpreter.run(feeds)
        report("ran (fill variant \(variant % fillValues.count), inference semantics \(inference)): \(outputs.count) outputs")
    } catch {
        report("refused (fill variant \(variant % fillValues.count), inference semantics \(inference)): \(error)")
    }
    return 0
}

/// Hands control to libFuzzer (see `runLibFuzzer`).
@main
enum FuzzMain {
    static func main() {
        runLibFuzzer { data, size in
            guard let data else { return 0 } // libFuzzer passes a valid pointer even for empty inputs
            return fuzz(data, size)
        }
    }
}
