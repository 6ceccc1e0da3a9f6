import FreezerIR

/// Follows every random draw of one graph forward, node by node, describing each value it reaches
/// (`RegularizerForm`) until the draw meets the data: where a multiplicative noise of expectation one
/// (an additive noise of mean zero, a complete DropBlock) is applied, the value equals the data at
/// inference. Any step it cannot describe stops the proof for that draw, with the node and the reason.
struct RegularizerRecognizer {
    let scope: GraphScope
    private var tracked: [ValueID: TrackedValue] = [:]
    private var failed: [NodeID: UnprovenRandomNode] = [:]
    private var found: [StochasticRegularizer] = []
    /// The latest application of each draw to data that did not (yet) reach its inference meaning.
    private var pending: [NodeID: (node: NodeID, application: RegularizerForm.Application)] = [:]

    /// Multiplicative expectations within this of one are one: the same keep probability written twice in
    /// float32 and read back in Double agrees to the last bit, but an exporter may round one copy.
    static let expectationTolerance = 0x1p-21

    init(scope: GraphScope) { self.scope = scope }

    static func recognize(in scope: GraphScope) -> StochasticRegularizerRecognition {
        guard scope.graph.nodes.contains(where: { StochasticRegularizers.isRandom($0) }) else { return .init() }
        var recognizer = RegularizerRecognizer(scope: scope)
        let graph = scope.graph
        let order = (try? graph.topologicalOrder()) ?? graph.nodes.map(\.id)
        for id in order { recognizer.visit(graph.node(id)) }
        return recognizer.finish()
    }

    // MARK: - Walking the graph

    private mutating func visit(_ node: Node) {
        if StochasticRegularizers.isRandom(node) { start(node); return }
        let inputs = node.inputs.compactMap { $0 }
        // Values of a draw whose proof already failed are not followed further: for every other draw they
        // are data like any other.
        var fromDraws = inputs.compactMap { tracked[$0] }.filter { failed[$0.origin] == nil }
        if Set(fromDraws.map(\.origin)).count > 1 {
            // Data that one draw was already applied to, meeting another draw: the first cannot reach its
            // inference meaning any more (only constants may scale it), and for the second it is data.
            for value in fromDraws { if case .applied(let app) = value.form { fail(value.origin, at: node, unfinished(app)) } }
            fromDraws.removeAll { failed[$0.origin] != nil }
        }
        guard let first = fromDraws.first else { return }
        if let other = fromDraws.first(where: { $0.origin != first.origin }) {
            fail(first.origin, at: node, "it combines two random draws ('\(name(first.origin))' and '\(name(other.origin))')")
            fail(other.origin, at: node, "it combines two random draws ('\(name(first.origin))' and '\(name(other.origin))')")
            return
        }
        do throws(Refusal) {
            guard var value = try transfer(node) else { return }
            value.nodes.append(node.id)
            if case .applied(var application) = value.form {
                application.chain.append(node.id)
                value.form = .applied(application)
                if try complete(&value, at: node) { pending[value.origin] = nil; return }
                if case .applied(let a) = value.form { pending[value.origin] = (node.id, a) }
            }
            for out in node.outputs.compactMap({ $0 }) { tracked[out] = value }
        } catch {
            fail(first.origin, at: node, error.reason)
        }
    }

    private mutating func start(_ node: Node) {
        guard node.isDefaultDomain else { return }
        do throws(Refusal) {
            let (noise, text) = try draw(node)
            guard let out = node.outputs.first ?? nil else { return }
            tracked[out] = TrackedValue(form: .noise(noise), origin: node.id, nodes: [node.id],
                                        steps: ["'\(name(node.id))' draws \(noise.text)\(text)"])
        } catch {
            fail(node.id, at: node, error.reason)
        }
    }

    /// A reason the proof stops.
    struct Refusal: Error { var reason: String }

    private mutating func fail(_ origin: NodeID, at node: Node, _ reason: String) {
        if failed[origin] == nil {
            failed[origin] = UnprovenRandomNode(node: origin, stoppedAt: node.id, reason: reason)
        }
    }

    // MARK: - The draw

    private func draw(_ node: Node) throws(Refusal) -> (Noise, String) {
        func float(_ attribute: String, _ fallback: Double) -> Double {
            node.attribute(attribute)?.floatValue.map(Double.init) ?? fallback
        }
        switch node.opType {
        case "RandomUniform", "RandomUniformLike":
            let low = float("low", 0), high = float("high", 1)
            guard high > low else { throw Refusal(reason: "its range [\(low), \(high)) is empty") }
            return (.uniform(low: low, high: high), shapeText(node))
        case "RandomNormal", "RandomNormalLike":
            return (.normal(mean: float("mean", 0), std: float("scale", 1)), shapeText(node))
        case "Bernoulli":
            guard let p = uniformConstant(node.inputs.first ?? nil), p >= 0, p <= 1 else {
                throw Refusal(reason: "its probability input is not a constant with one value in [0, 1]")
            }
            return (.twoPoint(low: 0, high: 1, p: p), shapeText(node))
        default:
            throw Refusal(reason: "\(node.opType) draws category indices, which no regularizer freezer knows applies to data")
        }
    }

    private func shapeText(_ node: Node) -> String {
        switch StochasticRegularizers.noiseShape(of: node, in: scope) {
        case .fixed(let dims)?: " of shape [\(dims.map(String.init).joined(separator: ","))]"
        case .like(let v)?:
            if let dims = StochasticRegularizers.staticDims(of: v, in: scope) {
                " in the shape of '\(scope.name(v))' [\(dims.map(String.init).joined(separator: ","))]"
            } else {
                " in the shape of '\(scope.name(v))'"
            }
        case nil: ""
        }
    }

    /// A constant all of whose elements are one number: a scalar, a filled initializer, or ConstantOfShape.
    private func uniformConstant(_ id: ValueID?) -> Double? {
        guard let id else { return nil }
        if let numbers = scope.constantNumbers(id), let first = numbers.first, numbers.allSatisfy({ $0 == first }) { return first }
        if case .computed(let node) = scope.originThroughIdentity(id), node.isOnnx("ConstantOfShape") {
            guard let value = node.attribute("value")?.tensorValue else { return 0 }
            return (try? value.doubles())?.first
        }
        return nil
    }

    // MARK: - One step

    /// The form of `node`'s output, nil when the node only reads the draw's shape or type.
    private func transfer(_ node: Node) throws(Refusal) -> TrackedValue? {
        guard node.isDefaultDomain else { throw Refusal(reason: "'\(name(node.id))' (\(node.qualifiedOpType)) is not an operator a regularizer is built from") }
        let slots = node.inputs.enumerated().compactMap { k, v in
            v.flatMap { tracked[$0] }.flatMap { failed[$0.origin] == nil ? (k, $0) : nil }
        }
        let (slot, value) = slots[0]
        let here = "'\(name(node.id))'"
        func next(_ form: RegularizerForm, _ step: String) -> TrackedValue {
            TrackedValue(form: form, origin: value.origin, nodes: value.nodes, steps: value.steps + ["\(here) \(step)"],
                         seedDrop: value.seedDrop)
        }
        // The other operand of a binary operator.
        let otherSlot = slot == 0 ? 1 : 0
        let other = node.inputs.count > otherSlot ? node.inputs[otherSlot] : nil
        let constant = uniformConstant(other)

        switch (node.opType, value.form) {
        case ("Identity", _):
            return next(value.form, "copies it")

        case ("Cast", _), ("CastLike", _):
            let target = node.opType == "Cast" ? node.attribute("to")?.intValue.map { ElementType(rawValue: Int32($0)) }
                                               : (node.inputs.count > 1 ? node.inputs[1] : nil).flatMap { scope.graph.value($0).type?.tensor?.elementType }
            guard let target else { throw Refusal(reason: "\(here) casts to a type freezer cannot determine") }
            return try cast(value, to: target, next)

        case ("Less", .noise(let x)), ("LessOrEqual", .noise(let x)), ("Greater", .noise(let x)), ("GreaterOrEqual", .noise(let x)):
            guard let t = constant else { throw Refusal(reason: "\(here) compares the draw with a value that is not a constant") }
            // Less(t, X) is Greater(X, t): swap the operator when the draw is the second operand.
            let op = slot == 0 ? node.opType : ["Less": "Greater", "LessOrEqual": "GreaterOrEqual",
                                                 "Greater": "Less", "GreaterOrEqual": "LessOrEqual"][node.opType]!
            let below: Double?
            switch op {
            case "Less": below = x.probabilityBelow(t, orEqual: false)
            case "LessOrEqual": below = x.probabilityBelow(t, orEqual: true)
            case "Greater": below = x.probabilityBelow(t, orEqual: true).map { 1 - $0 }
            default: below = x.probabilityBelow(t, orEqual: false).map { 1 - $0 }
            }
            guard let p = below else { throw Refusal(reason: "\(here) thresholds \(x.text), whose probability freezer does not compute") }
            return next(.mask(pTrue: p), "(X \(symbol(op)) \(NumberText.short(t))): true with probability \(NumberText.short(p))")

        case ("Not", .mask(let p)):
            return next(.mask(pTrue: 1 - p), "negates it: true with probability \(NumberText.short(1 - p))")

        case ("Floor", .noise(let x)), ("Ceil", .noise(let x)):
            guard let rounded = x.rounded(up: node.opType == "Ceil") else {
                throw Refusal(reason: "\(here) rounds \(x.text); only a uniform draw one unit wide rounds to a Bernoulli mask")
            }
            return next(.noise(rounded), "rounds it: \(rounded.text)")

        case ("Neg", .noise(let x)):
            return next(.noise(x.scaled(by: -1)), "negates it")

        case ("MaxPool", .noise(let x)) where x.isZeroOneMask:
            guard let excess = Self.strideOneGrowth(node) else {
                throw Refusal(reason: "\(here) pools the mask with strides, dilations or padding that shrink it or grow it by more than one; DropBlock grows seeds with a stride-1 MaxPool that keeps its size (or, for an even block, grows it by one and crops it back)")
            }
            guard node.outputs.count < 2 || !(node.outputs[1].map(scope.graph.isUsed) ?? false) else {
                throw Refusal(reason: "\(here) reads the pooling indices of the mask")
            }
            guard case .twoPoint(_, _, let seed) = x else { return nil }
            var grown = next(.grownDrops(excess: excess), excess.allSatisfy { $0 == 0 }
                             ? "grows each dropped seed into a block (stride-1 MaxPool, same size): all zeros when nothing is dropped"
                             : "grows each dropped seed into a block (stride-1 MaxPool of an even block, one larger along axes \(excess.indices.filter { excess[$0] > 0 }.map { $0 + 2 })): all zeros when nothing is dropped")
            grown.seedDrop = seed
            return grown

        case ("Slice", .grownDrops(var excess)) where slot == 0:
            guard let axis = Self.cropsOneElement(node, in: scope, rank: excess.count + 2), axis >= 2, excess[axis - 2] > 0 else {
                throw Refusal(reason: "\(here) slices the grown mask other than by cropping the one extra element of an even-block MaxPool")
            }
            excess[axis - 2] -= 1
            return next(.grownDrops(excess: excess), "crops the extra element along axis \(axis)")

        case ("ReduceSum", .blockKeep):
            guard Self.reducesEveryAxis(node, in: scope) else {
                throw Refusal(reason: "\(here) sums the block mask over some axes only; DropBlock renormalizes by the count of every kept element")
            }
            return next(.keptCount(epsilon: nil), "counts the kept elements")

        case ("Where", .mask(let p)) where slot == 0:
            // Where(mask, data, 0) keeps data where the mask is true: data · Bernoulli(p).
            let a = node.inputs.count > 1 ? node.inputs[1] : nil, b = node.inputs.count > 2 ? node.inputs[2] : nil
            if let a, uniformConstant(b) == 0, isData(a) {
                return apply(data: a, effect: .multiplicative(mean: p), noise: .twoPoint(low: 0, high: 1, p: p), next,
                                 "keeps '\(scope.name(a))' where the mask is true, else 0")
            }
            if let b, uniformConstant(a) == 0, isData(b) {
                return apply(data: b, effect: .multiplicative(mean: 1 - p), noise: .twoPoint(low: 0, high: 1, p: 1 - p), next,
                                 "keeps '\(scope.name(b))' where the mask is false, else 0")
            }
            throw Refusal(reason: "\(here) selects between values that are not the data and zero")

        case ("Add", _), ("Sub", _), ("Mul", _), ("Div", _):
            if slots.count == 2 { return try combine(node, slots[0].1, slots[1].1) }
            if let c = constant { return try arithmetic(node.opType, value, constant: c, drawFirst: slot == 0, next) }
            guard let other, isData(other) else {
                throw Refusal(reason: "\(here) combines the draw with a value freezer cannot classify")
            }
            return try applyToData(node.opType, value, data: other, drawFirst: slot == 0, next)

        case ("Shape", _), ("Size", _):
            return nil  // reads only the shape, which does not depend on the draw
        case (_, .applied(let app)):
            throw Refusal(reason: "\(here) (\(node.opType)) reads the data with the noise applied; \(unfinished(app))")
        default:
            throw Refusal(reason: "\(here) (\(node.opType)) computes with \(describe(value.form)) in a way no recognized regularizer does")
        }
    }

    private func cast(_ value: TrackedValue, to target: ElementType,
                      _ next: (RegularizerForm, String) -> TrackedValue) throws(Refusal) -> TrackedValue {
        let isFloat = [ElementType.float, .double, .float16, .bfloat16].contains(target)
        switch value.form {
        case .mask(let p) where target != .bool:
            return next(.noise(.twoPoint(low: 0, high: 1, p: p)), "casts it to \(target): {0, 1} with P(1) = \(NumberText.short(p))")
        case .mask:
            return next(value.form, "keeps it boolean")
        case .noise(let x) where target == .bool:
            guard case .twoPoint(0, 1, let p) = x else { throw Refusal(reason: "casts \(x.text) to bool") }
            return next(.mask(pTrue: p), "casts it to bool")
        case .noise(let x):
            if isFloat { return next(value.form, "casts it to \(target)") }
            if case .twoPoint(let low, let high, _) = x, low == low.rounded(), high == high.rounded() {
                return next(value.form, "casts it to \(target) (its values are integers)")
            }
            throw Refusal(reason: "casts \(x.text) to \(target), which rounds it")
        case .grownDrops, .blockKeep, .keptCount, .blockNormalizer, .dropBlockFactor:
            guard isFloat else { throw Refusal(reason: "casts \(describe(value.form)) to \(target)") }
            return next(value.form, "casts it to \(target)")
        case .applied:
            throw Refusal(reason: "casts the data after the noise is applied")
        }
    }

    /// Arithmetic between a value from the draw and a constant.
    private func arithmetic(_ op: String, _ value: TrackedValue, constant c: Double, drawFirst: Bool,
                            _ next: (RegularizerForm, String) -> TrackedValue) throws(Refusal) -> TrackedValue {
        let cText = NumberText.short(c)
        switch (op, value.form) {
        case (_, .noise(let x)):
            let result: Noise
            switch (op, drawFirst) {
            case ("Add", _): result = x.shifted(by: c)
            case ("Sub", true): result = x.shifted(by: -c)
            case ("Sub", false): result = x.scaled(by: -1).shifted(by: c)
            case ("Mul", _): result = x.scaled(by: c)
            case ("Div", true) where c != 0: result = x.scaled(by: 1 / c)
            default: throw Refusal(reason: "divides \(cText) by the draw; its reciprocal has no expectation freezer can state")
            }
            return next(.noise(result), "(\(op) \(cText)): \(result.text), expectation \(NumberText.short(result.mean))")
        case ("Sub", .grownDrops(let excess)) where !drawFirst && c == 1 && excess.allSatisfy({ $0 == 0 }):
            return next(.blockKeep, "inverts it (1 − X): the kept elements, all ones when nothing is dropped")
        case ("Add", .keptCount(nil)) where c >= 0:
            return next(.keptCount(epsilon: c), "adds ε = \(cText)")
        case ("Div", .keptCount(let epsilon)) where !drawFirst && c > 0:
            return next(.blockNormalizer(numerator: c, epsilon: epsilon ?? 0), "divides \(cText) by it: the renormalization")
        case ("Mul", .applied(var a)), ("Div", .applied(var a)):
            guard case .multiplicative(let m) = a.effect, op == "Mul" || drawFirst, c != 0 else { break }
            let mean = op == "Mul" ? m * c : m / c
            a.effect = .multiplicative(mean: mean)
            a.noise = a.noise.map { op == "Mul" ? $0.scaled(by: c) : $0.scaled(by: 1 / c) }
            return next(.applied(a), "(\(op) \(cText)): the factor's expectation is now \(NumberText.short(mean))")
        case (_, .applied(let app)):
            throw Refusal(reason: "\(op) with the constant \(cText) reads the data with the noise applied; \(unfinished(app))")
        default:
            break
        }
        throw Refusal(reason: "\(op) with the constant \(cText) on \(describe(value.form)) is not a step of a recognized regularizer")
    }

    /// Two values from the same draw: DropBlock's mask times its renormalization.
    private func combine(_ node: Node, _ a: TrackedValue, _ b: TrackedValue) throws(Refusal) -> TrackedValue {
        guard node.opType == "Mul" else {
            throw Refusal(reason: "'\(name(node.id))' (\(node.opType)) combines two values computed from the same draw")
        }
        var merged = a
        merged.nodes = a.nodes + b.nodes.filter { !a.nodes.contains($0) }
        merged.steps = a.steps + b.steps.filter { !a.steps.contains($0) }
        merged.seedDrop = a.seedDrop ?? b.seedDrop
        let here = "'\(name(node.id))'"
        switch (a.form, b.form) {
        case (.blockKeep, .blockNormalizer(let n, let e)), (.blockNormalizer(let n, let e), .blockKeep):
            merged.form = .dropBlockFactor(numerator: n, epsilon: e)
            merged.steps.append("\(here) multiplies the kept elements by the renormalization")
            return merged
        case (.applied(var app), .blockNormalizer(let n, let e)), (.blockNormalizer(let n, let e), .applied(var app)):
            guard case .dropBlockMasked = app.effect else { break }
            app.effect = .dropBlock(numerator: n, epsilon: e)
            merged.form = .applied(app)
            merged.steps.append("\(here) renormalizes the masked data")
            return merged
        default:
            break
        }
        throw Refusal(reason: "\(here) multiplies \(describe(a.form)) by \(describe(b.form)), both from the same draw")
    }

    /// The draw meets a value that does not depend on it.
    private func applyToData(_ op: String, _ value: TrackedValue, data: ValueID, drawFirst: Bool,
                             _ next: (RegularizerForm, String) -> TrackedValue) throws(Refusal) -> TrackedValue {
        let d = "'\(scope.name(data))'"
        switch (op, value.form) {
        case ("Mul", .noise(let x)):
            return apply(data: data, effect: .multiplicative(mean: x.mean), noise: x, next, "multiplies \(d) by it")
        case ("Add", .noise(let x)):
            return apply(data: data, effect: .additive(mean: x.mean), noise: x, next, "adds it to \(d)")
        case ("Sub", .noise(let x)) where !drawFirst:
            return apply(data: data, effect: .additive(mean: -x.mean), noise: x.scaled(by: -1), next, "subtracts it from \(d)")
        case ("Mul", .dropBlockFactor(let n, let e)):
            return apply(data: data, effect: .dropBlock(numerator: n, epsilon: e), noise: nil, next, "multiplies \(d) by it")
        case ("Mul", .blockKeep):
            return apply(data: data, effect: .dropBlockMasked, noise: nil, next, "multiplies \(d) by the kept elements")
        case (_, .applied(let app)):
            throw Refusal(reason: "\(op) of \(d) with the noisy data; \(unfinished(app))")
        default:
            throw Refusal(reason: "\(op) of \(d) with \(describe(value.form)) is not how a recognized regularizer applies its noise")
        }
    }

    /// The noise applied to `data`: the start of the chain on the data path.
    private func apply(data: ValueID, effect: RegularizerForm.Application.Effect, noise: Noise?,
                       _ next: (RegularizerForm, String) -> TrackedValue, _ step: String) -> TrackedValue {
        next(.applied(.init(data: data, effect: effect, noise: noise, chain: [])), step)
    }

    /// Whether `id` is data for the draw being followed: not a value of a draw still being followed.
    private func isData(_ id: ValueID) -> Bool { tracked[id].map { failed[$0.origin] != nil } ?? true }

    // MARK: - Completing a regularizer

    /// Whether `value`, just computed by `node`, equals its data at inference; records the regularizer.
    private mutating func complete(_ value: inout TrackedValue, at node: Node) throws(Refusal) -> Bool {
        guard case .applied(var app) = value.form, let output = node.outputs.first ?? nil else { return false }
        switch app.effect {
        case .multiplicative(var mean):
            if abs(mean - 1) > Self.expectationTolerance {
                // The constant scale may sit on the data side: (x / keep) · mask.
                extendBackwards(&app, mean: &mean, value: &value)
                value.form = .applied(app)
            }
            guard abs(mean - 1) <= Self.expectationTolerance else { return false }
            record(value, app, output: output, expectation: mean, deviation: nil)
            return true
        case .additive(let mean):
            guard mean == 0 else {
                throw Refusal(reason: "the added noise has mean \(NumberText.short(mean)), not 0: its inference meaning would shift the data")
            }
            record(value, app, output: output, expectation: 0, deviation: nil)
            return true
        case .dropBlockMasked:
            return false
        case .dropBlock(let numerator, let epsilon):
            let origin = scope.graph.node(value.origin)
            guard let shape = StochasticRegularizers.noiseShape(of: origin, in: scope),
                  let count = StochasticRegularizers.elementCount(shape, in: scope) else {
                throw Refusal(reason: "DropBlock's renormalization numerator \(NumberText.short(numerator)) cannot be compared with the mask's element count, whose shape is known only at run time")
            }
            guard Double(count) == numerator else {
                throw Refusal(reason: "DropBlock's renormalization numerator \(NumberText.short(numerator)) is not the mask's element count \(count): with nothing dropped it would scale the data")
            }
            let deviation = epsilon / (numerator + epsilon)
            value.steps.append("with nothing dropped the kept elements are all ones, so the factor is \(NumberText.short(numerator)) / (\(count) + \(NumberText.short(epsilon))) = 1 − \(NumberText.short(deviation)); the module's inference form is the identity")
            record(value, app, output: output, expectation: 1, deviation: deviation)
            return true
        }
    }

    /// `(x · c) · F` or `(x / c) · F` with the scale read by this chain only: the scale joins the factor.
    private func extendBackwards(_ app: inout RegularizerForm.Application, mean: inout Double, value: inout TrackedValue) {
        for _ in 0..<2 {
            guard abs(mean - 1) > Self.expectationTolerance,
                  case .computed(let producer) = scope.origin(of: app.data).origin,
                  producer.isOnnx("Mul") || producer.isOnnx("Div"),
                  scope.graph.consumers(of: app.data).count == 1, !scope.graph.isGraphOutput(app.data) else { return }
            let inputs = producer.inputs
            guard inputs.count == 2, let x = inputs[0], let y = inputs[1] else { return }
            let scaled: (data: ValueID, c: Double)?
            if let c = uniformConstant(y), c != 0 { scaled = (x, c) }
            else if producer.isOnnx("Mul"), let c = uniformConstant(x) { scaled = (y, c) }
            else { scaled = nil }
            guard let (data, c) = scaled, isData(data) else { return }
            mean = producer.isOnnx("Mul") ? mean * c : mean / c
            app.effect = .multiplicative(mean: mean)
            app.noise = app.noise.map { producer.isOnnx("Mul") ? $0.scaled(by: c) : $0.scaled(by: 1 / c) }
            app.data = data
            app.chain.insert(producer.id, at: 0)
            value.nodes.insert(producer.id, at: 0)
            value.steps.append("'\(name(producer.id))' (\(producer.opType) \(NumberText.short(c))) scales the data before the mask: with it the factor's expectation is \(NumberText.short(mean))")
        }
    }

    private mutating func record(_ value: TrackedValue, _ app: RegularizerForm.Application, output: ValueID,
                                 expectation: Double, deviation: Double?) {
        let origin = scope.graph.node(value.origin)
        let shape = StochasticRegularizers.noiseShape(of: origin, in: scope) ?? .fixed([])
        let variant = Self.variant(app, shape: shape, origin: origin, in: scope)
        var dropProbability: Double?
        if case .dropBlock = app.effect { dropProbability = value.seedDrop }
        if let noise = app.noise, case .twoPoint(let low, _, let p) = noise, low == 0 { dropProbability = 1 - p }
        var steps = value.steps
        let meaning = switch app.effect {
        case .additive: "at inference an additive noise is its mean, 0"
        case .dropBlock: "at inference DropBlock drops nothing"
        default: "at inference a multiplicative noise is its expectation, \(NumberText.short(expectation))"
        }
        steps.append("\(meaning), so '\(scope.name(output))' equals '\(scope.name(app.data))'")
        found.append(StochasticRegularizer(
            variant: variant, randomNodes: [value.origin], nodes: value.nodes, data: app.data, output: output,
            application: app.chain.last ?? value.nodes.last!, noiseShape: shape, dropProbability: dropProbability,
            noise: app.noise, expectation: expectation, renormalizationDeviation: deviation,
            argument: steps.joined(separator: "; ")))
    }

    static func variant(_ app: RegularizerForm.Application, shape: StochasticRegularizer.NoiseShape, origin: Node,
                        in scope: GraphScope) -> StochasticRegularizer.Variant {
        switch app.effect {
        case .dropBlock, .dropBlockMasked: return .dropBlock
        case .additive: if case .normal? = app.noise { return .gaussianNoise } else { return .additiveNoise }
        case .multiplicative:
            switch app.noise {
            case .normal?: return .gaussianDropout
            case .twoPoint(0, _, _)?:
                return StochasticRegularizers.isPerSample(shape, in: scope) ? .dropPath : .dropoutMask
            default: return .multiplicativeNoise
            }
        }
    }

    // MARK: - Structure checks

    /// For a MaxPool with stride 1 and dilation 1: by how much it grows each spatial axis (0 keeps the
    /// size; 1 is an even block padded by half its size on both sides). nil for anything else.
    static func strideOneGrowth(_ node: Node) -> [Int]? {
        guard let kernel = node.attribute("kernel_shape")?.intsValue, !kernel.isEmpty else { return nil }
        if let strides = node.attribute("strides")?.intsValue, strides.contains(where: { $0 != 1 }) { return nil }
        if let dilations = node.attribute("dilations")?.intsValue, dilations.contains(where: { $0 != 1 }) { return nil }
        let autoPad = node.attribute("auto_pad")?.stringValue ?? "NOTSET"
        if autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER" { return [Int](repeating: 0, count: kernel.count) }
        guard autoPad == "NOTSET" || autoPad.isEmpty else { return nil }
        let pads = node.attribute("pads")?.intsValue ?? [Int64](repeating: 0, count: 2 * kernel.count)
        guard pads.count == 2 * kernel.count else { return nil }
        let growth = kernel.indices.map { Int(pads[$0] + pads[$0 + kernel.count] - (kernel[$0] - 1)) }
        return growth.allSatisfy { $0 == 0 || $0 == 1 } ? growth : nil
    }

    /// The axis a Slice crops by exactly one element (the first: starts 1 to the end; or the last: starts 0,
    /// ends −1), step 1, with constant starts, ends and axes (inputs from opset 10, attributes before).
    static func cropsOneElement(_ node: Node, in scope: GraphScope, rank: Int) -> Int? {
        func numbers(_ slot: Int, _ attribute: String) -> [Double]? {
            if let v = node.attribute(attribute)?.intsValue { return v.map(Double.init) }
            guard slot < node.inputs.count, let id = node.inputs[slot] else { return nil }
            return StochasticRegularizers.constantNumbers(id, in: scope)
        }
        guard let starts = numbers(1, "starts"), let ends = numbers(2, "ends"), starts.count == 1, ends.count == 1 else { return nil }
        let axes = numbers(3, "axes") ?? [0]
        let steps = numbers(4, "steps") ?? [1]
        guard axes.count == 1, steps == [1] else { return nil }
        let axis = axes[0] < 0 ? Int(axes[0]) + rank : Int(axes[0])
        let dropsFirst = starts[0] == 1 && ends[0] >= Double(Int32.max)
        let dropsLast = starts[0] == 0 && ends[0] == -1
        return dropsFirst || dropsLast ? axis : nil
    }

    /// ReduceSum over all axes: no axes attribute (opset < 13), or no (or an empty) axes input without
    /// noop_with_empty_axes.
    static func reducesEveryAxis(_ node: Node, in scope: GraphScope) -> Bool {
        if node.attribute("axes") != nil { return false }
        if (node.attribute("noop_with_empty_axes")?.intValue ?? 0) != 0 { return false }
        guard node.inputs.count > 1, let axes = node.inputs[1] else { return true }
        return scope.constantNumbers(axes)?.isEmpty ?? false
    }

    // MARK: - Text

    /// Why an applied noise that has not reached expectation one cannot be removed.
    private func unfinished(_ app: RegularizerForm.Application) -> String {
        switch app.effect {
        case .multiplicative(let m):
            "the factor applied to '\(scope.name(app.data))' has expectation \(NumberText.short(m)), not 1: at inference a framework either scales by \(NumberText.short(m)) or not at all, and the graph does not say which"
        case .dropBlockMasked: "DropBlock's mask is applied without its renormalization"
        default: "the noise is already applied"
        }
    }

    private func name(_ id: NodeID) -> String { scope.graph.displayName(id) }

    private func symbol(_ op: String) -> String {
        ["Less": "<", "LessOrEqual": "≤", "Greater": ">", "GreaterOrEqual": "≥"][op] ?? op
    }

    private func describe(_ form: RegularizerForm) -> String {
        switch form {
        case .noise(let x): "the draw (\(x.text))"
        case .mask(let p): "a mask true with probability \(NumberText.short(p))"
        case .grownDrops: "DropBlock's grown seed mask"
        case .blockKeep: "DropBlock's kept-element mask"
        case .keptCount: "DropBlock's kept-element count"
        case .blockNormalizer: "DropBlock's renormalization"
        case .dropBlockFactor: "DropBlock's factor"
        case .applied: "the data with the noise applied"
        }
    }

    // MARK: - Result

    /// The regularizers whose every intermediate value is read only inside them; the rest, unproven.
    private mutating func finish() -> StochasticRegularizerRecognition {
        var result = StochasticRegularizerRecognition()
        var byOrigin: [NodeID: [StochasticRegularizer]] = [:]
        for r in found { byOrigin[r.randomNodes[0], default: []].append(r) }
        for (origin, regularizers) in byOrigin where failed[origin] == nil {
            let members = Set(regularizers.flatMap(\.nodes))
            let outputs = Set(regularizers.map(\.output))
            for id in members.sorted(by: { $0.index < $1.index }) {
                for v in scope.graph.node(id).outputs.compactMap({ $0 }) where !outputs.contains(v) {
                    if scope.graph.isGraphOutput(v) {
                        failed[origin] = UnprovenRandomNode(node: origin, stoppedAt: id, reason: "'\(scope.name(v))', computed from the draw, is a graph output")
                    } else if let reader = scope.graph.consumers(of: v).first(where: { !members.contains($0) }) {
                        failed[origin] = UnprovenRandomNode(node: origin, stoppedAt: reader,
                                                            reason: "'\(name(reader))' reads '\(scope.name(v))', computed from the draw, outside the regularizer")
                    }
                    if failed[origin] != nil { break }
                }
                if failed[origin] != nil { break }
            }
        }
        // A draw that never reached the data proves nothing either.
        for node in scope.graph.nodes where StochasticRegularizers.isRandom(node) && failed[node.id] == nil && byOrigin[node.id] == nil {
            if let (at, application) = pending[node.id] {
                failed[node.id] = UnprovenRandomNode(node: node.id, stoppedAt: at, reason: unfinished(application))
            } else {
                failed[node.id] = UnprovenRandomNode(node: node.id, stoppedAt: node.id,
                                                     reason: "its draw never reaches the data: nothing reads what it computes, or only its shape is read")
            }
        }
        result.regularizers = found.filter { failed[$0.randomNodes[0]] == nil }
        result.unproven = failed.values.sorted { $0.node.index < $1.node.index }
        return result
    }
}
