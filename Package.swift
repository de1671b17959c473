// swift-tools-version: 6.1
//
// chainwatch: a streaming transaction anomaly detector for blockchain exports.
// The targets read as the pipeline: sources → decode → features → scoring → alerts.
import PackageDescription

let package = Package(
    name: "chainwatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "chainwatch", targets: ["chainwatch"]),
        // Library products for consumers outside this package (the Benchmarks/ package).
        .library(name: "ChainwatchCore", targets: ["ChainwatchCore"]),
        .library(name: "ChainwatchIO", targets: ["ChainwatchIO"]),
        .library(name: "ChainwatchFeatures", targets: ["ChainwatchFeatures"]),
        .library(name: "ChainwatchModels", targets: ["ChainwatchModels"]),
        .library(name: "ChainwatchStore", targets: ["ChainwatchStore"]),
        .library(name: "ChainwatchPipeline", targets: ["ChainwatchPipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // MARK: - System libraries

        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        // A cache prefetch hint and the subnormals-as-zero float mode for the feature engine (inline C).
        .target(name: "CProcessor"),

        // MARK: - Pipeline stages

        .target(name: "ChainwatchCore"),
        .target(name: "ChainwatchIO", dependencies: ["ChainwatchCore", "CLZ4"]),
        .target(name: "ChainwatchFeatures", dependencies: ["ChainwatchCore", "CProcessor", "_ChainwatchAVX2Kernels"]),
        // Kernels built for AVX2 CPUs (see `avx2KernelSettings`); features and models pick them at run time.
        .target(name: "_ChainwatchAVX2Kernels", dependencies: ["ChainwatchCore"]),
        .target(
            name: "ChainwatchModels",
            dependencies: [
                "ChainwatchCore", "ChainwatchFeatures", "_ChainwatchAVX2Kernels", "CProcessor",
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        .target(name: "ChainwatchStore", dependencies: ["ChainwatchCore", "CSQLite"]),
        .target(
            name: "ChainwatchPipeline",
            dependencies: ["ChainwatchCore", "ChainwatchIO", "ChainwatchFeatures", "ChainwatchModels", "ChainwatchStore", "CLZ4"]
        ),
        .executableTarget(
            name: "chainwatch",
            dependencies: [
                "ChainwatchPipeline", "ChainwatchStore", "ChainwatchIO", "ChainwatchCore", "ChainwatchModels", "ChainwatchFeatures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Test support and unit test bundles

        .target(name: "_ChainwatchTestSupport", dependencies: ["ChainwatchCore"]),
        .testTarget(name: "ChainwatchCoreTests", dependencies: ["ChainwatchCore", "_ChainwatchTestSupport"]),
        .testTarget(name: "ChainwatchIOTests", dependencies: ["ChainwatchIO", "_ChainwatchTestSupport", "CLZ4"]),
        .testTarget(
            name: "ChainwatchFeaturesTests",
            dependencies: ["ChainwatchFeatures", "ChainwatchIO", "_ChainwatchTestSupport", "_ChainwatchAVX2Kernels"]
        ),
        .testTarget(
            name: "ChainwatchModelsTests", dependencies: ["ChainwatchModels", "_ChainwatchAVX2Kernels", "_ChainwatchTestSupport", "CProcessor"]
        ),
        .testTarget(name: "ChainwatchStoreTests", dependencies: ["ChainwatchStore", "_ChainwatchTestSupport", "CSQLite"]),
        .testTarget(
            name: "ChainwatchPipelineTests",
            dependencies: ["ChainwatchPipeline", "ChainwatchStore", "ChainwatchModels", "ChainwatchIO", "_ChainwatchTestSupport", "CSQLite"]
        ),
        .testTarget(name: "chainwatchTests", dependencies: ["chainwatch", "_ChainwatchTestSupport", "ChainwatchStore", "ChainwatchModels"]),
    ]
)

// MARK: - Settings shared by every Swift target

let sharedSwiftSettings: [SwiftSetting] = [
    // `any P` spelled out: existential cost is visible at the call site.
    .enableUpcomingFeature("ExistentialAny"),
    // Importing a module does not leak the members of its dependencies.
    .enableUpcomingFeature("MemberImportVisibility"),
    // CHAINWATCH_INTERNAL_CHECKS turns on column-length and id-range invariant checks in debug builds.
    .define("CHAINWATCH_INTERNAL_CHECKS", .when(configuration: .debug)),
]

// The 8-wide kernels of `_ChainwatchAVX2Kernels` (the autoencoder's scoring tiles, the feature engine's chunk passes),
// and only they, are compiled for Haswell (AVX2), so a plain `swift build -c release` has them: `SIMDKernel` checks
// /proc/cpuinfo once per process and they are called only on CPUs with Haswell's features (`CHAINWATCH_SIMD=sse2`
// forces the baseline kernels). Its scores have
// the SSE2 kernel's bits: Swift emits no fused multiply-add for `a + b * c` (checked with `objdump -d`: no
// `vfmadd`) and the tests compare both kernels. Measured here: 15–17 M rows/s against 9.1–9.5 M for SSE2.
// `#if arch` is the architecture the manifest runs on: cross-compiling from x86-64 to another architecture would
// need this flag dropped; on other hosts the target is built plainly and never selected.
#if arch(x86_64)
let avx2KernelSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let avx2KernelSettings: [SwiftSetting] = []
#endif

// CHAINWATCH_TARGET_CPU=native (or a CPU name such as skylake-avx512) builds every other target for that CPU.
// Measured here before the AVX2 kernel above: autoencoder scoring 15 M rows/s instead of 6–9 M, but the
// isolation forest's interleaved walk 0.74 M instead of 1.8 M, so the default build is faster end to end. Off by
// default so a plain build runs on any x86-64; FMA changes float results in the last bits, so replays compare
// byte for byte only between builds with the same setting.
let targetCPUSettings: [SwiftSetting] = Context.environment["CHAINWATCH_TARGET_CPU"].map {
    [.unsafeFlags(["-target-cpu", $0])]
} ?? []

for target in package.targets where target.type != .system && target.name != "CProcessor" {
    let cpuSettings = target.name == "_ChainwatchAVX2Kernels" ? avx2KernelSettings : targetCPUSettings
    target.swiftSettings = (target.swiftSettings ?? []) + sharedSwiftSettings + cpuSettings
}
