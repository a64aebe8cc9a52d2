/// Turns measured metrics into a verdict on each declared claim.
///
/// A claim is a falsifiable predicate on a metric (docs/ARCHITECTURE.md, "Claims and verdicts"). A metric's interval
/// (a confidence interval, or a bound such as "Sinkhorn hit its iteration cap, so the ratio is
/// at least x") decides between the three outcomes:
/// - reproduced: the whole interval satisfies the predicate;
/// - not reproduced: the whole interval violates it;
/// - inconclusive: the interval straddles the threshold, or the value is not a number.
/// A pattern that matches several metrics is reproduced only if every evaluable match is, and
/// not reproduced as soon as one is not. A match whose value is NaN (the experiment could not
/// measure it, e.g. neither method converged) is not evaluable. At most the claim's
/// `max_unmeasurable` such matches (default 0) may be set aside; with more, a claim that no
/// evaluable match refutes is inconclusive, so one holding match among unmeasured ones never
/// counts as reproduced. When no match is evaluable the claim is inconclusive.
public enum Verdict: String, Codable, Sendable, Comparable {
    case reproduced
    case inconclusive
    case notReproduced = "not reproduced"

    private var severity: Int {
        switch self {
        case .reproduced: 0
        case .inconclusive: 1
        case .notReproduced: 2
        }
    }

    public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.severity < rhs.severity }
}

/// One metric's contribution to a claim.
public struct ClaimObservation: Codable, Sendable, Equatable {
    public var metric: MetricName
    public var value: Double
    public var interval: MetricInterval?
    public var verdict: Verdict

    public init(metric: MetricName, value: Double, interval: MetricInterval?, verdict: Verdict) {
        self.metric = metric
        self.value = value
        self.interval = interval
        self.verdict = verdict
    }
}

/// The outcome of one claim in one run.
public struct ClaimResult: Codable, Sendable, Equatable {
    public var id: ClaimID
    public var statement: String
    public var metric: String
    public var predicate: String
    public var paperValue: String
    /// Where `paperValue` comes from (absent in records written before sources were declared).
    public var source: ClaimSource?
    /// The declared `max_unmeasurable` (absent in older records, where it was unbounded).
    public var maxUnmeasurable: Int?
    public var observations: [ClaimObservation]
    public var verdict: Verdict
    /// True when the claim is about timings: its verdict is reported but never gates CI.
    public var isTiming: Bool
    /// The observation that decides the verdict: the worst evaluable one, and among equals the
    /// one closest to the threshold.
    public var deciding: MetricName

    /// Matches whose value is NaN: reported, never voting.
    public var unmeasurable: Int { observations.filter { $0.value.isNaN }.count }

    public init(
        id: ClaimID, statement: String, metric: String, predicate: String, paperValue: String, source: ClaimSource?,
        maxUnmeasurable: Int?, observations: [ClaimObservation], verdict: Verdict, isTiming: Bool, deciding: MetricName
    ) {
        self.id = id
        self.statement = statement
        self.metric = metric
        self.predicate = predicate
        self.paperValue = paperValue
        self.source = source
        self.maxUnmeasurable = maxUnmeasurable
        self.observations = observations
        self.verdict = verdict
        self.isTiming = isTiming
        self.deciding = deciding
    }

    enum CodingKeys: String, CodingKey {
        case id, statement, metric, predicate, paperValue = "paper_value", source, maxUnmeasurable = "max_unmeasurable"
        case observations, verdict, isTiming = "is_timing", deciding
    }
}

/// Raised when a claim names a metric the experiment does not produce: the declaration is wrong.
public struct ClaimMetricMissing: Error, CustomStringConvertible {
    public var file: String
    public var claim: ClaimID
    public var pattern: MetricPattern
    public var available: [MetricName]

    public var description: String {
        let sample = available.prefix(8).map(\.rawValue).joined(separator: ", ")
        return "\(file): claims (id = \"\(claim)\"): metric \"\(pattern)\" matches nothing the experiment reports"
            + " (fix the pattern; reported metrics include: \(sample)\(available.count > 8 ? ", …" : ""))"
    }
}

public enum ClaimEvaluator {
    public static func evaluate(_ claims: [ClaimDeclaration], metrics: [MetricName: Metric], file: String) throws -> [ClaimResult] {
        try claims.map { claim in
            let matched = claim.metric.matches(in: metrics.keys)
            guard !matched.isEmpty else {
                throw ClaimMetricMissing(file: file, claim: claim.id, pattern: claim.metric, available: metrics.keys.sorted())
            }
            let observations = matched.map { name in
                let metric = metrics[name]!
                return ClaimObservation(
                    metric: name, value: metric.value, interval: metric.interval,
                    verdict: verdict(claim.predicate, value: metric.value, interval: metric.interval))
            }
            return ClaimResult(
                id: claim.id, statement: claim.statement, metric: claim.metric.pattern, predicate: claim.predicate.description,
                paperValue: claim.paperValue, source: claim.source, maxUnmeasurable: claim.maxUnmeasurable,
                observations: observations, verdict: combined(observations, maxUnmeasurable: claim.maxUnmeasurable),
                isTiming: matched.allSatisfy { metrics[$0]!.metricClass == .timing },
                deciding: deciding(observations, claim.predicate))
        }
    }

    /// The worst verdict among evaluable observations; inconclusive when none is evaluable, or
    /// when more than `maxUnmeasurable` matches are NaN and no evaluable one refutes the claim.
    public static func combined(_ observations: [ClaimObservation], maxUnmeasurable: Int) -> Verdict {
        let evaluable = observations.filter { !$0.value.isNaN }
        guard let worst = evaluable.map(\.verdict).max() else { return .inconclusive }
        if worst == .notReproduced { return .notReproduced }
        return observations.count - evaluable.count > maxUnmeasurable ? .inconclusive : worst
    }

    /// The worst evaluable observation; ties go to the smallest margin to the threshold.
    static func deciding(_ observations: [ClaimObservation], _ predicate: ClaimPredicate) -> MetricName {
        let evaluable = observations.filter { !$0.value.isNaN }
        guard let worst = evaluable.map(\.verdict).max() else { return observations[0].metric }
        func margin(_ o: ClaimObservation) -> Double {
            let lower = o.interval.map { min($0.lower, o.value) } ?? o.value
            let upper = o.interval.map { max($0.upper, o.value) } ?? o.value
            switch predicate {
            case .atLeast(let threshold): return lower - threshold
            case .atMost(let threshold): return threshold - upper
            case .between(let low, let high): return min(lower - low, high - upper)
            }
        }
        return evaluable.filter { $0.verdict == worst }.min { margin($0) < margin($1) }!.metric
    }

    /// The verdict of one value (with optional interval) under a predicate.
    public static func verdict(_ predicate: ClaimPredicate, value: Double, interval: MetricInterval?) -> Verdict {
        guard !value.isNaN else { return .inconclusive }
        let lower = interval.map { min($0.lower, value) } ?? value
        let upper = interval.map { max($0.upper, value) } ?? value
        guard !lower.isNaN, !upper.isNaN else { return .inconclusive }
        switch predicate {
        case .atLeast(let threshold):
            if lower >= threshold { return .reproduced }
            if upper < threshold { return .notReproduced }
        case .atMost(let threshold):
            if upper <= threshold { return .reproduced }
            if lower > threshold { return .notReproduced }
        case .between(let low, let high):
            if lower >= low && upper <= high { return .reproduced }
            if upper < low || lower > high { return .notReproduced }
        }
        return .inconclusive
    }
}
