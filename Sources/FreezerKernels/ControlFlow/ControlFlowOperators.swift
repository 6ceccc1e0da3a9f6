/// If, Loop and Scan: operators that run subgraphs.
enum ControlFlowOperators {
    static func register(_ r: inout KernelRegistry) {
    }
}
