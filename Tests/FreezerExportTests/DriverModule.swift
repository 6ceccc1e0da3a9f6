import Foundation
import FreezerTestSupport
@testable import FreezerExport

/// freezer's driver imported as a Python module by a test script, to test one of its functions alone.
enum DriverModule {
    /// Runs `script` with python3 (`python -c`, so that no file of the script's own counts as the model's
    /// code) and the driver importable as `driver`; `sys.argv[1]` is a scratch directory. Returns stdout.
    static func run(_ script: String) throws -> Data {
        let dir = Fixtures.temporaryDirectory("freezer-driver-module")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try DriverSource.text.write(toFile: dir + "/driver.py", atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import sys\nsys.path.insert(0, sys.argv[1])\nimport driver\n" + script, dir]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failed(status: p.terminationStatus) }
        return data
    }

    struct Failed: Error {
        var status: Int32
    }
}
