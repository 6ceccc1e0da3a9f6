// swift-tools-version:6.0
import PackageDescription

/// I/O benchmarks for the ONNX loader and saver, kept out of the main package so that they never slow
/// the main build or CI. Run them with `scripts/bench-io.sh`.
let package = Package(
    name: "freezer-benchmarks",
    platforms: [.macOS(.v13)],
    // Named explicitly: a path dependency's identity is otherwise its directory name, which depends on
    // where the repository was cloned.
    dependencies: [.package(name: "freezer", path: "..")],
    targets: [
        .executableTarget(
            name: "freezer-io-bench",
            dependencies: [
                .product(name: "FreezerONNX", package: "freezer"),
                .product(name: "FreezerIR", package: "freezer"),
            ]
        ),
    ]
)
