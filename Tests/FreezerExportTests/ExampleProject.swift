import Foundation
import FreezerONNX
import FreezerTestSupport
import Testing
@testable import FreezerExport

/// One of examples/pytorch-*: copied to a temporary directory with a recipe written beside it, so a test
/// can change the recipe or add modules and see what `freezer export` writes there.
struct ExampleProject {
    var name: String
    /// The Python package under src/ that the factory lives in.
    var package: String = ""
    /// What is copied: the model's source and its checkpoint.
    var files = ["src", "checkpoint.pt"]
    var directory: String { Fixtures.root.appendingPathComponent("examples/\(name)").path }

    /// A copy of the example (model source and checkpoint) with `recipe` written beside it; returns its path.
    func copy(_ recipe: String, extraModules: [String: String] = [:]) throws -> String {
        let dir = Fixtures.temporaryDirectory("freezer-export")
        let fm = FileManager.default
        for file in files { try fm.copyItem(atPath: directory + "/" + file, toPath: dir + "/" + file) }
        for (name, text) in extraModules { try text.write(toFile: dir + "/src/\(package)/\(name).py", atomically: true, encoding: .utf8) }
        try fm.createDirectory(atPath: dir + "/out", withIntermediateDirectories: false)
        try recipe.write(toFile: dir + "/recipe.yaml", atomically: true, encoding: .utf8)
        return dir + "/recipe.yaml"
    }

    var recipe: String { (try? String(contentsOfFile: directory + "/recipe.yaml", encoding: .utf8)) ?? "" }

    func recipe(replacing old: String, with new: String) -> String {
        let changed = recipe.replacingOccurrences(of: old, with: new)
        precondition(changed != recipe, "the example recipe has no '\(old)'")
        return changed
    }

    /// The refusal, and nothing written: the output directory is as empty as before.
    func expectRefusal(_ recipe: String, modules: [String: String] = [:], _ check: (ExportError) -> Bool) throws {
        let path = try copy(recipe, extraModules: modules)
        let out = Paths.directory(of: path) + "/out"
        #expect { try Export.run(recipePath: path, commandLine: ["test"]) } throws: { error in
            guard let e = error as? ExportError else { Issue.record("not an ExportError: \(error)"); return false }
            return check(e)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == [])
        try? FileManager.default.removeItem(atPath: Paths.directory(of: path))
    }
}
