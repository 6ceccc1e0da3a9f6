/// The Model Conversion Log (document PhIMT0002): the record of one conversion of a verified learning
/// model into a frozen model, in the structure of the template's Table 1 plus what assessors ask for.
///
/// Plain Codable values with no dependencies, so any tool can decode a log. Readers must check
/// `schemaVersion` first (see `ConversionLog.decode`). Field names follow the template's row names.
public struct ConversionLog: Codable, Sendable, Equatable {
    /// What a log holds, as a requirement of `freezer qualify`'s specification.
    public static let requirement = (
        id: "LOG-CONTENT",
        statement: "The log records the SHA-256 and size of the verified learning model and of the frozen model as written, every change and skip by the template's categories with the pass that made it, the exact command line and the effective options, the environment measured at run time, and per output the criterion that decided and the measured errors; a record digest covers all of it.")

    /// Identifies the format: always `freezer.model-conversion-log`.
    public var schema: String
    public var schemaVersion: Int
    public var document: DocumentInfo
    /// Review / Modification History, oldest first (the template lists it newest first; renderers do).
    public var history: [HistoryEntry]
    public var modelConversion: ModelConversion
    public var frozenModel: FrozenModelInfo
    public var equivalence: EquivalenceResult
    public var warnings: [String]
    /// Wall time of each phase of the conversion (absent in logs written before freezer recorded it).
    public var phases: [PhaseTiming]?
    /// SHA-256 (hex) of the canonical form of the record (see `canonicalForm()`), recomputed on every write.
    public var recordDigest: String?
    public var signatures: [Signature]

    public static let schemaName = "freezer.model-conversion-log"
    public static let currentSchemaVersion = 1

    public init(document: DocumentInfo, history: [HistoryEntry], modelConversion: ModelConversion,
                frozenModel: FrozenModelInfo, equivalence: EquivalenceResult, warnings: [String]) {
        schema = Self.schemaName
        schemaVersion = Self.currentSchemaVersion
        self.document = document
        self.history = history
        self.modelConversion = modelConversion
        self.frozenModel = frozenModel
        self.equivalence = equivalence
        self.warnings = warnings
        recordDigest = nil
        signatures = []
    }
}

/// The wall time of one phase of a conversion: `load` (parse and map), `digest` (SHA-256 of the input
/// files, beside the passes and the verification), `passes` (freezing, validation, audit),
/// `verification`, `save` (with the output's digest).
public struct PhaseTiming: Codable, Sendable, Equatable {
    public var phase: String
    public var seconds: Double
    /// The phase ran on another thread beside the others (the input's digest), so its time is not part
    /// of the total.
    public var inParallel: Bool?
    public init(phase: String, seconds: Double, inParallel: Bool? = nil) {
        self.phase = phase
        self.seconds = seconds
        self.inParallel = inParallel
    }
}

/// The document's identity: code, title, and the version of the log document itself.
public struct DocumentInfo: Codable, Sendable, Equatable {
    public var code: String
    public var title: String
    /// `0.1` when written by convert, `0.2`, `0.3`, … after reviews, `1.0` when approved, `1.1`, … after
    /// `new-version` (see `ConversionLog+Review`).
    public var version: String
    /// `draft`, `approved` or `revision` (`DocumentStatus`), derived from the history.
    public var status: String
    public init(code: String = "PhIMT0002", title: String = "Model Conversion Log", version: String = "0.1", status: String = "draft") {
        self.code = code
        self.title = title
        self.version = version
        self.status = status
    }
}

/// One row of the Review / Modification History table.
public struct HistoryEntry: Codable, Sendable, Equatable {
    public var version: String
    /// ISO 8601 date-time.
    public var date: String
    public var description: String
    public var change: String
    public var author: String
    /// Set on approval entries: whether the approver was also the responsible person (allowed only with
    /// an explicit flag).
    public var selfApproval: Bool?
    /// The author's signature over the record as of this entry (see `Signature`), when signed with `--key`.
    public var signature: Signature?

    public init(version: String, date: String, description: String, change: String, author: String,
                selfApproval: Bool? = nil, signature: Signature? = nil) {
        self.version = version
        self.date = date
        self.description = description
        self.change = change
        self.author = author
        self.selfApproval = selfApproval
        self.signature = signature
    }
}

/// An Ed25519 signature over the canonical form of the record as of one document version.
///
/// What it covers: the bytes of `record(asOfVersion: documentVersion).canonicalForm()` — the record with
/// the history cut after the entry of `documentVersion`, `document.version`/`status` as they were then,
/// and without `recordDigest`, `signatures` and entry signatures. A signature in `signatures` made by
/// `freezer log sign` covers the version current when it was made; a signature on a history entry
/// covers the record as of that entry (the entry included). Both stay verifiable after later entries
/// are appended. `documentVersion` nil (logs written before it existed) means the current record.
public struct Signature: Codable, Sendable, Equatable {
    public var signer: String
    /// Base64 of the raw 32-byte Ed25519 public key.
    public var publicKey: String
    /// SHA-256 of the raw public key, hex, to name the key briefly.
    public var keyFingerprint: String
    /// Always `Ed25519`.
    public var algorithm: String
    /// The document version whose record the signature covers.
    public var documentVersion: String?
    /// SHA-256 (hex) of the canonical form the signature covers.
    public var recordDigest: String
    /// Base64 of the 64-byte Ed25519 signature over the canonical form (not over the digest).
    public var signature: String
    /// ISO 8601 date-time of signing.
    public var date: String
    public init(signer: String, publicKey: String, keyFingerprint: String, algorithm: String = "Ed25519", documentVersion: String? = nil,
                recordDigest: String, signature: String, date: String) {
        self.signer = signer
        self.publicKey = publicKey
        self.keyFingerprint = keyFingerprint
        self.algorithm = algorithm
        self.documentVersion = documentVersion
        self.recordDigest = recordDigest
        self.signature = signature
        self.date = date
    }
}
