/// The one rule for the default ONNX domain.
///
/// ONNX lets a file write the default domain as "" or as `ai.onnx`, on nodes and on opset imports
/// alike. The IR keeps the domain as the file spells it, so a saved model reproduces the file byte for
/// byte; every question "is this the default domain?" and every lookup by domain goes through here.
public enum Domain {
    /// The default domain as users read it.
    public static let defaultName = "ai.onnx"

    /// Whether `domain` is the default ONNX domain ("" or `ai.onnx`).
    public static func isDefault(_ domain: String) -> Bool { domain.isEmpty || domain == defaultName }

    /// The key for tables by domain: "" for the default domain, else `domain` unchanged.
    public static func key(_ domain: String) -> String { isDefault(domain) ? "" : domain }

    /// `domain` as users read it: `ai.onnx` for the default domain.
    public static func displayName(_ domain: String) -> String { isDefault(domain) ? defaultName : domain }

    /// onnxruntime's contributed operators, among them its training forms (BatchNormInternal, *Grad, …).
    public static let microsoft = "com.microsoft"
    /// ONNX's training preview operators (Gradient, Adam, Momentum, Adagrad).
    public static let previewTraining = "ai.onnx.preview.training"
}

extension Node {
    /// Whether the node is `opType` of `domain` (the default domain however it is spelled).
    public func isOperator(_ opType: String, of domain: String) -> Bool {
        self.opType == opType && Domain.key(self.domain) == Domain.key(domain)
    }
}

extension Node {
    /// Whether the node is an operator of the default ONNX domain (written "" or `ai.onnx`).
    public var isDefaultDomain: Bool { Domain.isDefault(domain) }

    /// Whether the node is the default-domain operator `opType`.
    public func isOnnx(_ opType: String) -> Bool { self.opType == opType && isDefaultDomain }
}

extension NodeSpec {
    /// Whether the node is an operator of the default ONNX domain (written "" or `ai.onnx`).
    public var isDefaultDomain: Bool { Domain.isDefault(domain) }
}

extension OpsetImport {
    /// Whether the import is of the default ONNX domain (written "" or `ai.onnx`).
    public var isDefaultDomain: Bool { Domain.isDefault(domain) }

    /// The domain as users read it: `ai.onnx` for the default domain.
    public var domainName: String { Domain.displayName(domain) }
}
