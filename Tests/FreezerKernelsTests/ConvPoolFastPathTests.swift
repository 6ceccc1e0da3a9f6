import Testing
@testable import FreezerIR
@testable import FreezerKernels

/// The shape-specialised convolution and pooling kernels against the general ones, bit for bit, on
/// random inputs (with ties, infinities and NaNs) over odd sizes, padding, strides, dilation and
/// ceil_mode.
@Suite("Conv and pooling fast paths")
struct ConvPoolFastPathTests {
    typealias Ops = NeuralNetworkOperators

    /// A deterministic generator (64-bit LCG), so failures reproduce.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        /// Values on a coarse grid (so windows have ties), with occasional ±0, ±infinity and NaN.
        mutating func special() -> Float {
            switch next() % 40 {
            case 0: return .nan
            case 1: return -.infinity
            case 2: return .infinity
            case 3: return -0.0
            default: return Float(Int(next() % 17) - 8) / 4
            }
        }
        mutating func uniform() -> Float { Float(next() % 2001) / 1000 - 1 }
    }

    /// Two spatial axes, as `spatialGeometry` computes them for auto_pad NOTSET (nil when the kernel
    /// does not fit).
    static func geometry(_ input: [Int], kernel: [Int], strides: [Int], dilations: [Int], pads: [Int],
                         ceil: Bool = false) -> Ops.SpatialGeometry? {
        var output: [Int] = []
        for d in 0..<2 {
            let span = input[d] + pads[d] + pads[2 + d] - ((kernel[d] - 1) * dilations[d] + 1)
            guard span >= 0 else { return nil }
            var out = ceil ? (span + strides[d] - 1) / strides[d] + 1 : span / strides[d] + 1
            if ceil && (out - 1) * strides[d] >= input[d] + pads[d] { out -= 1 }
            output.append(out)
        }
        return Ops.SpatialGeometry(input: input, kernel: kernel, strides: strides, dilations: dilations,
                                   padBegin: Array(pads[0..<2]), padEnd: Array(pads[2...]), output: output)
    }

    /// Every pooling geometry of the grid: sizes, kernels, strides, dilations, pads (some wider than the
    /// kernel, so whole windows fall in the padding) and ceil_mode.
    static var poolGeometries: [Ops.SpatialGeometry] {
        var out: [Ops.SpatialGeometry] = []
        for input in [[9, 11], [4, 3], [1, 6]] {
            for kernel in [[1, 1], [2, 3], [3, 3], [3, 1]] {
                for strides in [[1, 1], [2, 2], [3, 3], [1, 2]] {
                    for dilations in [[1, 1], [2, 2], [1, 2]] {
                        for pads in [[0, 0, 0, 0], [1, 1, 1, 1], [0, 1, 2, 1], [2, 0, 1, 3]] {
                            for ceil in [false, true] {
                                if let g = geometry(input, kernel: kernel, strides: strides, dilations: dilations,
                                                    pads: pads, ceil: ceil) { out.append(g) }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    static func sameBits(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    static func sameBits(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    @Test func maxPool2DMatchesWindowWalk() {
        var random = Random(state: 1)
        let planes = 2 * 3
        for g in Self.poolGeometries {
            let x = (0..<(planes * g.inputCount)).map { _ in random.special() }
            let fast = Ops.maxPoolPlanes(x, planes: planes, g, indices: false, columnMajor: false)
            let general = Ops.maxPoolWindows(x, planes: planes, g, indices: false, columnMajor: false)
            #expect(Self.sameBits(fast.0, general.0), "\(g)")
            let xd = x.map { Double($0) }
            #expect(Self.sameBits(Ops.maxPool2D(xd, planes: planes, g),
                                  Ops.maxPoolWindows(xd, planes: planes, g, indices: false, columnMajor: false).0), "\(g)")
            let xi = (0..<(planes * g.inputCount)).map { _ in Int64(random.next() % 7) - 3 }
            #expect(Ops.maxPool2D(xi, planes: planes, g)
                    == Ops.maxPoolWindows(xi, planes: planes, g, indices: false, columnMajor: false).0, "\(g)")
        }
    }

    @Test func averagePool2DMatchesWindowWalk() {
        var random = Random(state: 2)
        let planes = 2 * 3
        for g in Self.poolGeometries {
            let x = (0..<(planes * g.inputCount)).map { _ in random.next() % 50 == 0 ? random.special() : random.uniform() }
            for includePad in [false, true] {
                #expect(Self.sameBits(Ops.averagePoolPlanes(x, planes: planes, g, includePad: includePad),
                                      Ops.averagePoolWindows(x, planes: planes, g, includePad: includePad)), "\(g) \(includePad)")
                let xd = x.map { Double($0) }
                #expect(Self.sameBits(Ops.averagePoolPlanes(xd, planes: planes, g, includePad: includePad),
                                      Ops.averagePoolWindows(xd, planes: planes, g, includePad: includePad)), "\(g) \(includePad)")
            }
        }
    }

    /// MaxPool through the operator, with and without Indices (which take the general path).
    @Test func maxPoolOperatorAgreesWithAndWithoutIndices() throws {
        var random = Random(state: 3)
        let x = NDArray(floats: (0..<(2 * 3 * 7 * 9)).map { _ in random.special() }, shape: [2, 3, 7, 9])
        let attributes = [attr("kernel_shape", [3, 3] as [Int64]), attr("strides", [2, 2] as [Int64]),
                          attr("pads", [1, 1, 1, 1] as [Int64])]
        let alone = try runNode("MaxPool", [x], attributes: attributes, opset: 12)
        let withIndices = try runNode("MaxPool", [x], attributes: attributes, outputs: 2, opset: 12)
        #expect(alone[0].shape == [2, 3, 4, 5])
        #expect(Self.sameBits(alone[0].floats, withIndices[0].floats))
    }

    /// The depthwise convolution as the general path defines it: from 0, in-image kernel positions in
    /// row-major order, then the bias.
    static func depthwiseReference(_ x: [Float], _ w: [Float], _ bias: [Float]?, _ p: Ops.ConvProblem) -> [Float] {
        let g = p.geometry
        let (h, wd, oh, ow) = (g.input[0], g.input[1], g.output[0], g.output[1])
        let (kh, kw) = (g.kernel[0], g.kernel[1]), mg = p.outputChannelsPerGroup
        var y = [Float](repeating: 0, count: p.n * p.m * oh * ow)
        for image in 0..<p.n {
            for oc in 0..<p.m {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var acc: Float = 0
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                let iy = oy * g.strides[0] + ky * g.dilations[0] - g.padBegin[0]
                                let ix = ox * g.strides[1] + kx * g.dilations[1] - g.padBegin[1]
                                guard (0..<h).contains(iy), (0..<wd).contains(ix) else { continue }
                                acc += w[(oc * kh + ky) * kw + kx] * x[((image * p.c + oc / mg) * h + iy) * wd + ix]
                            }
                        }
                        if let bias { acc += bias[oc] }
                        y[((image * p.m + oc) * oh + oy) * ow + ox] = acc
                    }
                }
            }
        }
        return y
    }

    @Test func depthwiseKernelsMatchReference() {
        var random = Random(state: 4)
        var cases = 0
        for input in [[9, 11], [5, 4], [2, 7]] {
            for kernel in [[3, 3], [2, 3]] {
                for strides in [[1, 1], [2, 2], [3, 3], [2, 1]] {
                    for dilations in [[1, 1], [2, 2]] {
                        for pads in [[0, 0, 0, 0], [1, 1, 1, 1], [0, 2, 1, 0]] {
                            guard let g = Self.geometry(input, kernel: kernel, strides: strides, dilations: dilations,
                                                        pads: pads) else { continue }
                            for (channels, multiplier) in [(3, 1), (2, 2)] {
                                var p = Ops.ConvProblem(n: 2, c: channels, m: channels * multiplier, group: channels, geometry: g)
                                let x = (0..<(2 * channels * g.inputCount)).map { _ in
                                    random.next() % 60 == 0 ? random.special() : random.uniform()
                                }
                                let finite = (0..<(p.m * g.kernelCount)).map { _ in random.uniform() }
                                // An infinite weight times padding would be NaN: the 3×3 kernel must not read it.
                                var infinite = finite
                                infinite[Int(random.next()) % infinite.count] = random.next() % 2 == 0 ? .infinity : -.infinity
                                let bias = (0..<p.m).map { _ in random.uniform() }
                                for (w, b) in [(finite, nil), (finite, bias), (infinite, bias)] {
                                    let expected = Self.depthwiseReference(x, w, b, p)
                                    p.specialisedKernels = true
                                    #expect(Self.sameBits(Ops.convolve(x, w, b, p), expected), "\(g) \(multiplier)")
                                    p.specialisedKernels = false
                                    #expect(Self.sameBits(Ops.convolve(x, w, b, p), expected), "\(g) \(multiplier)")
                                    // The same convolution as 3-D with a unit leading axis takes the N-d path.
                                    let g3 = Ops.SpatialGeometry(input: [1] + g.input, kernel: [1] + g.kernel,
                                                                 strides: [1] + g.strides, dilations: [1] + g.dilations,
                                                                 padBegin: [0] + g.padBegin, padEnd: [0] + g.padEnd,
                                                                 output: [1] + g.output)
                                    var p3 = p
                                    p3.geometry = g3
                                    #expect(Self.sameBits(Ops.convolve(x, w, b, p3), expected), "\(g) \(multiplier)")
                                    cases += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(cases > 100)
    }

    /// The two-axis im2col gather against the N-d one (a unit leading axis added).
    @Test func twoAxisGatherMatchesOdometer() {
        var random = Random(state: 6)
        for g in Self.poolGeometries {
            let x = (0..<g.inputCount).map { _ in random.special() }
            let g3 = Ops.SpatialGeometry(input: [1] + g.input, kernel: [1] + g.kernel, strides: [1] + g.strides,
                                         dilations: [1] + g.dilations, padBegin: [0] + g.padBegin,
                                         padEnd: [0] + g.padEnd, output: [1] + g.output)
            let rows2 = Ops.windowRows(g), rows3 = Ops.windowRows(g3)
            var index = [0, 0, 0]
            for k in 0..<g.kernelCount {
                var two = [Float](repeating: 7, count: g.outputCount), three = two
                x.withUnsafeBufferPointer { xb in
                    two.withUnsafeMutableBufferPointer { rows2[k].gather(xb.baseAddress!, into: $0.baseAddress!, index: &index) }
                    three.withUnsafeMutableBufferPointer { rows3[k].gather(xb.baseAddress!, into: $0.baseAddress!, index: &index) }
                }
                #expect(Self.sameBits(two, three), "\(g) \(k)")
            }
        }
    }

    /// The gemm path writes all of y (it is not zero-filled) and adds the bias after the products.
    @Test func convolutionWithBiasAddsItAfterTheProducts() {
        var random = Random(state: 5)
        for (kernel, pads) in [([3, 3], [1, 0, 1, 2]), ([1, 1], [0, 0, 0, 0])] {
            guard let g = Self.geometry([6, 5], kernel: kernel, strides: [1, 1], dilations: [1, 1], pads: pads) else { continue }
            for group in [1, 2] {
                let p = Ops.ConvProblem(n: 2, c: 4, m: 6, group: group, geometry: g)
                let x = (0..<(2 * 4 * g.inputCount)).map { _ in random.uniform() }
                let w = (0..<(6 * (4 / group) * g.kernelCount)).map { _ in random.uniform() }
                let bias = (0..<6).map { _ in random.uniform() }
                let plain = Ops.convolve(x, w, nil, p)
                let expected = plain.indices.map { plain[$0] + bias[($0 / g.outputCount) % 6] }
                #expect(Self.sameBits(Ops.convolve(x, w, bias, p), expected))
            }
        }
    }

    /// With nothing to read (an empty image under padding, or no input channels) the output is the bias.
    @Test func convolutionOfNothingIsTheBias() {
        let bias: [Float] = [0.5, -2]
        let padded = Self.geometry([0, 2], kernel: [1, 1], strides: [1, 1], dilations: [1, 1], pads: [1, 1, 1, 1])!
        let y = Ops.convolve([Float](), [1, 2], bias, Ops.ConvProblem(n: 1, c: 1, m: 2, group: 1, geometry: padded))
        #expect(y == [Float](repeating: 0.5, count: 8) + [Float](repeating: -2, count: 8))
        let g = Self.geometry([2, 2], kernel: [1, 1], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0])!
        let none = Ops.convolve([Float](), [Float](), bias, Ops.ConvProblem(n: 1, c: 0, m: 2, group: 1, geometry: g))
        #expect(none == [0.5, 0.5, 0.5, 0.5, -2, -2, -2, -2])
    }
}
