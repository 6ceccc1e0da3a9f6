import FreezerIR

extension VisionSignalOperators {
    /// NonMaxSuppression (10, 11): greedy selection of boxes per batch and class.
    ///
    /// For each batch b and class c, boxes whose score is > score_threshold (every box when the input is
    /// absent) are visited by decreasing score, ties by lower box index. A box is selected unless its
    /// intersection over union with an already selected box of the same class is > iou_threshold (default
    /// 0), until max_output_boxes_per_class (default 0: nothing) are selected. Boxes are [y1, x1, y2, x2]
    /// with either corner first (center_point_box 0) or [x_center, y_center, width, height]
    /// (center_point_box 1). A box of zero area suppresses nothing. Output: [selected, 3] int64 rows
    /// [batch, class, box], in selection order per batch then class. IoU is computed in Double.
    static func nonMaxSuppression(_ ctx: KernelContext) throws(EvaluationError) -> [NDArray?] {
        let boxes = try floatInput(ctx, 0, "boxes"), scores = try floatInput(ctx, 1, "scores")
        guard boxes.array.rank == 3, boxes.array.shape[2] == 4 else {
            throw ctx.fail("boxes must be [batches, boxes, 4], got \(text(boxes.array.shape))")
        }
        let batches = boxes.array.shape[0], count = boxes.array.shape[1]
        guard scores.array.rank == 3, scores.array.shape[0] == batches, scores.array.shape[2] == count else {
            throw ctx.fail("scores must be [\(batches), classes, \(count)] for boxes \(text(boxes.array.shape)), got \(text(scores.array.shape))")
        }
        let classes = scores.array.shape[1]
        let centerPoint = ctx.int("center_point_box", default: 0)
        guard centerPoint == 0 || centerPoint == 1 else { throw ctx.fail("center_point_box must be 0 or 1, got \(centerPoint)") }
        var maxPerClass = 0
        if let m = ctx.optionalInput(2), m.count > 0 {
            let v = try IndexInputs.values(m, ctx, "max_output_boxes_per_class")
            maxPerClass = Int(max(0, min(v[0], Int64(Int32.max))))
        }
        var iouThreshold = 0.0
        if ctx.optionalInput(3).map({ $0.count > 0 }) ?? false { iouThreshold = try floatInput(ctx, 3, "iou_threshold").values[0] }
        guard iouThreshold >= 0, iouThreshold <= 1 else { throw ctx.fail("iou_threshold \(iouThreshold) must be in [0, 1]") }
        var scoreThreshold: Double?
        if ctx.optionalInput(4).map({ $0.count > 0 }) ?? false { scoreThreshold = try floatInput(ctx, 4, "score_threshold").values[0] }

        // Every box as (xmin, ymin, xmax, ymax).
        let b = boxes.values
        var corners = [Double](repeating: 0, count: b.count)
        for k in 0..<(batches * count) {
            let p = k * 4
            if centerPoint == 0 {
                corners[p] = min(b[p + 1], b[p + 3]); corners[p + 2] = max(b[p + 1], b[p + 3])
                corners[p + 1] = min(b[p], b[p + 2]); corners[p + 3] = max(b[p], b[p + 2])
            } else {
                corners[p] = b[p] - b[p + 2] / 2; corners[p + 2] = b[p] + b[p + 2] / 2
                corners[p + 1] = b[p + 1] - b[p + 3] / 2; corners[p + 3] = b[p + 1] + b[p + 3] / 2
            }
        }
        var selected: [Int64] = []
        for batch in 0..<batches {
            for c in 0..<classes {
                let base = (batch * classes + c) * count
                var candidates = (0..<count).filter { i in scoreThreshold.map { scores.values[base + i] > $0 } ?? true }
                candidates.sort { i, j in
                    let si = scores.values[base + i], sj = scores.values[base + j]
                    return si > sj || (si == sj && i < j)
                }
                var kept: [Int] = []
                for i in candidates where kept.count < maxPerClass {
                    let p = (batch * count + i) * 4
                    let suppressed = kept.contains { j in
                        suppresses(corners, p, (batch * count + j) * 4, threshold: iouThreshold)
                    }
                    if !suppressed {
                        kept.append(i)
                        selected += [Int64(batch), Int64(c), Int64(i)]
                    }
                }
            }
        }
        return [NDArray(ints: selected, shape: [selected.count / 3, 3])]
    }

    /// Whether the boxes at `p` and `q` of `corners` overlap with IoU > `threshold`.
    private static func suppresses(_ corners: [Double], _ p: Int, _ q: Int, threshold: Double) -> Bool {
        let ix0 = max(corners[p], corners[q]), ix1 = min(corners[p + 2], corners[q + 2])
        guard ix1 > ix0 else { return false }
        let iy0 = max(corners[p + 1], corners[q + 1]), iy1 = min(corners[p + 3], corners[q + 3])
        guard iy1 > iy0 else { return false }
        let intersection = (ix1 - ix0) * (iy1 - iy0)
        let a1 = (corners[p + 2] - corners[p]) * (corners[p + 3] - corners[p + 1])
        let a2 = (corners[q + 2] - corners[q]) * (corners[q + 3] - corners[q + 1])
        let union = a1 + a2 - intersection
        guard intersection > 0, a1 > 0, a2 > 0, union > 0 else { return false }
        return intersection / union > threshold
    }
}
