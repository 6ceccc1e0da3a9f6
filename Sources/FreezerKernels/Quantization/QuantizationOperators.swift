import FreezerIR

/// Linear quantization and the integer and quantized products: QuantizeLinear, DequantizeLinear,
/// DynamicQuantizeLinear, QLinearMatMul, QLinearConv, MatMulInteger, ConvInteger, and BitCast.
///
/// Each operator registers one kernel for every opset: later versions only added attributes (axis,
/// saturate, block_size, output_dtype, precision) and element types, whose defaults give the earlier
/// behaviour.
enum QuantizationOperators {
    static func register(_ r: inout KernelRegistry) {
        r.register("QuantizeLinear", versions: 10...Int64.max, QuantizeLinear.run)
        r.register("DequantizeLinear", versions: 10...Int64.max, DequantizeLinear.run)
        r.register("DynamicQuantizeLinear", versions: 11...Int64.max, DynamicQuantizeLinear.run)
        r.register("QLinearMatMul", versions: 10...Int64.max, QLinearMatMul.run)
        r.register("QLinearConv", versions: 10...Int64.max, QLinearConv.run)
        r.register("MatMulInteger", versions: 10...Int64.max, MatMulInteger.run)
        r.register("ConvInteger", versions: 10...Int64.max, ConvInteger.run)
        r.register("BitCast", versions: 26...Int64.max, BitCast.run)
    }
}
