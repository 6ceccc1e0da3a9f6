import Foundation
import FreezerONNX
import FreezerTestSupport
import Testing
@testable import FreezerExport

extension ExampleProject {
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
