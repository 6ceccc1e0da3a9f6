import Foundation
import FreezerIR

/// One qualification test: what it checks (the requirements it traces to), what it expects, and the
/// body that runs it on this machine and says what happened.
public struct QualificationCheck: Sendable {
    /// Stable test id (`QT-FOLD-FORMULA-CNN`), as the matrix lists it.
    public var id: String
    public var requirements: [String]
    public var expected: String
    /// Runs the test; returns the observed result, or throws `CheckFailure` with it.
    var body: @Sendable (QualificationContext) throws -> String

    public init(id: String, requirements: [String], expected: String, body: @escaping @Sendable (QualificationContext) throws -> String) {
        self.id = id
        self.requirements = requirements
        self.expected = expected
        self.body = body
    }

    /// Runs the body and times it; any error is a failure whose actual result is the error's message.
    public func run(in context: QualificationContext) -> CheckResult {
        let start = ContinuousClock.now
        var actual: String
        var passed = true
        do { actual = try body(context) } catch let failure as CheckFailure {
            actual = failure.actual
            passed = false
        } catch {
            actual = "error: \(error)"
            passed = false
        }
        return CheckResult(id: id, requirements: requirements, expected: expected, actual: actual, passed: passed,
                           seconds: (ContinuousClock.now - start).seconds)
    }
}

/// What a qualification test observed when it did not get the expected result.
public struct CheckFailure: Error, CustomStringConvertible {
    public var actual: String
    public init(_ actual: String) { self.actual = actual }
    public var description: String { actual }
}

/// Fails the running check with `message` unless `condition` holds.
func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(CheckFailure) {
    if !condition { throw CheckFailure(message()) }
}

/// One test's result on this machine.
public struct CheckResult: Sendable, Codable, Equatable {
    public var id: String
    public var requirements: [String]
    public var expected: String
    public var actual: String
    public var passed: Bool
    public var seconds: Double
}

/// What the tests get from the command that runs them.
public struct QualificationContext: Sendable {
    /// A directory of its own for the tests' files; removed by the caller.
    public var directory: String
    /// The exit code `freezer` ends with for an error: the CLI's one mapping, so the refusal rules are
    /// checked against what the command does.
    public var exitCode: @Sendable (any Error) -> Int32
    /// The freezer executable under qualification, for the tests that run it as a user does (the CLI
    /// path end to end) or kill it; nil where there is none (those tests then fail, saying so).
    public var executable: String?

    public init(directory: String, executable: String? = nil, exitCode: @escaping @Sendable (any Error) -> Int32) {
        self.directory = directory
        self.executable = executable
        self.exitCode = exitCode
    }

    /// `name` inside the test directory.
    public func path(_ name: String) -> String { directory + "/" + name }

    /// The executable under qualification, run as a child process.
    func freezer() throws(CheckFailure) -> FreezerProcess {
        guard let executable else { throw CheckFailure("no freezer executable was given: this test runs freezer as a child process") }
        return FreezerProcess(executable: executable)
    }
}
