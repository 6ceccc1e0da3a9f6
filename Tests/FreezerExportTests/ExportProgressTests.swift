import Foundation
import FreezerConvert
import FreezerTestSupport
import Synchronization
import Testing
@testable import FreezerExport

/// The driver's steps reach the progress display as it enters them, through their own channel: the
/// driver's standard error, kept in the log as evidence, holds none of them.
@Suite("Export progress", .enabled(if: TrainingEnvironment.hasTorch, "python3 with torch and onnx is needed: pip install torch onnx"))
struct ExportProgressTests {
    @Test func theDriversStepsAreShownInOrderAndKeptOutOfItsStandardError() throws {
        let example = ExampleProject(name: "pytorch-cnn", package: "cnn")
        let path = try example.copy(example.recipe)
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let seen = Mutex<[ProgressEvent.Phase]>([])
        let outcome = try Export.run(recipePath: path, commandLine: ["test"], progress: { event in seen.withLock { $0.append(event.phase) } })
        let steps = seen.withLock { $0 }.compactMap { phase -> String? in
            guard case let .external(program, step) = phase else { return nil }
            return program == "export driver" ? step : nil
        }
        let loading = [DriverPhase.framework, .factory, .checkpoint, .inference].map(\.description)
        #expect(steps == ["starting Python", DriverPhase.environment.description] + loading + [DriverPhase.export, .parameters].map(\.description)
                + ["starting Python for inference"] + loading)
        // The conversion's own phases follow the driver's.
        let phases = seen.withLock { $0 }
        let lastDriverStep = try #require(phases.lastIndex { if case .external = $0 { true } else { false } })
        #expect(phases[lastDriverStep...].contains(.passes))
        let runs = try #require(outcome.conversion.log.modelConversion.loadingAndConverting.export?.driver.runs)
        #expect(runs.count == 2)
        for run in runs {
            #expect(!run.standardError.contains("\"phase\"") && !run.standardOutput.contains("\"phase\""), "\(run.standardError)")
        }
    }
}
