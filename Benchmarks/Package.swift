// swift-tools-version: 6.1
//
// Benchmarks for chainwatch, kept out of the root package so that `swift build` / `swift test` there never
// build them. Run from this directory:
//
//     swift package --disable-sandbox --scratch-path ../.build-bench benchmark
//
// Set CHAINWATCH_BENCH_INPUT to an ethereum-etl transactions CSV to benchmark on it; otherwise a seeded
// synthetic CSV (CHAINWATCH_BENCH_ROWS rows, default 1,000,000) is generated in memory.
import PackageDescription

let benchmarkPlugin: Target.PluginUsage = .plugin(name: "BenchmarkPlugin", package: "benchmark")

let package = Package(
    name: "chainwatch-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // `name:` so the products resolve as package "chainwatch" whatever the checkout directory is called.
        .package(name: "chainwatch", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Shared, deterministic input: the CSV bytes, decoded batches, Gaussian feature rows, alerts.
        .target(
            name: "BenchmarkData",
            dependencies: [
                .product(name: "ChainwatchCore", package: "chainwatch"),
                .product(name: "ChainwatchIO", package: "chainwatch"),
            ],
            path: "Sources/BenchmarkData"
        ),
        .executableTarget(
            name: "Pipeline",
            dependencies: [
                "BenchmarkData",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ChainwatchCore", package: "chainwatch"),
                .product(name: "ChainwatchIO", package: "chainwatch"),
                .product(name: "ChainwatchFeatures", package: "chainwatch"),
            ],
            path: "Benchmarks/Pipeline",
            plugins: [benchmarkPlugin]
        ),
        .executableTarget(
            name: "Models",
            dependencies: [
                "BenchmarkData",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ChainwatchCore", package: "chainwatch"),
                .product(name: "ChainwatchModels", package: "chainwatch"),
            ],
            path: "Benchmarks/Models",
            plugins: [benchmarkPlugin]
        ),
        .executableTarget(
            name: "Store",
            dependencies: [
                "BenchmarkData",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ChainwatchCore", package: "chainwatch"),
                .product(name: "ChainwatchStore", package: "chainwatch"),
            ],
            path: "Benchmarks/Store",
            plugins: [benchmarkPlugin]
        ),
        .executableTarget(
            name: "Detectors",
            dependencies: [
                "BenchmarkData",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ChainwatchCore", package: "chainwatch"),
                .product(name: "ChainwatchFeatures", package: "chainwatch"),
                .product(name: "ChainwatchModels", package: "chainwatch"),
                .product(name: "ChainwatchPipeline", package: "chainwatch"),
            ],
            path: "Benchmarks/Detectors",
            plugins: [benchmarkPlugin]
        ),
    ],
    swiftLanguageModes: [.v5]
)
