import FreezerIR

/// Operators on sequences and optionals (see `RuntimeValue`): SequenceEmpty, SequenceConstruct,
/// SequenceAt, SequenceInsert, SequenceErase, SequenceLength (opset 11+), SplitToSequence (11+),
/// ConcatFromSequence (11+), SequenceMap (17+), Optional (15+), OptionalHasElement and
/// OptionalGetElement (15–17, and 18+ where they also accept a tensor or sequence).
///
/// Later opset versions of these operators only widened the accepted element types, so one kernel
/// covers every version, except where the optional operators changed meaning at 18.
public enum SequenceOperators {
    static func register(_ r: inout KernelRegistry) {
        r.registerValues("SequenceEmpty", versions: 11...Int64.max, sequenceEmpty)
        r.registerValues("SequenceConstruct", versions: 11...Int64.max, sequenceConstruct)
        r.registerValues("SequenceAt", versions: 11...Int64.max, sequenceAt)
        r.registerValues("SequenceInsert", versions: 11...Int64.max, sequenceInsert)
        r.registerValues("SequenceErase", versions: 11...Int64.max, sequenceErase)
        r.registerValues("SequenceLength", versions: 11...Int64.max, sequenceLength)
        r.registerValues("SplitToSequence", versions: 11...Int64.max, splitToSequence)
        r.registerValues("ConcatFromSequence", versions: 11...Int64.max, concatFromSequence)
        r.registerValues("SequenceMap", versions: 17...Int64.max, sequenceMap)
        r.registerValues("Optional", versions: 15...Int64.max, optional)
        r.registerValues("OptionalHasElement", versions: 15...Int64.max, optionalHasElement)
        r.registerValues("OptionalGetElement", versions: 15...Int64.max, optionalGetElement)
    }

    /// A position input (SequenceAt, SequenceInsert, SequenceErase): an int32 or int64 scalar; a
    /// one-element tensor of another rank is accepted too, as onnxruntime accepts it.
    static func position(_ ctx: KernelContext, _ i: Int) throws(EvaluationError) -> Int64? {
        guard let value = ctx.optionalValue(i) else { return nil }
        guard let a = value.tensor, a.elementType == .int32 || a.elementType == .int64, case .int(let v) = a.storage, v.count == 1 else {
            throw ctx.fail("input 'position' must be an int32 or int64 tensor with one element, but is \(value)")
        }
        return v[0]
    }

    /// `position` (negative counts from the back) as an index into `0..<count + extra`: `extra` is 1
    /// where the position may be one past the last element (SequenceInsert), else 0.
    static func index(_ position: Int64, count: Int, extra: Int = 0, _ ctx: KernelContext) throws(EvaluationError) -> Int {
        let n = Int64(count)
        guard position >= -n && position < n + Int64(extra) else {
            let range = "[\(-n), \(n - 1 + Int64(extra))]"
            throw ctx.fail("position \(position) is out of range \(range) for a sequence of \(count) tensor\(count == 1 ? "" : "s")")
        }
        return Int(position < 0 ? position + n : position)
    }

    /// Checks that `tensor` may be an element of `sequence` (same element type).
    static func checkElement(_ tensor: NDArray, of sequence: TensorSequence, _ what: String, _ ctx: KernelContext) throws(EvaluationError) {
        guard tensor.elementType == sequence.elementType else {
            throw ctx.fail("\(what) is \(tensor.elementType) but the sequence holds \(sequence.elementType)")
        }
    }
}
