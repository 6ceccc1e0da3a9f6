// swift-tools-version:6.0
import PackageDescription

/// A libFuzzer harness for the ONNX loader and saver, kept out of the main package so that its
/// sanitizer build never slows the main build or CI. Build and run it with `scripts/fuzz.sh`.
let package = Package(
    name: "freezer-fuzz",
    platforms: [.macOS(.v13)],
    // Named explicitly: a path dependency's identity is otherwise its directory name, which depends on
    // where the repository was cloned.
    dependencies: [.package(name: "freezer", path: "..")],
    targets: [
        // Declares libFuzzer's driver, which the harness's `main` calls.
        .target(name: "CFuzzerDriver"),
        // Built with `-sanitize=fuzzer,address -parse-as-library`; libFuzzer is linked by the sanitizer flag.
        .executableTarget(
            name: "FuzzLoader",
            dependencies: ["CFuzzerDriver", .product(name: "FreezerONNX", package: "freezer")]
        ),
    ]
)
