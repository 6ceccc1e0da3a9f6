import CBLAS
#if canImport(Glibc)
import Glibc
#endif

/// One-time OpenBLAS kernel selection, done before freezer's first BLAS call.
///
/// OpenBLAS built with DYNAMIC_ARCH (Debian's libopenblas) picks its kernels from the CPU model when
/// the library loads. Versions that do not know a newer CPU model (0.3.21 and Emerald Rapids, family 6
/// model 207, for one) fall back to the generic SSE3 "Prescott" kernels, whose sgemm is 3–4× slower
/// than the AVX-512 one on the same machine. When that fallback happened and the user did not choose
/// a core (OPENBLAS_CORETYPE unset), this re-runs OpenBLAS's core selection with the best core whose
/// instructions the CPU (and OS) supports: SkylakeX with AVX-512 F/DQ/BW/VL, Haswell with AVX2 and
/// FMA. The re-selection goes through OpenBLAS's exported `gotoblas_dynamic_quit`/`_init`, looked up
/// at run time, so a build without them (no DYNAMIC_ARCH) is simply left alone.
///
/// Kernels are fixed for the life of the process, so results stay deterministic run to run.
enum BLASSetup {
    /// Evaluated once (thread-safe); every gemm goes through `NeuralNetworkOperators.gemm`, which
    /// touches this first, so no BLAS call of freezer runs while the core changes.
    static let ready: Void = selectCore()

    /// The OpenBLAS core whose kernels freezer's products use: read after the selection above, so the log
    /// never names the core OpenBLAS first picked and freezer replaced.
    static var core: String {
        BLASSetup.ready
        return openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }

    private static func selectCore() {
        #if os(Linux)
        guard getenv("OPENBLAS_CORETYPE") == nil,
              let name = openblas_get_corename().map({ String(cString: $0) }),
              name.lowercased() == "prescott" else { return }
        let flags = cpuFlags()
        let core: String
        if ["avx512f", "avx512dq", "avx512bw", "avx512vl"].allSatisfy(flags.contains) {
            core = "SkylakeX"
        } else if ["avx2", "fma"].allSatisfy(flags.contains) {
            core = "Haswell"
        } else {
            return
        }
        guard let handle = dlopen(nil, RTLD_NOW),
              let quit = dlsym(handle, "gotoblas_dynamic_quit"),
              let initialize = dlsym(handle, "gotoblas_dynamic_init") else { return }
        typealias Hook = @convention(c) () -> Void
        setenv("OPENBLAS_CORETYPE", core, 1)
        unsafeBitCast(quit, to: Hook.self)()
        unsafeBitCast(initialize, to: Hook.self)()
        unsetenv("OPENBLAS_CORETYPE")
        #endif
    }

    /// The `flags` line of /proc/cpuinfo (the features the kernel enabled), empty when unreadable.
    private static func cpuFlags() -> Set<Substring> {
        #if os(Linux)
        guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0 {
            guard let line else { break }
            let text = String(cString: line)
            if text.hasPrefix("flags") {
                guard let colon = text.firstIndex(of: ":") else { return [] }
                return Set(text[text.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }))
            }
        }
        #endif
        return []
    }
}
