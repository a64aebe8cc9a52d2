import Foundation

/// `results/golden/<suite>/<preset>.json`: the committed reference values of a suite's
/// non-timing metrics (docs/ARCHITECTURE.md, "Golden check"). Only `claimbench golden` writes one.
///
/// Schema 2 adds the calibration: the preset was rerun under perturbations (BLAS cores, thread
/// counts), and each metric stores the class those runs showed, their spread, and so the
/// tolerance that follows from it (`GoldenCalibration`). A claim whose verdict differed between
/// the perturbed runs is recorded as fragile.
public struct GoldenFile: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 2

    public struct Entry: Codable, Sendable, Equatable {
        public var value: Double
        public var unit: String
        /// The class measured at calibration: `exact` when every perturbed run agreed bit for bit;
        /// otherwise the class the experiment declared.
        public var metricClass: MetricClass
        /// The class the experiment declared for the metric.
        public var declaredClass: MetricClass
        public var standardError: Double?
        /// The largest |value under a perturbation − value|; 0 for a metric that never moved.
        public var spread: Double

        public init(
            value: Double, unit: String, metricClass: MetricClass, declaredClass: MetricClass, standardError: Double?,
            spread: Double
        ) {
            self.value = value
            self.unit = unit
            self.metricClass = metricClass
            self.declaredClass = declaredClass
            self.standardError = standardError
            self.spread = spread
        }

        enum CodingKeys: String, CodingKey {
            case value, unit, metricClass = "class", declaredClass = "declared_class", standardError = "standard_error", spread
        }
    }

    /// One condition the preset was rerun under when the golden was recorded.
    public struct Perturbation: Codable, Sendable, Equatable, CustomStringConvertible {
        /// The OpenBLAS core (`OPENBLAS_CORETYPE`) the run used.
        public var blasCore: String
        public var threads: Int

        public init(blasCore: String, threads: Int) {
            self.blasCore = blasCore
            self.threads = threads
        }

        public var description: String { "\(blasCore) × \(threads) thread\(threads == 1 ? "" : "s")" }

        enum CodingKeys: String, CodingKey { case blasCore = "blas_core", threads }
    }

    /// How the tolerances were derived: the runs, and the rule.
    public struct Calibration: Codable, Sendable, Equatable {
        /// Every run that went into the golden, the recorded one first.
        public var runs: [Perturbation]
        /// k in tolerance = max(declared, k × spread).
        public var spreadMultiple: Double
        /// The rule in words, stored so that a reader of the file need not look it up.
        public var rule: String
        /// Wall seconds the perturbed reruns took (the cost of calibrating).
        public var seconds: Double

        public init(runs: [Perturbation], spreadMultiple: Double, seconds: Double) {
            self.runs = runs
            self.spreadMultiple = spreadMultiple
            self.seconds = seconds
            rule = "allowed deviation = max(declared [[golden]] tolerance, \(GoldenComparison.formatted(spreadMultiple)) × spread),"
                + " spread = largest deviation seen across the runs; a metric declared exact must not move at all"
        }

        enum CodingKeys: String, CodingKey { case runs, spreadMultiple = "spread_multiple", rule, seconds }
    }

    public var schemaVersion: Int
    public var suite: SuiteID
    public var preset: PresetName
    public var seed: UInt64
    /// The commit and machine the values were recorded on (with its platform fingerprint).
    public var recordedFrom: Provenance
    /// Why the values were (re)recorded, as given to `claimbench golden --reason`.
    public var reason: String
    public var metrics: [String: Entry]
    /// Each claim's verdict in the recorded run. `check` fails when a verdict changes, so a known
    /// finding (even "not reproduced") is a recorded fact, and a change is news.
    public var verdicts: [String: Verdict]
    /// Claims whose verdict differed between the calibration runs, with every verdict seen.
    public var fragile: [String: [Verdict]]
    /// The preset's resolved parameters the values were recorded with.
    public var parameters: JSONValue?
    public var calibration: Calibration

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", suite, preset, seed, recordedFrom = "recorded_from", reason, metrics, verdicts,
             fragile, parameters, calibration
    }

    /// A golden from one run alone, without perturbed reruns (`golden --perturb none`, tests):
    /// every metric keeps its declared class and a spread of 0.
    public init(record: RunRecord, reason: String) {
        let base = Perturbation(blasCore: record.provenance.blasCoreName ?? "unknown", threads: record.provenance.blasThreads)
        self.init(
            record: record, reason: reason, metrics: GoldenCalibration.measure(base: record, perturbed: []).entries, fragile: [:],
            calibration: Calibration(runs: [base], spreadMultiple: GoldenCalibration.defaultSpreadMultiple, seconds: 0))
    }

    public init(
        record: RunRecord, reason: String, metrics: [String: Entry], fragile: [String: [Verdict]], calibration: Calibration
    ) {
        schemaVersion = Self.currentSchemaVersion
        suite = record.suite
        preset = record.preset
        seed = record.seed
        recordedFrom = record.provenance
        self.reason = reason
        parameters = record.parameters
        self.metrics = metrics
        verdicts = Dictionary(uniqueKeysWithValues: record.claims.map { ($0.id.rawValue, $0.verdict) })
        self.fragile = fragile
        self.calibration = calibration
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
