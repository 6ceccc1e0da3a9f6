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
        let rules = Dictionary(uniqueKeysWithValues: (ModelLoadError.refusalRules + ConversionError.refusalRules + CheckpointError.refusalRules
                                                      + ExportError.refusalRules).map { ($0.id, $0.exitCode) })
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
            notEquivalent(exit: rules["REF-NOT-EQUIVALENT"] ?? -1),
        ] + exportChecks(rules)
    }

    /// `freezer export` refusals that need no framework: a missing recipe, an unusable one, an interpreter
    /// that does not exist.
    static func exportChecks(_ rules: [String: Int32]) -> [QualificationCheck] {
        func check(_ id: String, _ input: String, recipe: String?, mentions: String) -> QualificationCheck {
            let exit = rules[id] ?? -1
            return QualificationCheck(id: "QT-\(id)", requirements: [id],
                                      expected: "\(input): refused with exit \(exit), the message names '\(mentions)', nothing written") { context in
                let path = context.path("\(id.lowercased()).yaml"), output = context.path("\(id.lowercased())-frozen.onnx")
                if let recipe { try Data(recipe.utf8).write(to: URL(fileURLWithPath: path)) }
                do {
                    _ = try Export.run(recipePath: path, output: output, commandLine: ["freezer", "export"])
                } catch {
                    let code = context.exitCode(error), message = String(describing: error)
                    try require(code == exit, "exit \(code), expected \(exit): \(message)")
                    try require(message.contains(mentions), "the message does not name '\(mentions)': \(message)")
                    try require(!FileManager.default.fileExists(atPath: output), "'\(output)' was written")
                    return "exit \(code): \(message.prefix(160))\(message.count > 160 ? "…" : "")"
                }
                throw CheckFailure("the export succeeded")
            }
        }
        let recipe = { (python: String, extra: String) in """
            framework: pytorch
            python: \(python)
            model: {factory: nets:build, checkpoint: checkpoint.pt}
            inputs:
              - {name: input, shape: [1, 3, 8, 8], dtype: float32}
            export: {exporter: torchscript, opset: 17, training: train}
            model_id: QUALIFY
            model_version: "1"
            responsible: freezer qualify
            \(extra)
            """ }
        return [
            check("REF-EXPORT-RECIPE-MISSING", "a recipe path that does not exist", recipe: nil, mentions: "ref-export-recipe-missing.yaml"),
            check("REF-EXPORT-RECIPE-INVALID", "a recipe with an unknown key", recipe: recipe("python3", "learning_rate: 0.1"), mentions: "learning_rate"),
            check("REF-EXPORT-INTERPRETER", "a recipe whose interpreter does not exist", recipe: recipe("./no-such-python", ""), mentions: "no-such-python"),
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

    /// A frozen model with a wrong fold is refused by the equivalence check, and a conversion that
    /// refuses for that reason ends with the rule's exit code.
    static func notEquivalent(exit: Int32) -> QualificationCheck {
        QualificationCheck(id: "QT-REF-NOT-EQUIVALENT", requirements: ["REF-NOT-EQUIVALENT"],
                           expected: "a frozen MLP whose fold lost its bias is refused as not equivalent; that refusal ends with exit \(exit)") { context in
            let subject = SyntheticModel.mlp()
            let frozen = try Pipeline.standard().run(subject.model).model
            let faulty = try Fault.biasDropped.inject(into: frozen, original: subject.model, subject: subject)
            let report = try EquivalenceChecker.check(original: subject.model, frozen: faulty, samples: FaultInjection.samplesFor(subject, count: 2, seed: 0))
            try require(report.verdict == .notEquivalent, "the faulty model was accepted")
            let code = context.exitCode(ConversionError.equivalenceFailed(report, keptAt: nil))
            try require(code == exit, "the refusal ends with exit \(code), expected \(exit)")
            return "refused (error/bound \(PassChecks.bound(report))); exit \(code)"
        }
    }
}
