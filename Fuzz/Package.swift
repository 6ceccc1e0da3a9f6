// swift-tools-version:6.0
import PackageDescription

/// libFuzzer harnesses for the ONNX loader and saver (FuzzLoader) and the reference evaluator
/// (FuzzEvaluator), kept out of the main package so that their sanitizer builds never slow the main
/// build or CI. Build and run them with `scripts/fuzz.sh` (`FUZZ_TARGET=FuzzEvaluator` for the evaluator).
let package = Package(
    name: "freezer-fuzz",
    platforms: [.macOS(.v13)],
    // Named explicitly: a path dependency's identity is otherwise its directory name, which depends on
    // where the repository was cloned.
    dependencies: [.package(name: "freezer", path: "..")],
    targets: [
        // Declares libFuzzer's driver, which FuzzSupport.runLibFuzzer calls.
        .target(name: "CFuzzerDriver"),
        // What both harnesses need: starting libFuzzer, a private scratch directory per process, writing
        // the input file.
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"]),
        // Built with `-sanitize=fuzzer,address -parse-as-library`; libFuzzer is linked by the sanitizer flag.
        .executableTarget(
            name: "FuzzLoader",
            dependencies: ["FuzzSupport", .product(name: "FreezerONNX", package: "freezer")]
        ),
        // Loads, validates and evaluates models on inputs made from their declared input types.
        .executableTarget(
            name: "FuzzEvaluator",
            dependencies: ["FuzzSupport", .product(name: "FreezerONNX", package: "freezer"),
                           .product(name: "FreezerIR", package: "freezer"),
                           .product(name: "FreezerKernels", package: "freezer")]
        ),
    ]
)
