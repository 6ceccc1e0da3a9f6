import FreezerIR

/// What the recognizer knows about one value computed from a random draw.
enum RegularizerForm {
    /// A data-independent random tensor.
    case noise(Noise)
    /// A boolean mask, true with probability `pTrue`.
    case mask(pTrue: Double)
    /// DropBlock: a 0/1 seed mask grown into blocks by a stride-1 MaxPool; `excess` is how much larger than
    /// the seed mask it is along each spatial axis (an even block grows it by one until a Slice crops it).
    case grownDrops(excess: [Int])
    /// DropBlock: `1 − grownDrops`, the kept elements (all ones when nothing is dropped).
    case blockKeep
    /// DropBlock: the sum of `blockKeep` over every element, plus `epsilon` once added.
    case keptCount(epsilon: Double?)
    /// DropBlock: `numerator / (keptCount + epsilon)`.
    case blockNormalizer(numerator: Double, epsilon: Double)
    /// DropBlock: `blockKeep · blockNormalizer`.
    case dropBlockFactor(numerator: Double, epsilon: Double)
    /// The noise applied to data: `data · factor` or `data + term`.
    case applied(Application)

    struct Application {
        enum Effect {
            /// `data · F` where F has this expectation.
            case multiplicative(mean: Double)
            /// `data + N` where N has this mean.
            case additive(mean: Double)
            /// DropBlock's mask applied, its renormalization not yet.
            case dropBlockMasked
            /// DropBlock complete.
            case dropBlock(numerator: Double, epsilon: Double)
        }
        var data: ValueID
        var effect: Effect
        /// The noise as applied (nil for DropBlock).
        var noise: Noise?
        /// The nodes on the data path: from the first one reading `data` to the current value.
        var chain: [NodeID]
    }
}

/// A value on a random path: its form, the draw it comes from, the nodes that computed it from that draw,
/// and the argument so far.
struct TrackedValue {
    var form: RegularizerForm
    var origin: NodeID
    var nodes: [NodeID]
    var steps: [String]
    /// DropBlock: the probability that a seed drops its block.
    var seedDrop: Double?
}
