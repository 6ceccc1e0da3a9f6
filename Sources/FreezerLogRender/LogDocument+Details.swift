import FreezerLog

/// The detail sections after Table 1: per-category evidence, the frozen model, warnings, digest and
/// signatures.
extension DocumentBuilder {
    /// 4.1: what was found, changed and kept, per category, with node names and evidence.
    mutating func eliminationDetails() {
        add(.heading(level: 2, text: "4.1 Elimination of Training-Specific Operations: Details"))
        add(.paragraph("Each category was searched in every graph of the verified learning model (main graph, subgraphs and training_info). "
            + "A category reported as not present was searched and nothing was found."))
        for (i, e) in conversion.eliminationOfTrainingSpecificOperations.enumerated() {
            add(.heading(level: 3, text: "4.1.\(i + 1) \(e.name)\(e.inTemplate ? "" : " (beyond the template)")"))
            let searched = "Searched \(TextFormat.count(e.nodesSearched, "node")) in \(TextFormat.count(e.graphsSearched, "graph"))"
            add(.paragraph("Status: \(e.status). \(searched); found \(e.found.count), changes \(e.changes.count), skips \(e.skips.count)."))
            if !e.found.isEmpty {
                table("\(e.name): found in the verified learning model",
                      [.init("Graph", weight: 1.1), .init("Node", weight: 1.8), .init("Operator", weight: 1.6), .init("State", weight: 0.9), .init("Detail", weight: 3.4)],
                      e.found.map { .cells([$0.graph, $0.node ?? "-", $0.opType ?? "-", $0.state, $0.detail]) })
            }
            if !e.changes.isEmpty {
                table("\(e.name): changes made",
                      [.init("Pass", weight: 1.5), .init("Graph", weight: 0.8), .init("Nodes", weight: 1.6), .init("Action", weight: 1.3), .init("Detail and evidence", weight: 3.6)],
                      e.changes.map { .cells([$0.pass, $0.graph, $0.nodes.isEmpty ? "-" : $0.nodes.joined(separator: "\n"), $0.action, Self.detail($0)]) })
            }
            if !e.skips.isEmpty {
                table("\(e.name): skipped or kept",
                      [.init("Pass", weight: 1.3), .init("Graph", weight: 0.8), .init("Node", weight: 1.6), .init("Reason", weight: 4.3)],
                      e.skips.map { .cells([$0.pass, $0.graph, $0.node, $0.reason]) })
            }
        }
    }

    /// A change's detail followed by its evidence, one `key: value` per line, sorted by key.
    static func detail(_ change: ChangeItem) -> String {
        let evidence = change.evidence.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        return ([change.detail] + (evidence.isEmpty ? [] : ["Evidence:"] + evidence)).joined(separator: "\n")
    }

    /// 4.2: the frozen model's file, digests, storage and node counts before and after.
    mutating func frozenModel() {
        let f = log.frozenModel
        add(.heading(level: 2, text: "4.2 Frozen Model"))
        var rows: [Table.Row] = Self.modelFile(f.file).split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let parts = line.split(separator: ":", maxSplits: 1)
            return .cells([String(parts[0]), parts.count > 1 ? String(parts[1].dropFirst()) : ""])
        }
        rows.append(.cells(["Storage", f.storage]))
        let metadata = f.metadata.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }
        rows.append(.cells(["Metadata", metadata.isEmpty ? "none" : metadata.joined(separator: "\n")]))
        table("Frozen model", [.init("Item", weight: 1), .init("Value", weight: 3.2)], rows)

        let operators = Set(f.nodeCountsBefore.keys).union(f.nodeCountsAfter.keys).sorted()
        var countRows: [Table.Row] = operators.map { op in
            let before = f.nodeCountsBefore[op] ?? 0, after = f.nodeCountsAfter[op] ?? 0
            return .cells([op, TextFormat.grouped(before), TextFormat.grouped(after), Self.delta(before, after)])
        }
        let totalBefore = f.nodeCountsBefore.values.reduce(0, +), totalAfter = f.nodeCountsAfter.values.reduce(0, +)
        countRows.append(.cells(["Total", TextFormat.grouped(totalBefore), TextFormat.grouped(totalAfter), Self.delta(totalBefore, totalAfter)]))
        table("Node counts by operator, verified learning model (before) and frozen model (after), subgraphs included",
              [.init("Operator", weight: 2.4), .init("Before", weight: 1), .init("After", weight: 1), .init("Change", weight: 1.2)], countRows)
    }

    static func delta(_ before: Int, _ after: Int) -> String {
        if before == after { return "unchanged" }
        if after == 0 { return "removed (-\(TextFormat.grouped(before)))" }
        return after > before ? "+\(TextFormat.grouped(after - before))" : "-\(TextFormat.grouped(before - after))"
    }

    /// 4.4: warnings recorded by the conversion.
    mutating func warnings() {
        add(.heading(level: 2, text: "4.4 Warnings"))
        if log.warnings.isEmpty {
            add(.paragraph("None: the conversion recorded no warnings."))
        } else {
            add(.bullets(log.warnings))
        }
    }

    /// 4.5: the record digest and the signatures as recorded (this document does not verify them).
    mutating func recordAndSignatures() {
        add(.heading(level: 2, text: "4.5 Record Digest and Signatures"))
        if let digest = log.recordDigest {
            add(.paragraph("Record digest (SHA-256 of the canonical form of the record, which excludes the digest and the signatures): \(digest)"))
        } else {
            add(.paragraph("Record digest: not set (the log was not written by freezer, or was edited)."))
        }
        // One row per signature, naming what carries it (the record, history entries).
        var signatures: [(Signature, String)] = []
        func note(_ s: Signature, _ place: String) {
            if let i = signatures.firstIndex(where: { $0.0 == s }) { signatures[i].1 += "\n\(place)" } else { signatures.append((s, place)) }
        }
        for s in log.signatures { note(s, "record") }
        for entry in log.history { if let s = entry.signature { note(s, "history V\(entry.version)") } }
        guard !signatures.isEmpty else {
            add(.paragraph("Signatures: none. The log has not been signed."))
            return
        }
        add(.paragraph("Signatures are listed as recorded; this document does not verify them. "
            + "A signature whose record digest differs from the record digest above covers an earlier state of the record."))
        table("Signatures", [.init("Signer and date", weight: 1.4), .init("Recorded in", weight: 0.8), .init("Key (Ed25519 public key, SHA-256 fingerprint)", weight: 2.2, monospace: true),
                             .init("Signature and record digest signed", weight: 2.6, monospace: true)],
              signatures.map { s, covers in
                  .cells(["\(s.signer)\n\(TextFormat.dateTime(s.date))", covers,
                          "Public key: \(s.publicKey)\nFingerprint: \(s.keyFingerprint)",
                          "\(s.algorithm): \(s.signature)\nRecord digest: \(s.recordDigest)" + (s.recordDigest == log.recordDigest ? " (matches)" : " (differs from the current record digest)")])
              })
    }
}
