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
    /// element range, given the replaced tensor's values of that range where it has them all (so a fold
    /// of a tensor into its own replacement decodes it once). `previous` is the tensor being replaced
    /// (nil: none, compared with zeros).
    static func write(count: Int, as type: ElementType, replacing previous: Tensor?, to writer: PayloadWriter,
                      chunk: Int = chunkElements,
                      exact: (Range<Int>, UnsafeBufferPointer<Double>?, UnsafeMutableBufferPointer<Double>) -> Void) throws(FoldError) -> Measures {
        guard let width = type.byteWidth else { throw .internal("no element width for \(type)") }
        let old: StoredElements?
        do { old = try previous.map(StoredElements.init) } catch { throw .tensor(error) }
        var measures = Measures()
        let size = min(chunk, count)
        var values = [Double](repeating: 0, count: size)
        var stored = [Double](repeating: 0, count: size)
        var previous = [Double](repeating: 0, count: old == nil ? 0 : size)
        var bytes = [UInt8](repeating: 0, count: size * width)
        for start in stride(from: 0, to: count, by: chunk) {
            let range = start..<min(start + chunk, count)
            let n = range.count
            // Elements beyond the old tensor's end have nothing to compare with.
            let overlap = old.map { max(0, min(range.upperBound, $0.count) - range.lowerBound) } ?? 0
            if let old { previous.withUnsafeMutableBufferPointer { old.decode(range.lowerBound..<(range.lowerBound + overlap), into: $0) } }
            previous.withUnsafeBufferPointer { before in
                values.withUnsafeMutableBufferPointer {
                    exact(range, old != nil && overlap == n ? UnsafeBufferPointer(rebasing: before[..<n]) : nil,
                          UnsafeMutableBufferPointer(rebasing: $0[..<n]))
                }
            }
            #if _endian(little)
            if type == .float && (old == nil || overlap == n) {
                // The common case in one pass: rounded, stored and measured element by element.
                values.withUnsafeBufferPointer { exact in
                    previous.withUnsafeBufferPointer { before in
                        bytes.withUnsafeMutableBytes { out in
                            Self.encodeFloats(exact.baseAddress!, n, into: out.baseAddress!, before: old == nil ? nil : before.baseAddress, measures: &measures)
                        }
                    }
                }
                do { try bytes.withUnsafeBytes { try writer.append(UnsafeRawBufferPointer(rebasing: $0[..<(n * width)])) } }
                catch let error as TensorStoreError { throw .store(error) } catch { throw .internal("\(error)") }
                continue
            }
            #endif
            bytes.withUnsafeMutableBytes { p in
                stored.withUnsafeMutableBufferPointer { Self.encode(values, n, type, into: p, storedValues: $0) }
            }
            stored.withUnsafeBufferPointer { after in
                values.withUnsafeBufferPointer { exact in measures.largestRounding.addDistances(after, exact, count: n) }
                if old != nil {
                    previous.withUnsafeBufferPointer { before in measures.largestChange.addDistances(after, before, count: overlap) }
                } else {
                    measures.largestChange.addDistances(after, nil, count: n)
                }
            }
            do { try bytes.withUnsafeBytes { try writer.append(UnsafeRawBufferPointer(rebasing: $0[..<(n * width)])) } }
            catch let error as TensorStoreError { throw .store(error) } catch { throw .internal("\(error)") }
        }
        return measures
    }
}

extension ChunkedFold {
    /// float32 on a little-endian host: rounds `exact[0..<n]` once to Float into `out`, and adds to the
    /// measures |stored − exact| and |stored − before| (|stored| without `before`), as `encode` and two
    /// `RunningMax.addDistances` do, in one pass of eight lanes. The first element goes through
    /// `RunningMax.add`, which starts an empty maximum (a NaN included) as it always has.
    static func encodeFloats(_ exact: UnsafePointer<Double>, _ n: Int, into out: UnsafeMutableRawPointer, before: UnsafePointer<Double>?,
                             measures: inout Measures) {
        guard n > 0 else { return }
        func scalar(_ k: Int) {
            let f = Float(exact[k])
            out.storeBytes(of: f, toByteOffset: k * 4, as: Float.self)
            measures.largestRounding.add(abs(Double(f) - exact[k]))
            measures.largestChange.add(abs(Double(f) - (before?[k] ?? 0)))
        }
        scalar(0)
        var rounding = SIMD8<Double>(repeating: measures.largestRounding.result)
        var change = SIMD8<Double>(repeating: measures.largestChange.result)
        var k = 1
        while k + 8 <= n {
            let x = UnsafeRawPointer(exact + k).loadUnaligned(as: SIMD8<Double>.self)
            let f = SIMD8<Float>(x)
            out.storeBytes(of: f, toByteOffset: k * 4, as: SIMD8<Float>.self)
            let d = SIMD8<Double>(f)
            var r = d - x
            r.replace(with: -r, where: r .< 0)
            rounding.replace(with: r, where: rounding .< r)
            var c = before.map { d - UnsafeRawPointer($0 + k).loadUnaligned(as: SIMD8<Double>.self) } ?? d
            c.replace(with: -c, where: c .< 0)
            change.replace(with: c, where: change .< c)
            k += 8
        }
        for lane in 0..<8 {
            measures.largestRounding.add(rounding[lane])
            measures.largestChange.add(change[lane])
        }
        while k < n { scalar(k); k += 1 }
    }

    /// Rounds the first `n` values once to `type` into `bytes`, and gives back the stored values as Double.
    /// float32 and float16, the common cases, without a per-element switch on the type.
    static func encode(_ values: [Double], _ n: Int, _ type: ElementType, into bytes: UnsafeMutableRawBufferPointer,
                       storedValues: UnsafeMutableBufferPointer<Double>) {
        if type == .float {
            values.withUnsafeBufferPointer { exact in
                for k in 0..<n {
                    let f = Float(exact[k])
                    bytes.storeBytes(of: f.bitPattern.littleEndian, toByteOffset: k * 4, as: UInt32.self)
                    storedValues[k] = Double(f)
                }
            }
            return
        }
        if type == .float16 {
            for k in 0..<n {
                let h = HalfPrecision.half(fromDouble: values[k])
                bytes.storeBytes(of: h.littleEndian, toByteOffset: k * 2, as: UInt16.self)
                storedValues[k] = Double(HalfPrecision.float(fromHalf: h))
            }
            return
        }
        for k in 0..<n { Tensor.encodeElement(values[k], bytes, k, type) }
        let raw = UnsafeRawBufferPointer(bytes)
        for k in 0..<n { storedValues[k] = Tensor.decodeElement(raw, k, type) }
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

    /// Elements `range` as Double into `out`, from its start (float32 without a per-element switch).
    func decode(_ range: Range<Int>, into out: UnsafeMutableBufferPointer<Double>) {
        bytes.withUnsafeBytes { p in
            if type == .float {
                #if _endian(little)
                if let base = p.baseAddress, Int(bitPattern: base) % MemoryLayout<Float>.alignment == 0 {
                    // Aligned (every mapped or spilled payload is): a plain widening loop the compiler vectorizes.
                    let floats = base.assumingMemoryBound(to: Float.self) + range.lowerBound
                    for k in 0..<range.count { out[k] = Double(floats[k]) }
                    return
                }
                #endif
                for (k, e) in range.enumerated() {
                    out[k] = Double(Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: e * 4, as: UInt32.self))))
                }
            } else if type == .float16 {
                for (k, e) in range.enumerated() {
                    out[k] = Double(HalfPrecision.float(fromHalf: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: e * 2, as: UInt16.self))))
                }
            } else {
                for (k, e) in range.enumerated() { out[k] = Tensor.decodeElement(p, e, type) }
            }
        }
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

    /// Whether every channel index is (e / inner) % axisLength (no group blocks).
    let ungrouped: Bool

    init(dims: [Int64], axis: Int, group: Int = 1) {
        inner = dims[(axis + 1)...].reduce(1) { $0 * Int($1) }
        axisLength = Int(dims[axis])
        rowsPerGroup = max(1, Int(dims[0]) / group)
        ungrouped = group == 1
    }

    /// Multiplies each element of `range` (stored in `out` from its start) by its channel's factor.
    func scale(_ out: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>, by factor: [Double]) {
        guard inner == 1 && ungrouped && axisLength > 0 else {
            forEachRun(in: range) { run, c in
                let f = factor[c]
                for e in run { out[e - range.lowerBound] *= f }
            }
            return
        }
        // Channels on the last axis (a MatMul or Gemm weight): the channel advances with every element.
        factor.withUnsafeBufferPointer { factor in
            // Whole rows at a time: element k of a row is channel k, a loop the compiler vectorizes.
            var k = 0, c = range.lowerBound % axisLength
            while k < range.count {
                let n = min(axisLength - c, range.count - k)
                for j in 0..<n { out[k + j] *= factor[c + j] }
                k += n
                c = 0
            }
        }
    }

    /// Calls `body` with each maximal run of `range` whose elements share a channel, and that channel.
    func forEachRun(in range: Range<Int>, _ body: (Range<Int>, Int) -> Void) {
        var e = range.lowerBound
        while e < range.upperBound {
            let end = min(range.upperBound, (e / inner + 1) * inner)
            body(e..<end, channel(e))
            e = end
        }
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

    /// Adds |a[k] − b[k]| (|a[k]| without `b`) for k in 0..<count, as `add` would one by one: this runs for
    /// every element of every folded weight, so eight lanes at a time. Each lane starts from the running
    /// maximum and keeps it against NaN (`m < NaN` is false) as `add` does, so the result is the same.
    mutating func addDistances(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>?, count: Int) {
        guard count > 0, let pa = a.baseAddress else { return }
        let pb = b?.baseAddress
        func distance(_ k: Int) -> Double { abs(pa[k] - (pb?[k] ?? 0)) }
        var k = 0
        if value == nil { value = distance(0); k = 1 }
        var m = value ?? 0
        var lanes = SIMD8<Double>(repeating: m)
        while k + 8 <= count {
            let x = UnsafeRawPointer(pa + k).loadUnaligned(as: SIMD8<Double>.self)
            var d = pb.map { x - UnsafeRawPointer($0 + k).loadUnaligned(as: SIMD8<Double>.self) } ?? x
            d.replace(with: -d, where: d .< 0)
            lanes.replace(with: d, where: lanes .< d)
            k += 8
        }
        for lane in 0..<8 where m < lanes[lane] { m = lanes[lane] }
        while k < count {
            let d = distance(k)
            if m < d { m = d }
            k += 1
        }
        value = m
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
