#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which build of the 8-wide kernels runs: the baseline one every x86-64 runs, or the copy in
/// `_ChainwatchAVX2Kernels`, which is compiled for Haswell and must only run where the CPU has Haswell's
/// features. The autoencoder's tiles and the feature engine's chunk passes (log1p, moments) have both; the
/// two builds give the same bits, so the choice changes speed only.
///
/// Chosen once per process (``selected``): AVX2 when `/proc/cpuinfo` lists every feature `-target-cpu haswell`
/// lets the compiler use — Linux drops `avx`/`avx2` from that list when the OS does not save the ymm registers,
/// so this also checks OS support — unless the environment says `CHAINWATCH_SIMD=sse2`, which forces the
/// baseline kernels (to compare the two, or to rule the AVX2 build out). Other platforms use the baseline.
public enum SIMDKernel: Sendable, Equatable {
    case sse2, avx2

    /// The kernel for this process; read-only after its first use.
    public static let selected: SIMDKernel = {
        if let value = getenv("CHAINWATCH_SIMD"), String(cString: value).lowercased() == "sse2" { return .sse2 }
        return cpuSupportsAVX2Kernel ? .avx2 : .sse2
    }()

    /// Whether this CPU (and OS) can run the AVX2 kernel, whatever `CHAINWATCH_SIMD` says.
    public static let cpuSupportsAVX2Kernel: Bool = {
        #if arch(x86_64) && os(Linux)
        guard let flags = cpuFlags() else { return false }
        return requiredFlags.allSatisfy(flags.contains)
        #else
        return false
        #endif
    }()

    /// `/proc/cpuinfo` names of what `-target-cpu haswell` enables: AVX, AVX2, FMA, BMI1/2, F16C, MOVBE and
    /// LZCNT (listed as `abm`). The kernel needs only AVX; the others are checked because the compiler may use
    /// them anywhere in code built for Haswell.
    public static let requiredFlags: Set<Substring> = ["avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm"]

    #if arch(x86_64) && os(Linux)
    /// The words of the first `flags` line of `/proc/cpuinfo`, or nil if it cannot be read.
    public static func cpuFlags() -> Set<Substring>? {
        guard let file = fopen("/proc/cpuinfo", "r") else { return nil }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            guard text.hasPrefix("flags"), let colon = text.firstIndex(of: ":") else { continue }
            return Set(text[text.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }))
        }
        return nil
    }
    #endif
}
