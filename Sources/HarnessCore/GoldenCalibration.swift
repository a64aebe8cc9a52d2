/// Measures each metric's determinism class from reruns of one preset under perturbations
/// (other OpenBLAS cores, other thread counts), instead of trusting the class the experiment
/// declares (docs/ARCHITECTURE.md, "Golden check").
///
/// For every metric it records the largest deviation any perturbed run showed (the spread) and
/// the measured class: `exact` when all runs agree bit for bit, else the declared class. The
/// tolerance `check` applies later is max(declared tolerance, k × spread). A metric the
/// experiment declares `exact` that moves under a perturbation is an error, not a wider
/// tolerance: its computation depends on BLAS, threads or the platform and must be fixed (or the
/// metric declared numeric with a reviewed tolerance). A claim whose verdict differs between
/// runs is fragile. Timing metrics and timing claims are left out: they are never gated.
public enum GoldenCalibration {
    /// k in tolerance = max(declared, k × spread). The perturbed runs are a sample of the
    /// platforms a golden must hold on; 4× their largest deviation leaves room for a kernel that
    /// rounds differently again, while a real regression (a changed algorithm) moves values by
    /// orders of magnitude more than rounding does.
    public static let defaultSpreadMultiple = 4.0

    public struct Outcome: Sendable, Equatable {
        public var metrics: [String: GoldenFile.Entry]
        public var fragile: [String: [Verdict]]
    }

    /// Something the perturbed runs showed that no tolerance may absorb.
    public struct Inconsistency: Error, CustomStringConvertible, Equatable {
        public var suite: SuiteID
        public var problems: [String]
        public var description: String {
            "\(suite): the golden cannot be calibrated:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
                + "\n  fix the computation so it does not depend on BLAS, threads or libm, or declare the metric numeric"
                + " with a [[golden]] tolerance in suites/\(suite).toml"
        }
    }

    /// - Parameters:
    ///   - base: the run whose values become the golden.
    ///   - perturbed: the same preset and seed rerun under each perturbation.
    public static func calibrate(
        base: RunRecord, perturbed: [(GoldenFile.Perturbation, RunRecord)]
    ) throws -> Outcome {
        let (entries, problems) = measure(base: base, perturbed: perturbed)
        guard problems.isEmpty else { throw Inconsistency(suite: base.suite, problems: problems) }

        var fragile: [String: [Verdict]] = [:]
        for claim in base.claims where !claim.isTiming {
            let seen = Set([claim.verdict] + perturbed.compactMap { $0.1.claims.first { $0.id == claim.id }?.verdict })
            if seen.count > 1 { fragile[claim.id.rawValue] = seen.sorted() }
        }
        return Outcome(metrics: entries, fragile: fragile)
    }

    /// Each metric's golden entry, and what no tolerance may absorb. With no perturbed runs every
    /// metric keeps its declared class and a spread of 0.
    static func measure(
        base: RunRecord, perturbed: [(GoldenFile.Perturbation, RunRecord)]
    ) -> (entries: [String: GoldenFile.Entry], problems: [String]) {
        var problems: [String] = []
        var entries: [String: GoldenFile.Entry] = [:]
        for (name, metric) in base.metrics.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where metric.metricClass != .timing {
            var spread = 0.0
            var identical = true
            for (perturbation, run) in perturbed {
                guard let other = run.metrics[name] else {
                    problems.append("\(name): missing from the run under \(perturbation)")
                    continue
                }
                if other.value.bitPattern == metric.value.bitPattern { continue }
                identical = false
                let moved = deviation(other.value, metric.value)
                if metric.metricClass == .exact {
                    problems.append("\(name) is declared exact but reads \(other.value) under \(perturbation), \(metric.value) otherwise")
                } else if !moved.isFinite {
                    problems.append("\(name) reads \(other.value) under \(perturbation) but \(metric.value) otherwise: no tolerance can cover that")
                }
                spread = max(spread, moved)
            }
            entries[name.rawValue] = GoldenFile.Entry(
                value: metric.value, unit: metric.unit, metricClass: identical && !perturbed.isEmpty ? .exact : metric.metricClass,
                declaredClass: metric.metricClass, standardError: metric.standardError, spread: spread)
        }
        for (perturbation, run) in perturbed {
            let extra = run.metrics.filter { $0.value.metricClass != .timing && base.metrics[$0.key] == nil }.keys
            for name in extra.map(\.rawValue).sorted() { problems.append("\(name): only in the run under \(perturbation)") }
        }
        return (entries, problems)
    }

    /// |a − b|; a NaN against a number, or an infinity against anything else, counts as infinite.
    static func deviation(_ a: Double, _ b: Double) -> Double {
        if (a.isNaN && b.isNaN) || a == b { return 0 }
        let d = abs(a - b)
        return d.isNaN ? .infinity : d
    }
}
