import FreezerIR
import FreezerKernels

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same inputs on every
/// machine, so an equivalence run can be repeated exactly from its log.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [lo, hi).
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
        lo + (hi - lo) * Double(next() >> 11) * 0x1p-53
    }
}

/// Builds random inputs shaped from a model's declared input types.
public enum RandomInputs {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unsupportedInputType(input: String, type: String)
        case unknownRank(input: String)

        public var description: String {
            switch self {
            case let .unsupportedInputType(input, type):
                "input '\(input)' has type \(type), for which freezer cannot make random values; give real inputs with --inputs DIR"
            case let .unknownRank(input):
                "input '\(input)' has no declared shape; give its shape with --input-shape \(input)=1x3x224x224 or real inputs with --inputs DIR"
            }
        }
    }

    /// The concrete shape of each runtime input: declared dims, `overrides` for whole inputs, and for
    /// symbolic or unknown dims the override by symbol name, else the size `rule` gives. Returns the
    /// shapes and the defaults it had to choose (reported in the log and on the terminal).
    public static func shapes(for graph: Graph, overrides: [String: [Int]], rule: SymbolicDimensionRule = .sized) throws(Failure)
        -> (shapes: [String: [Int]], defaulted: [String]) {
        var result: [String: [Int]] = [:]
        var defaulted: [String] = []
        // A symbol names one size wherever it appears: the first occurrence decides it.
        var bySymbol: [String: Int] = [:]
        for id in graph.runtimeInputs {
            let value = graph.value(id)
            if let given = overrides[value.name] { result[value.name] = given; continue }
            guard let dims = value.type?.tensor?.shape else { throw .unknownRank(input: value.name) }
            result[value.name] = dims.enumerated().map { k, d in
                switch d {
                case .value(let v): return Int(v)
                case .symbol(let s):
                    if let o = overrides[s]?.first { return o }
                    let size = bySymbol[s] ?? rule.size(symbol: s, position: k)
                    if bySymbol[s] == nil { defaulted.append("\(value.name) dim \(k) '\(s)' = \(size)") }
                    bySymbol[s] = size
                    return size
                case .unknown:
                    let size = rule.size(symbol: nil, position: k)
                    defaulted.append("\(value.name) dim \(k) (unnamed) = \(size)")
                    return size
                }
            }
        }
        return (result, defaulted)
    }

    /// One sample: floats uniform in [-1, 1), integers uniform in their range in `integerRanges` (an
    /// input that indexes a table: `IntegerInputRange`) and otherwise in [0, 4) (int2 in [-2, 2)), bools
    /// fair coin flips.
    public static func sample(for graph: Graph, shapes: [String: [Int]], integerRanges: [String: Range<Int64>] = [:],
                              generator: inout SeededGenerator) throws(Failure) -> [String: NDArray] {
        var feeds: [String: NDArray] = [:]
        for id in graph.runtimeInputs {
            let value = graph.value(id)
            guard let type = value.type?.tensor?.elementType, let shape = shapes[value.name] else {
                throw .unsupportedInputType(input: value.name, type: value.type?.description ?? "unknown")
            }
            let n = shape.reduce(1, *)
            switch NDArray.kind(of: type) {
            case .float:
                let v = (0..<n).map { _ in Float(generator.uniform(-1, 1)) }
                feeds[value.name] = NDArray(floats: v, shape: shape, type: type).rounded()
            case .double:
                feeds[value.name] = NDArray(doubles: (0..<n).map { _ in generator.uniform(-1, 1) }, shape: shape)
            case .int:
                let range = integerRanges[value.name] ?? IntegerInputRange.standard(type)
                let width = UInt64(range.upperBound - range.lowerBound)
                feeds[value.name] = NDArray(ints: (0..<n).map { _ in Int64(generator.next() % width) + range.lowerBound }, shape: shape, type: type)
            case .bool:
                feeds[value.name] = NDArray(bools: (0..<n).map { _ in generator.next() & 1 == 1 }, shape: shape)
            case .string:
                throw .unsupportedInputType(input: value.name, type: type.description)
            }
        }
        return feeds
    }
}

/// The size of a symbolic or unknown input dimension that neither the model nor `--input-shape` fixes.
public enum SymbolicDimensionRule: Sendable, Equatable {
    /// 1 for a batch dimension, `size` (16) for every other. A batch of one loses nothing (the samples
    /// differ), but a size of 1 elsewhere hides what a conversion may have broken: a 3×3 convolution on a
    /// 1×1 image uses only its kernels' centre taps, attention over one token never uses its scores, a
    /// recurrence of one step never uses its recurrent weights.
    case sized
    /// Every such dimension 1: how freezer checked conversions before it chose sizes (`--reverify` of a
    /// log that does not record its input shapes).
    case ones

    /// The size of the non-batch dimensions.
    public static let size = 16

    /// A dimension is a batch when its symbol says so, or when it is the first and its symbol does not
    /// name a sequence, time or image extent (a time-major recurrence's first dimension is its steps).
    func size(symbol: String?, position: Int) -> Int {
        guard self == .sized else { return 1 }
        let name = symbol?.lowercased() ?? ""
        if name.contains("batch") || ["n", "b", "bs", "bsz"].contains(name) { return 1 }
        let extent = ["seq", "len", "time", "step", "token", "pos", "height", "width", "frame"].contains { name.contains($0) }
        return position == 0 && !extent ? 1 : Self.size
    }
}
