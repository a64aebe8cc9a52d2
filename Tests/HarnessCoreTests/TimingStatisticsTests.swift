import XCTest
@testable import HarnessCore

final class TimingStatisticsTests: XCTestCase {
    // MARK: Median

    func testMedianOfOddAndEvenCounts() {
        XCTAssertEqual(TimingSummary(samples: [5]).median, 5)
        XCTAssertEqual(TimingSummary(samples: [3, 1, 2]).median, 2)
        XCTAssertEqual(TimingSummary(samples: [4, 1, 3, 2]).median, 2.5)
        XCTAssertEqual(TimingSummary(samples: [10, 1]).median, 5.5)
        XCTAssertEqual(TimingSummary(samples: [9, 7, 100, 8, 1e-3]).median, 8)
        XCTAssertEqual(TimingSummary(samples: [2, 2, 2, 9, 9, 9]).median, 5.5)
    }

    func testSamplesKeepMeasurementOrder() {
        let summary = TimingSummary(samples: [3, 1, 2], level: 0.9)
        XCTAssertEqual(summary.samples, [3, 1, 2])
        XCTAssertEqual(summary.interval.level, 0.9)
        let metric = summary.metric(unit: "ms")
        XCTAssertEqual(metric.value, 2)
        XCTAssertEqual(metric.unit, "ms")
        XCTAssertEqual(metric.metricClass, .timing)
        XCTAssertEqual(metric.interval, summary.interval)
    }

    // MARK: Confidence interval of the median

    /// Brute force: with X ~ Binomial(n, ½) the number of samples below the median, the
    /// zero-based order statistics (j, n−1−j) cover the median with probability 1 − 2·P(X ≤ j).
    /// The expected ranks use the largest j whose coverage is still ≥ level (the narrowest
    /// symmetric interval), or (0, n−1) when even that pair falls short of the level.
    private func bruteForceRanks(count n: Int, level: Double) -> (Int, Int) {
        let total = Double(UInt64(1) << UInt64(n))
        var best: Int? = nil
        var lowerTail: UInt64 = 0  // Σ_{i ≤ j} C(n, i), exact for n ≤ 40
        var binomial: UInt64 = 1   // C(n, j)
        for j in 0..<n {
            lowerTail += binomial
            if 1 - 2 * Double(lowerTail) / total >= level { best = j } else { break }
            binomial = binomial * UInt64(n - j) / UInt64(j + 1)
        }
        guard let j = best else { return (0, n - 1) }
        return (j, n - 1 - j)
    }

    private func coverage(count n: Int, low j: Int) -> Double {
        var lowerTail = 0.0, binomial = 1.0
        for i in 0...j {
            lowerTail += binomial
            binomial = binomial * Double(n - i) / Double(i + 1)
        }
        return 1 - 2 * lowerTail / pow(2, Double(n))
    }

    func testMedianConfidenceRanksMatchBruteForceBinomial() {
        for level in [0.1, 0.5, 0.9, 0.95, 0.99] {
            for n in 3...40 {
                let (low, high) = TimingSummary.medianConfidenceRanks(count: n, level: level)
                let (expectedLow, expectedHigh) = bruteForceRanks(count: n, level: level)
                XCTAssertEqual(low, expectedLow, "n = \(n), level = \(level)")
                XCTAssertEqual(high, expectedHigh, "n = \(n), level = \(level)")
                XCTAssertEqual(low + high, n - 1, "symmetric, n = \(n)")
                XCTAssertTrue(low <= (n - 1) / 2 && high >= n / 2, "brackets the median, n = \(n)")
                if low > 0 || coverage(count: n, low: 0) >= level {
                    XCTAssertGreaterThanOrEqual(coverage(count: n, low: low), level, "coverage, n = \(n), level = \(level)")
                    if low + 1 < high - 1 {
                        XCTAssertLessThan(coverage(count: n, low: low + 1), level, "narrowest, n = \(n), level = \(level)")
                    }
                }
            }
        }
    }

    /// Published values for the 95% interval (e.g. the binomial tables in Conover, *Practical
    /// Nonparametric Statistics*): 1-based ranks (2, 9) for n = 10, (6, 15) for n = 20, (14, 27) for n = 40.
    func testMedianConfidenceRanksMatchTabulatedValues() {
        XCTAssertTrue(TimingSummary.medianConfidenceRanks(count: 5, level: 0.95) == (0, 4), "too few samples: widest pair")
        XCTAssertTrue(TimingSummary.medianConfidenceRanks(count: 6, level: 0.95) == (0, 5))
        XCTAssertTrue(TimingSummary.medianConfidenceRanks(count: 10, level: 0.95) == (1, 8))
        XCTAssertTrue(TimingSummary.medianConfidenceRanks(count: 20, level: 0.95) == (5, 14))
        XCTAssertTrue(TimingSummary.medianConfidenceRanks(count: 40, level: 0.95) == (13, 26))
        XCTAssertTrue(TimingSummary.medianConfidenceRanks(count: 1, level: 0.95) == (0, 0))
        XCTAssertTrue(TimingSummary.medianConfidenceRanks(count: 2, level: 0.95) == (0, 1))
    }

    func testIntervalUsesTheOrderStatisticsAndContainsTheMedian() {
        // 20 distinct samples in a scrambled order: value k at a position that is not k.
        let samples = (0..<20).map { Double(($0 * 7) % 20) + 1 }
        let summary = TimingSummary(samples: samples)
        XCTAssertEqual(summary.median, 10.5)
        XCTAssertEqual(summary.interval.lower, 6)   // zero-based rank 5
        XCTAssertEqual(summary.interval.upper, 15)  // zero-based rank 14
        for n in 1...41 {
            let values = (0..<n).map { Double(($0 * 17) % n) * 0.25 + 1 }
            let s = TimingSummary(samples: values)
            XCTAssertTrue(s.interval.lower <= s.median && s.median <= s.interval.upper, "n = \(n)")
            XCTAssertEqual(s.interval.level, 0.95)
        }
    }

    // MARK: Stopwatch

    /// Deterministic busy work; the result is returned so the loop is not removed.
    private static func work(_ iterations: Int) -> UInt64 {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<iterations { x = (x ^ UInt64(i)) &* 0x100_0000_01b3 }
        return x
    }

    func testCompareInterleavesAndReportsPerPairRatios() {
        var calls: [Character] = []
        var sink: UInt64 = 0
        let result = Stopwatch.compare(
            warmups: 2, repetitions: 9,
            baseline: { calls.append("b"); sink ^= Self.work(4_000) },
            candidate: { calls.append("c"); sink ^= Self.work(1_000) })
        XCTAssertNotEqual(sink, 1)  // keep the work observable
        XCTAssertEqual(String(calls), String(repeating: "bc", count: 11))

        XCTAssertEqual(result.baseline.samples.count, 9)
        XCTAssertEqual(result.candidate.samples.count, 9)
        XCTAssertEqual(result.ratio.samples.count, 9)
        for i in 0..<9 {
            let b = result.baseline.samples[i], c = result.candidate.samples[i]
            XCTAssertGreaterThan(b, 0)
            XCTAssertGreaterThan(c, 0)
            XCTAssertEqual(result.ratio.samples[i], b / c, "pair \(i)")
        }
        XCTAssertEqual(result.baseline, TimingSummary(samples: result.baseline.samples))
        XCTAssertEqual(result.candidate, TimingSummary(samples: result.candidate.samples))
        XCTAssertEqual(result.ratio, TimingSummary(samples: result.ratio.samples))

        let metric = result.metric()
        XCTAssertEqual(metric.unit, "x")
        XCTAssertEqual(metric.metricClass, .timing)
        XCTAssertEqual(metric.value, result.ratio.median)
        XCTAssertEqual(metric.interval, result.ratio.interval)
    }

    func testMeasureRunsWarmupsThenTimedRepetitions() {
        var calls = 0
        var sink: UInt64 = 0
        let summary = Stopwatch.measure(warmups: 3, repetitions: 5) {
            calls += 1
            sink ^= Self.work(500)
        }
        XCTAssertNotEqual(sink, 1)
        XCTAssertEqual(calls, 8)
        XCTAssertEqual(summary.samples.count, 5)
        XCTAssertTrue(summary.samples.allSatisfy { $0 >= 0 && $0.isFinite })
        let before = Stopwatch.now()
        XCTAssertGreaterThanOrEqual(Stopwatch.now(), before, "monotonic clock")
    }

    func testRateInvertsTheTimingAndItsInterval() {
        let timing = TimingSummary(samples: [2, 4, 5, 8, 10])
        let rate = timing.rate(100, unit: "1/s")
        XCTAssertEqual(rate.value, 100 / timing.median)
        XCTAssertEqual(rate.unit, "1/s")
        XCTAssertEqual(rate.metricClass, .timing)
        // The slowest time bounds the rate from below, the fastest from above.
        XCTAssertEqual(rate.interval?.lower, 100 / timing.interval.upper)
        XCTAssertEqual(rate.interval?.upper, 100 / timing.interval.lower)
        XCTAssertEqual(rate.interval?.level, timing.interval.level)
        XCTAssertLessThanOrEqual(rate.interval!.lower, rate.value)
        XCTAssertGreaterThanOrEqual(rate.interval!.upper, rate.value)
    }

    func testScaledKeepsOrderAndScalesTheSummary() {
        let timing = TimingSummary(samples: [3, 1, 2, 9, 4])
        let perIteration = timing.scaled(by: 0.5)
        XCTAssertEqual(perIteration.samples, [1.5, 0.5, 1, 4.5, 2])
        XCTAssertEqual(perIteration.median, timing.median * 0.5)
        XCTAssertEqual(perIteration.interval.lower, timing.interval.lower * 0.5)
        XCTAssertEqual(perIteration.interval.upper, timing.interval.upper * 0.5)
    }

    func testPerformanceTableNamesMetricsAndWritesOneRowEach() {
        var perf = PerformanceTable(column: "batch_size", label: "B")
        perf.record(16, "gradient_seconds", .timing(0.5, unit: "s", interval: MetricInterval(lower: 0.4, upper: 0.7, level: 0.95)))
        perf.record(32, "kept", .numeric(0.25))
        XCTAssertEqual(perf.metrics["B=16/gradient_seconds"]?.value, 0.5)
        XCTAssertEqual(perf.metrics["B=32/kept"]?.value, 0.25)
        XCTAssertEqual(perf.table.rendered(), """
            batch_size,quantity,median,ci_lower,ci_upper,unit
            16,gradient_seconds,0.5,0.4,0.7,s
            32,kept,0.25,NaN,NaN,1

            """)
    }
}
