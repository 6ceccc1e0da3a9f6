import FreezerIR

extension MachineLearningOperators {
    /// TreeEnsemble (ai.onnx.ml 5+): `Y[n, t]` aggregates, over the trees, the weights of the leaves that
    /// row `n` of `X` (`[N, F]`) reaches and that target `t` (`n_targets` targets).
    ///
    /// Each tree starts at `tree_roots[i]`, an index into the `nodes_*` attributes. Interior node j tests
    /// feature `x = X[n, nodes_featureids[j]]` by `nodes_modes[j]`: 0 `x <= s`, 1 `x < s`, 2 `x >= s`,
    /// 3 `x > s`, 4 `x == s`, 5 `x != s` with `s = nodes_splits[j]`, or 6 `x` in the node's set of
    /// `membership_values` (the sets are listed in the order of the member nodes in `nodes_modes`, each
    /// ended by NaN). A NaN feature takes the true branch where `nodes_missing_value_tracks_true[j]` is 1,
    /// else the test decides (false for every comparison but `!=`). The true branch goes to
    /// `nodes_truenodeids[j]`, a leaf index when `nodes_trueleafs[j]` is 1, else a node index (likewise
    /// for false). Leaf l adds `leaf_weights[l]` to target `leaf_targetids[l]`.
    ///
    /// `aggregate_function`: 0 AVERAGE (sum / number of trees), 1 SUM (default), 2 MIN, 3 MAX; a target
    /// no leaf reaches is 0 for SUM and AVERAGE, and the largest / smallest finite value of X's type for
    /// MIN / MAX (as the ONNX reference leaves it). `post_transform` NONE (0, default) is implemented; the
    /// others are refused as unsupported. `nodes_hitrates` does not affect the result. Computed in Double,
    /// rounded once to X's type (float, double, float16).
    static func treeEnsemble(_ ctx: KernelContext) throws -> [NDArray?] {
        let x = try ctx.input(0)
        guard x.kind == .float || x.kind == .double else {
            throw ctx.fail("input 'X' must be float, double or float16, but is \(x.elementType)")
        }
        guard x.rank == 2 else { throw ctx.fail("input 'X' must have shape [N, F], but has shape \(x.shape)") }
        let transform = ctx.int("post_transform", default: 0)
        guard transform == 0 else {
            let names: [Int64: String] = [1: "SOFTMAX", 2: "LOGISTIC", 3: "SOFTMAX_ZERO", 4: "PROBIT"]
            throw ctx.unsupportedFeature("post_transform \(names[transform] ?? String(transform))")
        }
        let forest = try Forest(ctx, features: x.shape[1])
        let aggregate = ctx.int("aggregate_function", default: 1)
        guard (0...3).contains(aggregate) else { throw ctx.fail("attribute 'aggregate_function' must be 0, 1, 2 or 3, got \(aggregate)") }
        let (rows, features, targets) = (x.shape[0], x.shape[1], forest.targets)
        let largest: Double = switch x.elementType {
        case .double: .greatestFiniteMagnitude
        case .float16: 65504
        case .bfloat16: Double(Float(bitPattern: 0x7F7F_0000))
        default: Double(Float.greatestFiniteMagnitude)
        }
        let initial: Double = aggregate == 2 ? largest : aggregate == 3 ? -largest : 0
        let values = x.asDoubles
        var result = [Double](repeating: initial, count: rows * targets)
        for n in 0..<rows {
            let row = values[(n * features)..<((n + 1) * features)]
            for root in forest.roots {
                let leaf = forest.leaf(from: root, row)
                let (w, t) = (forest.leafWeights[leaf], n * targets + forest.leafTargets[leaf])
                switch aggregate {
                case 0: result[t] += w / Double(forest.roots.count)
                case 1: result[t] += w
                case 2: result[t] = min(result[t], w)
                default: result[t] = max(result[t], w)
                }
            }
        }
        return [floatingArray(result, shape: [rows, targets], type: x.elementType)]
    }

    /// The trees of a TreeEnsemble node, checked once: every index in range, so walking never fails.
    private struct Forest {
        enum Mode: Int64 { case leq = 0, lt, gte, gt, eq, neq, member }
        var modes: [Mode] = []
        var splits: [Double] = []
        var featureIDs: [Int] = []
        var trueIDs: [Int] = [], falseIDs: [Int] = []
        var trueIsLeaf: [Bool] = [], falseIsLeaf: [Bool] = []
        var missingTracksTrue: [Bool] = []
        var members: [Set<Double>] = []
        var leafWeights: [Double] = []
        var leafTargets: [Int] = []
        var roots: [Int] = []
        var targets = 0

        init(_ ctx: KernelContext, features: Int) throws(EvaluationError) {
            func ints(_ name: String) throws(EvaluationError) -> [Int64] {
                guard let v = ctx.ints(name) else { throw ctx.fail("attribute '\(name)' is required") }
                return v
            }
            func tensor(_ name: String) throws(EvaluationError) -> NDArray {
                guard let t = try tensorAttribute(ctx, name) else { throw ctx.fail("attribute '\(name)' is required") }
                return t
            }
            let modeCodes = try tensor("nodes_modes").asInts
            let count = modeCodes.count
            let featureIDs = try ints("nodes_featureids"), trueIDs = try ints("nodes_truenodeids")
            let falseIDs = try ints("nodes_falsenodeids"), trueLeafs = try ints("nodes_trueleafs")
            let falseLeafs = try ints("nodes_falseleafs")
            let splits = try tensor("nodes_splits").asDoubles
            let missing = ctx.ints("nodes_missing_value_tracks_true") ?? [Int64](repeating: 0, count: count)
            for (name, n) in [("nodes_featureids", featureIDs.count), ("nodes_truenodeids", trueIDs.count),
                              ("nodes_falsenodeids", falseIDs.count), ("nodes_trueleafs", trueLeafs.count),
                              ("nodes_falseleafs", falseLeafs.count), ("nodes_splits", splits.count),
                              ("nodes_missing_value_tracks_true", missing.count)] where n != count {
                throw ctx.fail("attribute '\(name)' has \(n) entries but 'nodes_modes' has \(count); every nodes_* attribute has one entry per node")
            }
            leafWeights = try tensor("leaf_weights").asDoubles
            let leafTargets = try ints("leaf_targetids")
            guard leafTargets.count == leafWeights.count else {
                throw ctx.fail("'leaf_targetids' has \(leafTargets.count) entries but 'leaf_weights' has \(leafWeights.count)")
            }
            guard let n = ctx.int("n_targets"), n >= 0 else { throw ctx.fail("attribute 'n_targets' is required and must not be negative") }
            targets = Int(n)
            for t in leafTargets {
                guard t >= 0 && t < n else { throw ctx.fail("leaf target id \(t) is out of range [0, \(n))") }
                self.leafTargets.append(Int(t))
            }
            let memberValues = try tensorAttribute(ctx, "membership_values")?.asDoubles ?? []
            var nextMember = 0
            for j in 0..<count {
                guard let mode = Mode(rawValue: modeCodes[j]) else { throw ctx.fail("node \(j) has mode \(modeCodes[j]); modes are 0 to 6") }
                modes.append(mode)
                var set = Set<Double>()
                if mode == .member {
                    guard nextMember < memberValues.count else {
                        throw ctx.fail("node \(j) tests set membership but 'membership_values' has no set left for it")
                    }
                    while nextMember < memberValues.count, !memberValues[nextMember].isNaN {
                        set.insert(memberValues[nextMember])
                        nextMember += 1
                    }
                    nextMember += 1 // the NaN that ends the set
                }
                members.append(set)
                guard featureIDs[j] >= 0 && featureIDs[j] < Int64(features) else {
                    throw ctx.fail("node \(j) tests feature \(featureIDs[j]) but X has \(features) features")
                }
                self.featureIDs.append(Int(featureIDs[j]))
                for (id, isLeaf, branch) in [(trueIDs[j], trueLeafs[j] != 0, "true"), (falseIDs[j], falseLeafs[j] != 0, "false")] {
                    let limit = isLeaf ? leafWeights.count : count
                    guard id >= 0 && id < Int64(limit) else {
                        throw ctx.fail("the \(branch) branch of node \(j) goes to \(isLeaf ? "leaf" : "node") \(id), out of range [0, \(limit))")
                    }
                }
                self.trueIDs.append(Int(trueIDs[j]))
                self.falseIDs.append(Int(falseIDs[j]))
                trueIsLeaf.append(trueLeafs[j] != 0)
                falseIsLeaf.append(falseLeafs[j] != 0)
                missingTracksTrue.append(missing[j] != 0)
            }
            self.splits = splits
            for r in try ints("tree_roots") {
                guard r >= 0 && r < Int64(count) else { throw ctx.fail("tree root \(r) is out of range [0, \(count))") }
                roots.append(Int(r))
            }
            // A tree must reach a leaf: a path longer than the number of nodes goes round a cycle.
            for root in roots {
                var depth = [Int](repeating: -1, count: count)
                var stack = [(root, 0)]
                while let (j, d) = stack.popLast() {
                    guard d <= count else { throw ctx.fail("the tree at root \(root) has a cycle: its branches never reach a leaf") }
                    if depth[j] >= d { continue }
                    depth[j] = d
                    if !trueIsLeaf[j] { stack.append((self.trueIDs[j], d + 1)) }
                    if !falseIsLeaf[j] { stack.append((self.falseIDs[j], d + 1)) }
                }
            }
        }

        /// The leaf `row` reaches from node `root`.
        func leaf(from root: Int, _ row: ArraySlice<Double>) -> Int {
            var j = root
            while true {
                let x = row[row.startIndex + featureIDs[j]]
                let s = splits[j]
                let goesTrue: Bool
                if x.isNaN && missingTracksTrue[j] {
                    goesTrue = true
                } else {
                    switch modes[j] {
                    case .leq: goesTrue = x <= s
                    case .lt: goesTrue = x < s
                    case .gte: goesTrue = x >= s
                    case .gt: goesTrue = x > s
                    case .eq: goesTrue = x == s
                    case .neq: goesTrue = x != s
                    case .member: goesTrue = members[j].contains(x)
                    }
                }
                if goesTrue {
                    if trueIsLeaf[j] { return trueIDs[j] }
                    j = trueIDs[j]
                } else {
                    if falseIsLeaf[j] { return falseIDs[j] }
                    j = falseIDs[j]
                }
            }
        }
    }
}
