import Foundation
import Testing
@testable import FreezerLog

@Suite("Review / Modification History workflow")
struct ReviewWorkflowTests {
    @Test func versionsGoFromDraftThroughApprovalToANewVersion() throws {
        var log = sampleLog()
        #expect(log.document.version == "0.1" && log.document.status == "draft")
        try log.addReview(by: "Max Muster", description: "Modifications and improvements based on internal review", date: "d2")
        #expect(log.document.version == "0.2" && log.document.status == "draft")
        try log.addReview(by: "Max Muster", description: "second look", change: "tolerances", date: "d3")
        #expect(log.document.version == "0.3")
        let approval = try log.approve(by: "Erika Mustermann", date: "d4")
        #expect(approval.version == "1.0")
        #expect(approval.description == "First version after complete internal review")
        #expect(approval.selfApproval == false)
        #expect(log.document.status == "approved")

        // Approved: closed to reviews and approvals.
        #expect(throws: WorkflowError.approved(version: "1.0")) { try log.addReview(by: "X", description: "late", date: "d5") }
        #expect(throws: WorkflowError.approved(version: "1.0")) { try log.approve(by: "X", date: "d5") }
        #expect(log.history.count == 4, "a refused operation changes nothing")

        try log.startNewVersion(by: "Jane Doe", description: "Re-assessment", date: "d6")
        #expect(log.document.version == "1.1" && log.document.status == "revision")
        try log.addReview(by: "Max Muster", description: "checked", date: "d7")
        #expect(log.document.version == "1.2")
        let second = try log.approve(by: "Erika Mustermann", date: "d8")
        #expect(second.version == "2.0" && second.description == "Version 2.0 after complete internal review")
        #expect(log.history.map(\.version) == ["0.1", "0.2", "0.3", "1.0", "1.1", "1.2", "2.0"])
        #expect(log.documentMatchesHistory)
    }

    @Test func onlyApprovedLogsGetANewVersion() {
        var log = sampleLog()
        #expect(throws: WorkflowError.notApproved(version: "0.1", status: "draft")) {
            try log.startNewVersion(by: "Jane Doe", description: "x", date: "d")
        }
    }

    @Test func theResponsiblePersonCannotApproveWithoutTheFlag() throws {
        var log = sampleLog()
        #expect(throws: WorkflowError.selfApproval(person: "  jane   DOE ")) { try log.approve(by: "  jane   DOE ", date: "d") }
        #expect(log.document.version == "0.1")
        let entry = try log.approve(by: "Jane Doe", date: "d", allowSelfApproval: true)
        #expect(entry.selfApproval == true)
        #expect(entry.change.contains("self-approval"))
        #expect(log.document.version == "1.0")
    }

    @Test func emptyNamesAndDescriptionsAreRefused() {
        var log = sampleLog()
        #expect(throws: WorkflowError.self) { try log.addReview(by: " ", description: "x", date: "d") }
        #expect(throws: WorkflowError.self) { try log.addReview(by: "A", description: "", date: "d") }
    }

    @Test func theRecordAsOfAnEntryIsRebuiltExactly() throws {
        var log = sampleLog()
        try log.addReview(by: "A", description: "r", date: "d2")
        let atReview = log
        try log.approve(by: "B", date: "d3")
        try log.startNewVersion(by: "C", description: "n", date: "d4")
        #expect(try log.record(asOfEntry: 1).canonicalForm() == atReview.canonicalForm())
        #expect(log.record(asOfVersion: "1.0")?.document.status == "approved")
        #expect(log.record(asOfVersion: "9.9") == nil)
    }

    @Test func documentVersionsParse() {
        #expect(DocumentVersion("V1.0") == DocumentVersion(major: 1, minor: 0))
        #expect(DocumentVersion("0.12")?.nextMinor.description == "0.13")
        #expect(DocumentVersion("1.3")?.nextMajor.description == "2.0")
        #expect(DocumentVersion("1") == nil && DocumentVersion("a.b") == nil && DocumentVersion("1.-1") == nil)
    }
}
