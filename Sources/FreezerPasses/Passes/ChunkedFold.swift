import FreezerIR

/// Produces a folded tensor chunk by chunk: each element computed in Double, rounded once to the
/// tensor's type, written on, and measured against the tensor it replaces. Nothing the size of the
/// tensor is held in Double: memory is one chunk, whatever the weight's size.
enum ChunkedFold {
    /// Elements per chunk: 512 KiB of Double, small next to any weight worth spilling.
    static let chunkElements = 1 << 16

    /// The evidence the log records for a folded tensor.
    struct Measures {
        /// Largest |new − old| over the elements both tensors have (against 0 when there was none).
        var largestChange = RunningMax()
        /// Largest |stored − exact|: what rounding to the tensor's type cost.
        var largestRounding = RunningMax()
    }

    /// Writes `count` elements of `type` to `writer`; `exact` fills the Double values of each chunk's
    /// element range. `previous` is the tensor being replaced (nil: none, compared with zeros).
    static func write(count: Int, as type: ElementType, replacing previous: Tensor?, to writer: PayloadWriter,
                      chunk: Int = chunkElements,
                      exact: (Range<Int>, UnsafeMutableBufferPointer<Double>) -> Void) throws(FoldError) -> Measures {
        guard let width = type.byteWidth else { throw .internal("no element width for \(type)") }
        let old: StoredElements?
        do { old = try previous.map(StoredElements.init) } catch { throw .tensor(error) }
        var measures = Measures()
        var values = [Double](repeating: 0, count: min(chunk, count))
        var bytes = [UInt8](repeating: 0, count: min(chunk, count) * width)
        for start in stride(from: 0, to: count, by: chunk) {
            let range = start..<min(start + chunk, count)
            values.withUnsafeMutableBufferPointer { exact(range, UnsafeMutableBufferPointer(rebasing: $0[..<range.count])) }
            bytes.withUnsafeMutableBytes { p in
                for k in 0..<range.count { Tensor.encodeElement(values[k], p, k, type) }
            }
            bytes.withUnsafeBytes { p in
                func stored(_ k: Int) -> Double { Tensor.decodeElement(p, k, type) }
                for k in 0..<range.count { measures.largestRounding.add(abs(stored(k) - values[k])) }
                if let old {
                    old.read { previous in
                        for (k, e) in range.enumerated() where e < old.count { measures.largestChange.add(abs(stored(k) - previous(e))) }
                    }
                } else {
                    for k in 0..<range.count { measures.largestChange.add(abs(stored(k) - 0)) }
                }
            }
            do { try bytes.withUnsafeBytes { try writer.append(UnsafeRawBufferPointer(rebasing: $0[..<(range.count * width)])) } }
            catch let error as TensorStoreError { throw .store(error) } catch { throw .internal("\(error)") }
        }
        return measures
    }
}

/// The elements of a stored tensor, decoded where they lie (raw payloads are read in place, not copied).
struct StoredElements {
    let bytes: Bytes
    let type: ElementType
    let count: Int

    init(_ tensor: Tensor) throws(TensorError) {
        bytes = try tensor.rawBytes()
        type = tensor.elementType
        count = tensor.elementCount ?? 0
    }

    /// Runs `body` with a reader of element i as Double.
    func read<R>(_ body: ((Int) -> Double) -> R) -> R {
        bytes.withUnsafeBytes { p in body { Tensor.decodeElement(p, $0, type) } }
    }
}

/// The channel of each element of a weight whose output channels lie on one axis.
///
/// Row-major: element e lies at position (e / inner) % axisLength along the axis. ConvTranspose's weight
/// [C_in, C_out/group, k…] splits axis 0 into `group` blocks; block g's channels start at g · axisLength.
struct ChannelLayout {
    let inner: Int
    let axisLength: Int
    /// Rows of axis 0 per group (all of axis 0 unless grouped).
    let rowsPerGroup: Int

    init(dims: [Int64], axis: Int, group: Int = 1) {
        inner = dims[(axis + 1)...].reduce(1) { $0 * Int($1) }
        axisLength = Int(dims[axis])
        rowsPerGroup = max(1, Int(dims[0]) / group)
    }

    @inline(__always)
    func channel(_ e: Int) -> Int {
        let row = e / (inner * axisLength)
        return row / rowsPerGroup * axisLength + (e / inner) % axisLength
    }
}

/// Sequence.max() of the values added, and 0 when none were: NaN is kept only when it comes first,
/// exactly as the log has always measured.
struct RunningMax {
    private(set) var value: Double?

    mutating func add(_ v: Double) {
        guard let m = value else { value = v; return }
        if m < v { value = v }
    }

    var result: Double { value ?? 0 }
}

/// Why applying a fold failed after the matcher accepted it.
enum FoldError: Error, CustomStringConvertible {
    case store(TensorStoreError)
    case tensor(TensorError)
    case graph(GraphError)
    case `internal`(String)

    var description: String {
        switch self {
        case .store(let e): "\(e)"
        case .tensor(let e): "\(e)"
        case .graph(let e): "\(e)"
        case .internal(let m): m
        }
    }
}
