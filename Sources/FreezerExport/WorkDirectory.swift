import Foundation
import FreezerKernels
import FreezerONNX
import FreezerVerify

/// The driver's scratch directory, beside the frozen model's path (one file system, so the exported model
/// is renamed into place), removed when the export ends whatever its outcome; what a killed export left
/// there is removed by the next one (`ScratchDirectory`).
struct WorkDirectory {
    static let prefix = "freezer-export"
    let url: URL

    init(beside output: String) throws(ExportError) {
        let directory = Paths.directory(of: output)
        ScratchDirectory.sweep(in: directory, prefix: Self.prefix)
        url = URL(fileURLWithPath: directory).appendingPathComponent(ScratchDirectory.name(prefix: Self.prefix))
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false) } catch {
            throw .cannotWrite(url.path, error.localizedDescription)
        }
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func write(_ text: String, named name: String) throws(ExportError) -> String {
        let target = path(name)
        guard FileManager.default.createFile(atPath: target, contents: Data(text.utf8)) else { throw .cannotWrite(target, "cannot create the file") }
        return target
    }

    /// Each sample's inputs as .npy files; returns, per sample, the file of each input by name.
    func writeFeeds(_ samples: [EquivalenceChecker.Sample], inputs: [String], recipe: String) throws -> [[String: String]] {
        try samples.enumerated().map { k, sample in
            var files: [String: String] = [:]
            for (i, name) in inputs.enumerated() {
                guard let array = sample.feeds[name] else {
                    throw ExportError.badRecipe(recipe, "the exported model has no input '\(name)' (it has \(sample.feeds.keys.sorted().joined(separator: ", "))); the recipe's input names must be the model's")
                }
                let file = path("sample_\(k)_input_\(i).npy")
                try NumpyFile.write(array.tensor(name: name), to: file)
                files[name] = file
            }
            return files
        }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
