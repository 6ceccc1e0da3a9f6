import FreezerIR
import FreezerONNX
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// freezer-io-bench: synthesizes large models and times loading and saving them.
// Peak RSS is measured from outside (scripts/bench-io.sh runs this under /usr/bin/time -v); the phase
// lines on stderr add the peak so far after each phase, to tell which phase touched the memory.

let usage = """
    usage: freezer-io-bench synthesize OUT.onnx --megabytes N [--external]
           freezer-io-bench roundtrip IN.onnx OUT.onnx
           freezer-io-bench inspect IN.onnx
           freezer-io-bench digest FILE
    """

/// Writes a line to stderr, keeping stdout for results.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Prints `message` to stderr and exits with status 1.
func fail(_ message: String) -> Never {
    printError("freezer-io-bench: \(message)")
    exit(1)
}

/// Runs `body`, then prints its wall time and the process's peak RSS so far to stderr.
func phase<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try body()
    let elapsed = (clock.now - start).components
    let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage) // ru_maxrss in KiB
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    printError(String(format: "  %@ %.3f s, peak RSS so far %.1f MB", name, seconds, Double(usage.ru_maxrss) / 1024))
    return result
}

/// SplitMix64: a tiny seeded generator, so that the same arguments always give the same file.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A float32 tensor of `dims` with values uniform in [-0.05, 0.05), in memory the tensor owns.
func randomTensor(_ name: String, _ dims: [Int], _ rng: inout SplitMix64) -> Tensor {
    let count = dims.reduce(1, *)
    let memory = UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64)
    let floats = memory.bindMemory(to: Float.self, capacity: count)
    for k in stride(from: 0, to: count, by: 2) {
        let bits = rng.next()
        floats[k] = Float(Int32(truncatingIfNeeded: bits)) * (0.05 / 2_147_483_648)
        if k + 1 < count { floats[k + 1] = Float(Int32(truncatingIfNeeded: bits >> 32)) * (0.05 / 2_147_483_648) }
    }
    return Tensor(name: name, elementType: .float, dims: dims.map(Int64.init),
                  payload: .raw(Bytes(storage: ByteStorage(adopting: memory, count: count * 4))))
}

/// Writes a chain of `MatMul` + `Add` layers (1024 × 1024 weights, 4 MiB each) whose initializers
/// total about `megabytes` MiB; with `external`, every tensor goes to `OUT.onnx.data`.
func synthesize(_ path: String, megabytes: Int, external: Bool) throws(ModelSaveError) {
    let width = 1024
    let layers = max(1, (megabytes << 20) / (width * width * 4))
    var rng = SplitMix64(state: 0x5EED)
    var initializers: [Tensor] = []
    var nodes: [NodeSpec] = []
    var previous = "x"
    for k in 0..<layers {
        initializers.append(randomTensor("W\(k)", [width, width], &rng))
        initializers.append(randomTensor("b\(k)", [width], &rng))
        nodes.append(NodeSpec(name: "matmul\(k)", opType: "MatMul", inputs: [previous, "W\(k)"], outputs: ["mm\(k)"]))
        nodes.append(NodeSpec(name: "add\(k)", opType: "Add", inputs: ["mm\(k)", "b\(k)"], outputs: ["h\(k)"]))
        previous = "h\(k)"
    }
    let io = { (name: String) in
        ValueInfo(name: name, type: ValueType(tensor: TensorType(elementType: .float, shape: [.value(1), .value(Int64(width))])))
    }
    let graph = Graph(name: "io-bench", inputs: [io("x")], outputs: [io(previous)],
                      initializers: initializers, nodes: nodes)
    let model = Model(irVersion: 8, opsetImports: [OpsetImport(domain: "", version: 17)],
                      producerName: "freezer-io-bench", graph: graph)
    let saved = try ModelSaver.save(model, to: path, options: .init(externalData: external ? .always : .never))
    print("synthesized \(path): \(layers) layers, \(saved.size) bytes" + (saved.dataFile.map { " + data file \($0.size) bytes" } ?? ""))
}

/// Loads and saves, as `freezer freeze` does without rewriting anything.
func roundtrip(_ input: String, _ output: String) throws {
    let loaded = try phase("load") { () throws(ModelLoadError) in try ModelLoader.load(path: input) }
    let saved = try phase("save") { () throws(ModelSaveError) in
        try ModelSaver.save(loaded.model, to: output, options: .init(protectedPaths: loaded.source.protectedPaths))
    }
    print("saved \(output): \(saved.size) bytes, sha256 \(saved.sha256)")
}

/// Loads with digests, as `freezer inspect` does, and prints what was found.
func inspect(_ path: String) throws {
    let loaded = try phase("load") { () throws(ModelLoadError) in try ModelLoader.load(path: path) }
    let graph = loaded.model.graph
    let bytes = graph.initializers.reduce(0) { $0 + $1.tensor.storedByteCount }
    print("\(path): \(graph.nodes.count) nodes, \(graph.initializers.count) initializers, \(bytes) payload bytes")
    print("  sha256 \(loaded.source.sha256)  \(loaded.source.size) bytes")
    for file in loaded.source.dataFiles { print("  sha256 \(file.sha256)  \(file.size) bytes  \(file.location)") }
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "synthesize":
        guard arguments.count >= 4, arguments[2] == "--megabytes", let n = Int(arguments[3]), n > 0 else { fail(usage) }
        try synthesize(arguments[1], megabytes: n, external: arguments.dropFirst(4) == ["--external"])
    case "roundtrip" where arguments.count == 3:
        try roundtrip(arguments[1], arguments[2])
    case "inspect" where arguments.count == 2:
        try inspect(arguments[1])
    case "digest" where arguments.count == 2:
        // For comparison with sha256sum: the same streamed digest the loader computes.
        let result = try phase("digest") { () throws(FileDigestError) in try FileDigest.sha256(ofFile: arguments[1]) }
        print("\(result.sha256)  \(arguments[1])")
    default:
        fail(usage)
    }
} catch {
    fail("\(error)")
}
