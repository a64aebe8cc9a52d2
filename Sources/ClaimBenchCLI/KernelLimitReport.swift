import HarnessCore
import LinearAlgebra

/// The lines `claimbench perf` prints after each benchmark: for each kernel, the instruction-set
/// path it ran (the fingerprint's kernel paths, which the kernels with runtime dispatch fill in,
/// or the OpenBLAS core for BLAS calls) and its fraction of this machine's limit for its class,
/// measured in the same run: read bandwidth, dgemm peak, or the Float32 FMA peak
/// (`MachineProbes.fmaPeak`, measured by the rnn benchmark itself).
enum KernelLimitReport {
    /// Where a kernel's instruction-set path is recorded.
    enum Path {
        /// A BLAS call: the OpenBLAS core in use.
        case openBLAS
        /// The fingerprint's kernel path under this key (filled in by kernels with runtime dispatch).
        case fingerprint(String)
        /// Plain Swift loops compiled for the baseline.
        case swiftScalar
    }

    struct Entry {
        var experiment: ExperimentID
        var kernel: String
        var path: Path
        /// Metrics `<size>/<suffix>` hold the fraction (1 = at the limit).
        var metricSuffix: String
        var limit: String
    }

    static let entries: [Entry] = [
        Entry(experiment: "sinkhorn.convergence", kernel: "Sinkhorn iteration (one sweep over K)", path: .fingerprint("Sinkhorn scaling sweep"),
              metricSuffix: "fraction_of_streaming_limit", limit: "read bandwidth"),
        Entry(experiment: "sinkhorn.convergence", kernel: "sparsification (keep-count)", path: .swiftScalar,
              metricSuffix: "sparsification_fraction_of_streaming_limit", limit: "read bandwidth"),
        Entry(experiment: "kde.regimes", kernel: "KDE cross terms (dgemm)", path: .openBLAS,
              metricSuffix: "gemm_fraction_of_peak", limit: "dgemm peak"),
        Entry(experiment: "kde.regimes", kernel: "KDE kernel sums, 1 bandwidth", path: .fingerprint("KDE KernelSums row"),
              metricSuffix: "kernel_sum_fraction_of_peak", limit: "dgemm peak"),
        Entry(experiment: "kde.regimes", kernel: "KDE kernel sums, all bandwidths", path: .fingerprint("KDE KernelSums row"),
              metricSuffix: "kernel_sum_fraction_of_peak_all_bandwidths", limit: "dgemm peak"),
        Entry(experiment: "lr-batch.scaling", kernel: "gradient (GEMM)", path: .openBLAS,
              metricSuffix: "gradient_fraction_of_gemm_peak", limit: "dgemm peak"),
        Entry(experiment: "rnn.throughput", kernel: "fused RNN pass", path: .fingerprint("FusedRNN"),
              metricSuffix: "fraction_of_limit", limit: "max(sgemm peak, read bandwidth) bound of the shape"),
        Entry(experiment: "rnn.throughput", kernel: "fused RNN pass", path: .fingerprint("FusedRNN"),
              metricSuffix: "fraction_of_fma_peak", limit: "Float32 FMA peak"),
    ]

    /// One line per kernel of `suite` with at least one fraction among `metrics`.
    static func lines(suite experiment: ExperimentID, metrics: [MetricName: Metric],
                      kernelPaths: [String: String] = PlatformFingerprint.current(threads: 1).kernelPaths) -> [String] {
        entries.filter { $0.experiment == experiment }.compactMap { entry in
            let values = metrics.keys.map(\.rawValue).filter { $0.hasSuffix("/" + entry.metricSuffix) }.sorted { a, b in
                a.localizedStandardCompare(b) == .orderedAscending
            }
            guard !values.isEmpty else { return nil }
            let path = switch entry.path {
            case .openBLAS: "OpenBLAS core \(BLASRuntime.activeCoreName)"
            case .fingerprint(let key): kernelPaths[key] ?? "not recorded"
            case .swiftScalar: "Swift scalar loops (\(KernelPaths.swiftSIMDBaseline.replacingOccurrences(of: "swift-simd ", with: "")))"
            }
            let fractions = values.map { name in
                "\(name.dropLast(entry.metricSuffix.count + 1)) \(String(format: "%.2f", metrics[MetricName(name)]!.value))"
            }
            return "kernel \(entry.kernel): path \(path); fraction of \(entry.limit): " + fractions.joined(separator: ", ")
        }
    }
}
