/// A measured value, as stored in a run record and compared against a golden file.
///
/// The metric class says how it may be compared (docs/ARCHITECTURE.md, "Run record"):
/// - `exact`: bit-identical on one machine (counts, checksums of generated data);
/// - `numeric`: equal within a tolerance declared in the suite's `[[golden]]` entries;
/// - `stochastic`: a mean over replicates, compared within its standard error;
/// - `timing`: never golden-compared; reported, or judged as a ratio with a confidence interval.
public enum MetricClass: String, Codable, Sendable, CaseIterable {
    case exact, numeric, stochastic, timing
}

/// A two-sided interval around a metric's value: a confidence interval, or hard bounds.
public struct MetricInterval: Codable, Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    /// Confidence level in (0, 1), or `nil` for hard bounds (e.g. "at least" when a baseline hit its budget).
    public var level: Double?

    public init(lower: Double, upper: Double, level: Double?) {
        self.lower = lower
        self.upper = upper
        self.level = level
    }
}

public struct Metric: Codable, Sendable, Equatable {
    public var value: Double
    public var unit: String
    public var metricClass: MetricClass
    public var interval: MetricInterval?
    /// For `stochastic` metrics: the standard error of `value` over replicates.
    public var standardError: Double?

    public init(
        _ value: Double, unit: String, class metricClass: MetricClass,
        interval: MetricInterval? = nil, standardError: Double? = nil
    ) {
        self.value = value
        self.unit = unit
        self.metricClass = metricClass
        self.interval = interval
        self.standardError = standardError
    }

    enum CodingKeys: String, CodingKey {
        case value, unit, metricClass = "class", interval, standardError = "standard_error"
    }

    public static func exact(_ value: Double, unit: String = "1") -> Metric { Metric(value, unit: unit, class: .exact) }
    public static func exact(_ value: Int, unit: String = "1") -> Metric { Metric(Double(value), unit: unit, class: .exact) }
    public static func numeric(_ value: Double, unit: String = "1", interval: MetricInterval? = nil) -> Metric {
        Metric(value, unit: unit, class: .numeric, interval: interval)
    }
    public static func timing(_ value: Double, unit: String, interval: MetricInterval? = nil) -> Metric {
        Metric(value, unit: unit, class: .timing, interval: interval)
    }
}
