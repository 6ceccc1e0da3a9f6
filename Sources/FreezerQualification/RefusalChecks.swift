import Foundation
import FreezerConvert
import FreezerExport
import FreezerIR
import FreezerONNX
import FreezerPasses
import FreezerVerify

/// Qualification tests of the refusal rules: each bad input is given to a conversion, which must fail
/// with the rule's exit code (through the CLI's own mapping), a message that names the culprit, and no
/// output written.
enum RefusalChecks {
    static func all() -> [QualificationCheck] {
        let rules = Specification.refusalExitCodes
        func check(_ id: String, _ input: String, mentions: @escaping @Sendable (QualificationContext) -> String,
                   prepare: @escaping @Sendable (QualificationContext) throws -> ConversionOptions) -> QualificationCheck {
            let exit = rules[id] ?? -1
            return QualificationCheck(id: "QT-\(id)", requirements: [id],
                                      expected: "\(input): refused with exit \(exit), the message names the culprit, nothing written") { context in
                let options = try prepare(context)
                let existed = FileManager.default.fileExists(atPath: options.output)
                do {
                    _ = try Conversion.run(options, commandLine: ["freezer", "convert"])
                } catch {
                    let code = context.exitCode(error), message = String(describing: error), culprit = mentions(context)
                    try require(code == exit, "exit \(code), expected \(exit): \(message)")
                    try require(message.contains(culprit), "the message does not name '\(culprit)': \(message)")
                    try require(existed || !FileManager.default.fileExists(atPath: options.output), "'\(options.output)' was written")
                    try require(!FileManager.default.fileExists(atPath: options.logPath) || options.logPath == options.input, "the log was written")
                    return "exit \(code): \(message.prefix(160))\(message.count > 160 ? "…" : "")"
                }
                throw CheckFailure("the conversion succeeded")
            }
        }
        return [
            check("REF-NOT-ONNX", "a file of text named .onnx", mentions: { $0.path("text.onnx") }) { context in
                try Data("this is not an ONNX model\n".utf8).write(to: URL(fileURLWithPath: context.path("text.onnx")))
                return options(context, input: context.path("text.onnx"), name: "not-onnx")
            },
            check("REF-MISSING-INPUT", "a model path that does not exist", mentions: { $0.path("absent.onnx") }) { context in
                options(context, input: context.path("absent.onnx"), name: "missing")
            },
            check("REF-INVALID-MODEL", "a node reading a value nothing defines", mentions: { _ in "undefined" }) { context in
                var subject = PassSubject.identities().model
                subject.graph = Graph(name: "broken", inputs: [PassSubject.input], outputs: [GraphRecipe.float("output", [4, 8])],
                                      nodes: [NodeSpec(name: "relu", opType: "Relu", opsetVersion: 17, inputs: ["undefined"], outputs: ["output"])])
                return try saved(subject, context, name: "invalid")
            },
            check("REF-OUTPUT-IS-INPUT", "-o naming the input model", mentions: { $0.path("same.onnx") }) { context in
                _ = try ModelSaver.save(PassSubject.identities().model, to: context.path("same.onnx"))
                var o = options(context, input: context.path("same.onnx"), name: "same")
                o.output = o.input
                return o
            },
            check("REF-BAD-OPTION", "--samples 0", mentions: { _ in "samples" }) { context in
                var o = try saved(PassSubject.identities().model, context, name: "samples")
                o.samples = 0
                return o
            },
            check("REF-CANNOT-FREEZE", "multiplicative Gaussian noise of mean zero (not a regularizer)", mentions: { _ in "'noisy'" }) { context in
                try saved(unprovableNoise(), context, name: "noise")
            },
            check("REF-CANNOT-EVALUATE", "an ImageDecoder the evaluator does not run", mentions: { _ in "ImageDecoder" }) { context in
                var r = GraphRecipe(seed: 22, opset: 20)
                r.node("ImageDecoder", "decode", ["encoded"], outputs: ["image"])
                let encoded = ValueInfo(name: "encoded", type: ValueType(tensor: TensorType(elementType: .uint8, shape: [.value(64)])))
                let image = ValueInfo(name: "image", type: ValueType(tensor: TensorType(elementType: .uint8, shape: nil)))
                return try saved(r.model(name: "decoder", inputs: [encoded], outputs: [image]), context, name: "decoder")
            },
            check("REF-CHECKPOINT", "a text file given as --checkpoint", mentions: { $0.path("checkpoint") }) { context in
                try Data("not a checkpoint\n".utf8).write(to: URL(fileURLWithPath: context.path("checkpoint")))
                var o = try saved(PassSubject.identities().model, context, name: "checkpoint-model")
                o.checkpoint = context.path("checkpoint")
                return o
            },
        ]
    }

    static func options(_ context: QualificationContext, input: String, name: String) -> ConversionOptions {
        ConversionOptions(input: input, output: context.path("\(name)-frozen.onnx"), modelID: "QUALIFY", modelVersion: "1",
                          responsible: "freezer qualify", samples: 2)
    }

    static func saved(_ model: Model, _ context: QualificationContext, name: String) throws -> ConversionOptions {
        let path = context.path("\(name).onnx")
        _ = try ModelSaver.save(model, to: path)
        return options(context, input: path, name: name)
    }

    /// y = r · N with N drawn from a normal of mean 0: its expectation is 0, not 1, so it is no
    /// regularizer freezer may remove, and nothing can make it a constant.
    static func unprovableNoise() -> Model {
        var r = GraphRecipe(seed: 21)
        let x = PassSubject.linear(&r)
        let noise = r.node("RandomNormalLike", "noise", [x], [.init(name: "mean", value: .float(0)), .init(name: "scale", value: .float(1))])
        r.node("Mul", "noisy", [x, noise], outputs: ["output"])
        return r.model(name: "noise", inputs: [PassSubject.input], outputs: [GraphRecipe.float("output", [4, 6])])
    }
}
