import HarnessCore

/// Two timings measured side by side (`Stopwatch.compare`), kept as their samples so that a
/// throughput work unit's result can be encoded and assembled in another process. The summaries
/// are recomputed from the samples, so they equal the `RatioSummary` they came from.
struct PairedTimings: Codable, Sendable, Equatable {
    /// Seconds per repetition, in the order measured.
    var baselineSamples: [Double]
    var candidateSamples: [Double]
    /// Per-pair ratios baseline / candidate.
    var ratioSamples: [Double]

    init(_ summary: RatioSummary) {
        baselineSamples = summary.baseline.samples
        candidateSamples = summary.candidate.samples
        ratioSamples = summary.ratio.samples
    }

    var baseline: TimingSummary { TimingSummary(samples: baselineSamples) }
    var candidate: TimingSummary { TimingSummary(samples: candidateSamples) }
    var ratio: TimingSummary { TimingSummary(samples: ratioSamples) }

    /// The speedup as a `timing` metric (unit "x"), with the interval of the per-pair ratios.
    func metric() -> Metric { .timing(ratio.median, unit: "x", interval: ratio.interval) }
}
