/// Shape manipulation, indexing, reductions and other tensor-level operators, including Identity and
/// Constant. Each concern lives in its own file of this folder; this list registers them all.
enum TensorOperators {
    static func register(_ r: inout KernelRegistry) {
        registerConstants(&r)
        registerShapeOperators(&r)
        registerConcatSplitSlice(&r)
        registerPad(&r)
        registerIndexing(&r)
        registerSorting(&r)
        registerReductions(&r)
        registerEinsum(&r)
        registerResize(&r)
    }
}
