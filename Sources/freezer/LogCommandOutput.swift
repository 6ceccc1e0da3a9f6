import FreezerIntegrity

/// One-line confirmations of the `freezer log` subcommands.
enum LogCommandOutput {
    static func entryAdded(_ result: LogWorkflow.Result, path: String) -> String {
        guard let entry = result.entry else { return "updated \(path)" }
        var line = "\(path): version \(entry.version) (\(result.log.document.status)) — \(entry.description) — by \(entry.author)"
        if entry.selfApproval == true { line += " [self-approval]" }
        if let s = entry.signature { line += "; signed with key \(s.keyFingerprint.prefix(16))" }
        return line
    }
}
