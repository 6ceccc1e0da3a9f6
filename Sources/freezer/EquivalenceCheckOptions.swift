import ArgumentParser
import FreezerConvert
import FreezerVerify

/// The options of the equivalence check, shared by `convert` and `compare`: the inputs it runs on and
/// the tolerance it declares, if any.
struct EquivalenceCheckOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Check on these inputs instead of random ones: a directory of <input>.npy/.pb files, or of ONNX test_data_set_N folders (each holding input_K.pb files or files named after the inputs).", valueName: "dir"))
    var inputs: String?

    @Option(name: .customLong("input-shape"), parsing: .singleValue,
            help: ArgumentHelp("Shape of an input, or value of a dimension symbol, for random inputs: input=1x3x224x224 or batch=4 (repeatable). A symbolic dimension not given is 1 for a batch and \(SymbolicDimensionRule.size) otherwise; give the sizes the model runs at.", valueName: "name=AxBxC"))
    var inputShapes: [String] = []

    @Option(help: ArgumentHelp("Number of seeded random input samples to check on. Default: up to \(ConversionOptions.defaultSamples), the first of them that give every output at least \(SampleRule.valuesPerOutput) values (one sample of a model with large outputs, all \(ConversionOptions.defaultSamples) of a classifier); the log lists the samples checked.", valueName: "n"))
    var samples: Int?

    @Option(help: "Seed of the random inputs (recorded, so the check can be repeated exactly).")
    var seed: UInt64 = ConversionOptions.defaultSeed

    @Option(help: "Declare a fixed relative tolerance |B − A| ≤ atol + rtol·|A| for floating-point outputs instead of the default criterion (as exact as the original; see --help).")
    var rtol: Double?

    @Option(help: "Declare a fixed absolute tolerance instead of the default criterion (the one not given then takes its per-type default: float32 rtol 1e-4 / atol 1e-5, float16 1e-2 / 1e-3).")
    var atol: Double?

    @Option(help: "Threads for the matrix products (float products on AVX-512 give the same bits with any count; with OpenBLAS, 1 is bit-reproducible).")
    var threads: Int = ConversionOptions.defaultThreads

    /// `--input-shape` values parsed.
    func shapes() throws -> [String: [Int]] { try InputShapeOption.parse(inputShapes) }
}
