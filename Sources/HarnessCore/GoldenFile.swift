import Foundation

/// `results/golden/<suite>/<preset>.json`: the committed reference values of a suite's
/// non-timing metrics (docs/ARCHITECTURE.md, "Golden check"). Only `claimbench golden` writes one.
public struct GoldenFile: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public struct Entry: Codable, Sendable, Equatable {
        public var value: Double
        public var unit: String
        public var metricClass: MetricClass
        public var standardError: Double?

        enum CodingKeys: String, CodingKey {
            case value, unit, metricClass = "class", standardError = "standard_error"
        }
    }

    public var schemaVersion: Int
    public var suite: SuiteID
    public var preset: PresetName
    public var seed: UInt64
    /// The commit and machine the values were recorded on.
    public var recordedFrom: Provenance
    /// Why the values were (re)recorded, as given to `claimbench golden --reason`.
    public var reason: String
    public var metrics: [String: Entry]
    /// Each claim's verdict when the golden was recorded. `check` fails when a verdict changes,
    /// so a known finding (even "not reproduced") is a recorded fact, and a change is news.
    public var verdicts: [String: Verdict]
    /// The preset's resolved parameters the values were recorded with, so that `check` can say
    /// "the preset changed" instead of listing every metric as missing. Absent in goldens recorded
    /// before it existed; then nothing is compared.
    public var parameters: JSONValue?

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", suite, preset, seed, recordedFrom = "recorded_from", reason, metrics, verdicts,
             parameters
    }

    /// The golden values of a run: every metric except timings.
    public init(record: RunRecord, reason: String) {
        schemaVersion = Self.currentSchemaVersion
        suite = record.suite
        preset = record.preset
        seed = record.seed
        recordedFrom = record.provenance
        self.reason = reason
        parameters = record.parameters
        metrics = [:]
        verdicts = Dictionary(uniqueKeysWithValues: record.claims.map { ($0.id.rawValue, $0.verdict) })
        for (name, metric) in record.metrics where metric.metricClass != .timing {
            metrics[name.rawValue] = Entry(
                value: metric.value, unit: metric.unit, metricClass: metric.metricClass, standardError: metric.standardError)
        }
    }
}

/// Problems reading a golden file, each with what to do about it.
public enum GoldenFileError: Error, CustomStringConvertible {
    case missing(path: String, suite: SuiteID, preset: PresetName)
    case corrupt(path: String, reason: String, suite: SuiteID, preset: PresetName)

    public var description: String {
        switch self {
        case .missing(let path, let suite, let preset):
            return "\(path): golden file missing; record it with `claimbench golden \(suite) --preset \(preset) --reason \"first recording\"`"
                + " (or `make golden SUITE=\(suite) PRESET=\(preset)`) and commit it"
        case .corrupt(let path, let reason, let suite, let preset):
            return "\(path): golden file unreadable (\(reason)); restore it with `git checkout -- \(path)`"
                + " or re-record it with `claimbench golden \(suite) --preset \(preset) --reason \"…\"`"
        }
    }
}
