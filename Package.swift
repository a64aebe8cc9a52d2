// swift-tools-version:6.0
// ClaimBench: reproducible benchmark runs of ML papers' core claims.
// Imports point one way: HarnessCore ← LinearAlgebra ← experiments ← ClaimBenchCLI.
import PackageDescription

let package = Package(
    name: "ClaimBench",
    products: [
        .executable(name: "claimbench", targets: ["claimbench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // Debian's libopenblas-dev + liblapacke-dev (scripts/install-deps.sh).
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // Debian's zlib1g-dev (scripts/install-deps.sh): gzip decompression of the image data sets.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // oneDNN's LSTM / GRU / tanh-RNN forward primitives behind four C functions (its C API is a
        // long chain of descriptor structs from Swift): the rnn suite's vendor baseline, the CPU
        // counterpart of the FlashRNN paper's cuDNN comparison. Links Debian's libdnnl-dev
        // (scripts/install-deps.sh); called only by FlashRNNExperiment's OneDNNForward.
        .target(
            name: "OneDNNRNN",
            linkerSettings: [.linkedLibrary("dnnl")]
        ),
        // SHA-256 in plain Swift: the code fingerprint's and the result cache's digests. No dependencies.
        .target(name: "ContentDigest"),
        // Suite registry, random streams, run records, goldens, verdicts, result cache. No BLAS, no gnuplot.
        .target(
            name: "HarnessCore",
            dependencies: ["ContentDigest", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // The code fingerprint, computed at build time: the plugin hands every module's source files
        // to the tool, which generates BuildFingerprint's table (module → source and closure hashes).
        .executableTarget(name: "CodeFingerprintTool", dependencies: ["ContentDigest"]),
        .plugin(name: "CodeFingerprintPlugin", capability: .buildTool(), dependencies: ["CodeFingerprintTool"]),
        .target(name: "BuildFingerprint", plugins: ["CodeFingerprintPlugin"]),
        // Hot loops in C, one copy per vector ISA (baseline / AVX2+FMA / AVX-512) behind per-function
        // target attributes, chosen at run time. No dependencies; called through LinearAlgebra.
        .target(
            name: "VectorKernels",
            cSettings: [.unsafeFlags(["-O3", "-fno-fast-math", "-ffp-contract=off"])]
        ),
        // The only importer of COpenBLAS.
        .target(
            name: "LinearAlgebra",
            dependencies: ["COpenBLAS", "HarnessCore", "VectorKernels"]
        ),
        // Image data sets from Debian packages (Fashion-MNIST's IDX files). The only importer of CZlib.
        .target(
            name: "ImageDatasets",
            dependencies: ["CZlib"]
        ),
        .target(
            name: "SinkhornExperiment",
            dependencies: ["HarnessCore", "LinearAlgebra", "ImageDatasets", "VectorKernels"]
        ),
        .target(
            name: "KernelDensityExperiment",
            dependencies: ["HarnessCore", "LinearAlgebra", "VectorKernels"]
        ),
        .target(
            name: "LearningRateBatchExperiment",
            dependencies: ["HarnessCore", "LinearAlgebra", "ImageDatasets"]
        ),
        .target(
            name: "FlashRNNExperiment",
            dependencies: ["HarnessCore", "LinearAlgebra", "OneDNNRNN", "VectorKernels"]
        ),
        // Debian's libgnuplot-iostream-dev (a C++ header over Boost.Iostreams; scripts/install-deps.sh).
        // The only C++ in the package: a C interface around gnuplot-iostream's Gnuplot stream.
        .target(
            name: "GnuplotStream",
            linkerSettings: [.linkedLibrary("boost_iostreams")]
        ),
        // Drives gnuplot only through GnuplotStream; imports it internally, so no other module sees it.
        .target(
            name: "GnuplotFigures",
            dependencies: ["HarnessCore", "GnuplotStream"]
        ),
        .target(
            name: "ClaimBenchCLI",
            dependencies: [
                "HarnessCore", "LinearAlgebra", "GnuplotFigures", "BuildFingerprint",
                "SinkhornExperiment", "KernelDensityExperiment", "LearningRateBatchExperiment", "FlashRNNExperiment",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "claimbench", dependencies: ["ClaimBenchCLI"]),

        .target(name: "TestSupport", dependencies: ["HarnessCore"], path: "Tests/TestSupport"),
        .testTarget(name: "HarnessCoreTests", dependencies: ["HarnessCore", "ContentDigest", "TestSupport"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
        .testTarget(name: "ImageDatasetsTests", dependencies: ["ImageDatasets", "TestSupport"]),
        .testTarget(name: "SinkhornExperimentTests", dependencies: ["SinkhornExperiment", "TestSupport"]),
        .testTarget(name: "KernelDensityExperimentTests", dependencies: ["KernelDensityExperiment", "TestSupport"]),
        .testTarget(name: "LearningRateBatchExperimentTests", dependencies: ["LearningRateBatchExperiment", "TestSupport"]),
        .testTarget(name: "FlashRNNExperimentTests", dependencies: ["FlashRNNExperiment", "LinearAlgebra", "VectorKernels", "TestSupport"]),
        .testTarget(name: "GnuplotFiguresTests", dependencies: ["GnuplotFigures", "HarnessCore", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ClaimBenchCLITests", dependencies: ["ClaimBenchCLI", "TestSupport"]),
    ],
    cxxLanguageStandard: .cxx17
)
