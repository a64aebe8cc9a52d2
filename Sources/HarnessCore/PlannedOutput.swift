import Foundation

/// What an experiment will report for given parameters, known before it runs
/// (docs/ARCHITECTURE.md, "Plan"). Each experiment describes its own output from its parameters
/// alone, so that claims, golden tolerances and figures are matched before any compute, and a
/// unit test per experiment holds the description to what the code really reports.
public struct PlannedOutput: Sendable, Equatable {
    /// Every metric the run will report, with its unit and class.
    public var metrics: [MetricName: PlannedMetric]
    /// The CSV tables the run will write, by file name.
    public var tables: [String]

    public init(metrics: [MetricName: PlannedMetric] = [:], tables: [String] = []) {
        self.metrics = metrics
        self.tables = tables
    }

    public mutating func add(_ name: String, _ metricClass: MetricClass, unit: String = "1") {
        metrics[MetricName(name)] = PlannedMetric(unit: unit, metricClass: metricClass)
    }

    /// How an actual output differs from this description: names missing or unplanned, units or
    /// classes changed, tables missing or unplanned. Empty when they agree.
    public func differences(from output: ExperimentOutput) -> [String] {
        var found: [String] = []
        let planned = Set(metrics.keys), actual = Set(output.metrics.keys)
        let missing = planned.subtracting(actual).sorted(), extra = actual.subtracting(planned).sorted()
        if !missing.isEmpty { found.append("planned but not reported: \(Self.sample(missing.map(\.rawValue)))") }
        if !extra.isEmpty { found.append("reported but not planned: \(Self.sample(extra.map(\.rawValue)))") }
        for name in planned.intersection(actual).sorted() {
            let plan = metrics[name]!, metric = output.metrics[name]!
            if plan.unit != metric.unit || plan.metricClass != metric.metricClass {
                found.append("\(name): planned \(plan.metricClass.rawValue) [\(plan.unit)], reported \(metric.metricClass.rawValue) [\(metric.unit)]")
            }
        }
        if Set(tables) != Set(output.tables.keys) {
            found.append("tables planned \(tables.sorted()), written \(output.tables.keys.sorted())")
        }
        return found
    }

    static func sample(_ names: [String]) -> String {
        names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
    }
}

/// A planned metric's unit and class.
public struct PlannedMetric: Sendable, Equatable {
    public var unit: String
    public var metricClass: MetricClass

    public init(unit: String, metricClass: MetricClass) {
        self.unit = unit
        self.metricClass = metricClass
    }
}

/// An upper estimate of a run's peak working set, and the preset keys that drive it.
public struct MemoryEstimate: Sendable, Equatable {
    /// Bytes, as a Double so that no product of declared values can overflow.
    public var bytes: Double
    /// The preset keys the estimate grows with, most important first.
    public var keys: [String]

    public init(bytes: Double, keys: [String]) {
        self.bytes = bytes
        self.keys = keys
    }
}

/// Byte counts as people write them: `8GiB`, `512 MB`, `1e9`.
public enum ByteCount {
    /// Parses a size with an optional unit (B, kB/KB, MB, GB, TB; KiB, MiB, GiB, TiB; K, M, G, T
    /// are binary). `nil` when it is not a positive finite size.
    public static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { "0123456789.eE+-".contains($0) }
        guard let number = Double(digits), number > 0, number.isFinite else { return nil }
        let units: [String: Double] = [
            "": 1, "b": 1, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
            "k": 0x1p10, "m": 0x1p20, "g": 0x1p30, "t": 0x1p40,
            "kib": 0x1p10, "mib": 0x1p20, "gib": 0x1p30, "tib": 0x1p40,
        ]
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        guard let scale = units[unit] else { return nil }
        return number * scale
    }

    /// `1.5 GiB`, `320 MiB`, `12 KiB`, `900 B`; `> 1 EiB` past that.
    public static func describe(_ bytes: Double) -> String {
        guard bytes.isFinite, bytes < 0x1p60 else { return "more than 1 EiB" }
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = bytes, index = 0
        while value >= 1024, index < units.count - 1 { value /= 1024; index += 1 }
        return index == 0 ? "\(Int(value)) B" : String(format: "%.3g %@", value, units[index])
    }
}
