import Foundation
import Testing
@testable import FreezerIR
@testable import FreezerQualification
import FreezerVerify

@Suite("Fault injection")
struct FaultInjectionTests {
    /// Every injected fault is refused by the default criterion and every correct conversion accepted.
    /// The table is printed; FREEZER_WRITE_FAULT_TABLE=path also writes it (docs/fault-injection.md).
    @Test func everyFaultIsDetectedAndEveryCorrectConversionAccepted() throws {
        let rows = try FaultInjection.run()
        let table = FaultInjection.table(rows)
        print(table)
        if let path = ProcessInfo.processInfo.environment["FREEZER_WRITE_FAULT_TABLE"] {
            try table.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(rows.count == SyntheticModel.all().count * (Fault.allCases.count + 1))
        for r in rows where !r.asExpected {
            Issue.record("\(r.architecture): \(r.faultDescription): detected \(r.detected), error/bound \(r.ratio)")
        }
    }

    @Test func correctConversionsOfTheSyntheticModelsFoldAndRemoveEverything() throws {
        for subject in SyntheticModel.all() {
            #expect(Validator.validate(subject.model).isEmpty, "\(subject.name)")
        }
    }
}
