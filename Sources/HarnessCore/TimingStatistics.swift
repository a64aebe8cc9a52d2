import Foundation

/// Wall-clock measurement for benchmarks (`claimbench perf`), never for unit tests.
///
/// Timings are summarised by their median with a distribution-free confidence interval from
/// order statistics (the binomial interval for the median), so no normality is assumed.
public struct TimingSummary: Sendable, Equatable {
    /// Seconds per repetition, in the order measured.
    public var samples: [Double]
    public var median: Double
    /// ~95% confidence interval of the median.
    public var interval: MetricInterval

    public init(samples: [Double], level: Double = 0.95) {
        precondition(!samples.isEmpty, "a timing summary needs at least one sample")
        self.samples = samples
        let sorted = samples.sorted()
        median = Self.median(ofSorted: sorted)
        let (low, high) = Self.medianConfidenceRanks(count: sorted.count, level: level)
        interval = MetricInterval(lower: sorted[low], upper: sorted[high], level: level)
    }

    /// The median as a `timing` metric, with its interval.
    public func metric(unit: String = "s") -> Metric { .timing(median, unit: unit, interval: interval) }

    static func median(ofSorted sorted: [Double]) -> Double {
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
    }

    /// Zero-based ranks (j, n−1−j) of order statistics bracketing the median with coverage ≥ level
    /// under Binomial(n, 1/2): the interval [x₍ⱼ₎, x₍ₙ₋₁₋ⱼ₎] covers it with probability
    /// 1 − 2·P(X ≤ j), so j is the largest rank with P(X ≤ j) ≤ (1 − level)/2 (the narrowest such
    /// symmetric pair); the widest pair (0, n−1) when n is too small for the level.
    static func medianConfidenceRanks(count n: Int, level: Double) -> (Int, Int) {
        guard n > 2 else { return (0, n - 1) }
        let tail = (1 - level) / 2
        // P(X ≤ j) for X ~ Binomial(n, 1/2), accumulated from the lower tail.
        var cumulative = 0.0
        var pmf = pow(0.5, Double(n))
        var lowRank = 0
        for j in 0...(n - 1) / 2 {
            cumulative += pmf
            guard cumulative <= tail else { break }
            lowRank = j
            pmf *= Double(n - j) / Double(j + 1)
        }
        return (lowRank, n - 1 - lowRank)
    }
}

extension TimingSummary {
    /// `work` per second (work / time) as a `timing` metric, the interval inverted from the
    /// timing's. With `work` = the seconds the machine's limit needs for the job, this is the
    /// fraction of that limit achieved (1 = at the limit).
    public func rate(_ work: Double, unit: String) -> Metric {
        .timing(work / median, unit: unit,
                interval: MetricInterval(lower: work / interval.upper, upper: work / interval.lower, level: interval.level))
    }

    /// Every sample multiplied by `factor`: per-iteration timings from samples that each ran
    /// several iterations.
    public func scaled(by factor: Double) -> TimingSummary {
        TimingSummary(samples: samples.map { $0 * factor }, level: interval.level ?? 0.95)
    }
}

/// The `perf.csv` a benchmark writes, built together with its metrics: one row per (size,
/// quantity) with the median, interval and unit, and the same value as metric `<label>=<size>/<quantity>`.
public struct PerformanceTable: Sendable {
    public private(set) var table: CSVTable
    public private(set) var metrics: [MetricName: Metric] = [:]
    private let label: String

    /// `column` names the size column of the CSV (`n`, `batch_size`); `label` prefixes metric names (`n`, `B`).
    public init(column: String, label: String) {
        table = CSVTable(columns: [column, "quantity", "median", "ci_lower", "ci_upper", "unit"])
        self.label = label
    }

    public mutating func record(_ size: Int, _ quantity: String, _ metric: Metric) {
        metrics[MetricName("\(label)=\(size)/\(quantity)")] = metric
        table.append([.integer(size), .text(quantity), .number(metric.value), .number(metric.interval?.lower ?? .nan),
                      .number(metric.interval?.upper ?? .nan), .text(metric.unit)])
    }
}

/// A ratio of two timings measured side by side (interleaved) in one run.
public struct RatioSummary: Sendable, Equatable {
    public var baseline: TimingSummary
    public var candidate: TimingSummary
    /// Per-pair ratios baseline / candidate, summarised like a timing (median and interval).
    public var ratio: TimingSummary

    /// The speedup as a `timing` metric (unit "x"), with the interval of the per-pair ratios.
    public func metric() -> Metric { .timing(ratio.median, unit: "x", interval: ratio.interval) }
}

public enum Stopwatch {
    /// Monotonic seconds since an arbitrary origin.
    public static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

    /// Seconds taken by `body`.
    public static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = now()
        try body()
        return now() - start
    }

    /// Runs `warmups` untimed calls, then `repetitions` timed ones.
    public static func measure(warmups: Int = 1, repetitions: Int, _ body: () throws -> Void) rethrows -> TimingSummary {
        precondition(repetitions >= 1, "need at least one repetition")
        for _ in 0..<warmups { try body() }
        var samples: [Double] = []
        samples.reserveCapacity(repetitions)
        for _ in 0..<repetitions { samples.append(try time(body)) }
        return TimingSummary(samples: samples)
    }

    /// Times `baseline` and `candidate` alternately (A B A B …) so that drifts in clock speed
    /// or load hit both alike, and summarises the per-pair ratio baseline / candidate.
    public static func compare(
        warmups: Int = 1, repetitions: Int, baseline: () throws -> Void, candidate: () throws -> Void
    ) rethrows -> RatioSummary {
        precondition(repetitions >= 1, "need at least one repetition")
        for _ in 0..<warmups {
            try baseline()
            try candidate()
        }
        var base: [Double] = [], cand: [Double] = [], ratios: [Double] = []
        for _ in 0..<repetitions {
            let b = try time(baseline)
            let c = try time(candidate)
            base.append(b)
            cand.append(c)
            ratios.append(b / c)
        }
        return RatioSummary(
            baseline: TimingSummary(samples: base), candidate: TimingSummary(samples: cand), ratio: TimingSummary(samples: ratios))
    }
}

/// The machine's own limits, measured in the same run as the benchmarks they normalise
/// (memory bandwidth for streaming kernels, dgemm throughput for compute-bound ones).
public struct MachineLimits: Sendable, Codable, Equatable {
    /// Sustained read bandwidth of a large array, bytes per second.
    public var memoryBandwidth: Double
    /// dgemm throughput on a large square product, floating-point operations per second.
    public var gemmPeak: Double
    /// Threads used for both measurements.
    public var threads: Int

    public init(memoryBandwidth: Double, gemmPeak: Double, threads: Int) {
        self.memoryBandwidth = memoryBandwidth
        self.gemmPeak = gemmPeak
        self.threads = threads
    }

    enum CodingKeys: String, CodingKey {
        case memoryBandwidth = "memory_bandwidth_bytes_per_s", gemmPeak = "gemm_peak_flops", threads
    }
}

/// An experiment that also has kernel benchmarks, run by `claimbench perf`.
/// Every timing it reports is a ratio measured side by side in one run, or a fraction of
/// `limits`, never a bare number judged against a constant.
public protocol PerformanceBenchmark: Experiment {
    associatedtype PerfParameters: Encodable & Sendable
    /// Decodes the suite's `[perf]` table strictly.
    static func decodePerfParameters(_ table: ParameterTable) throws -> PerfParameters
    static func benchmark(_ parameters: PerfParameters, limits: MachineLimits, context: RunContext) throws -> ExperimentOutput
}
