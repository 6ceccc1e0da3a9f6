import Foundation
import FreezerTestSupport
import Testing

/// The driver's rule for whose fault an exception is (`blame`): the model's code (any file neither the
/// driver nor installed) where it raised it or where it called the library that did; nobody's but the
/// driver's when no frame of the model's code is on the way (freezer's internal error, exit 70).
@Suite("Driver: whose exception", .enabled(if: TrainingEnvironment.imports("numpy"), "python3 with numpy is needed: pip install numpy"))
struct DriverBlameTests {
    struct Blamed: Decodable, Equatable {
        var file: String?
        var line: Int?
        var raised_in: String?
    }

    @Test func theModelsFrameTheLibrarysOrNone() throws {
        let output = try DriverModule.run("""
            import json, os
            os.makedirs(sys.argv[1] + "/src")
            with open(sys.argv[1] + "/src/user.py", "w") as f:
                f.write("import json\\n\\ndef raises():\\n    raise ValueError('x')\\n\\ndef calls():\\n    return json.loads('{')\\n")
            sys.path.insert(0, sys.argv[1] + "/src")
            import user

            def blamed(call):
                try:
                    call()
                except BaseException as e:
                    b = driver.blame(e)
                    return None if b is None else {"file": os.path.basename(b[1][-1].filename), "line": b[1][-1].lineno, "raised_in": b[2]}

            import numpy
            numpy_file = os.path.realpath(numpy.__file__)
            before = driver.is_model_code(numpy_file)
            driver.STATE["user_roots"].append(os.path.dirname(numpy_file))
            print(json.dumps({
                "raised": blamed(user.raises),
                "called": blamed(user.calls),
                "driver": blamed(lambda: driver.sha256(sys.argv[1] + "/missing")),
                "site_packages": [before, driver.is_model_code(numpy_file)],
            }))
            """)
        struct Result: Decodable {
            var raised: Blamed?
            var called: Blamed?
            var driver: Blamed?
            var site_packages: [Bool]
        }
        let result = try JSONDecoder().decode(Result.self, from: output)
        #expect(result.raised == Blamed(file: "user.py", line: 4, raised_in: nil))
        #expect(result.called?.file == "user.py" && result.called?.line == 7 && (result.called?.raised_in?.hasPrefix("json/decoder.py:") ?? false),
                "\(String(describing: result.called))")
        #expect(result.driver == nil, "the driver's own failure is no one else's")
        // Installed code is the library's, unless the recipe's python_path or the factory's package names it.
        #expect(result.site_packages == [false, true])
    }
}
