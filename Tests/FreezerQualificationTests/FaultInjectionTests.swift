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

    /// The dense CNN's feature map is checked on one sample by default; on all eight, every decision is the
    /// same and its margin of the same order, so the samples left out would not have changed a verdict.
    @Test func oneSampleOfALargeOutputDecidesAsAllEightDo() throws {
        let subject = SyntheticModel.denseCNN()
        let one = try FaultInjection.run(subjects: [subject])
        let eight = try FaultInjection.run(subjects: [subject], rule: .every)
        #expect(one.allSatisfy { $0.samples == 1 && $0.asExpected } && eight.allSatisfy { $0.samples == 8 && $0.asExpected })
        for (a, b) in zip(one, eight) {
            #expect(a.detected == b.detected && a.ratio / b.ratio > 0.5 && a.ratio / b.ratio < 2, "\(a.faultDescription): \(a.ratio) vs \(b.ratio)")
        }
    }

    @Test func correctConversionsOfTheSyntheticModelsFoldAndRemoveEverything() throws {
        for subject in SyntheticModel.all() {
            #expect(Validator.validate(subject.model).isEmpty, "\(subject.name)")
        }
    }
}
