/// The contract between the harness and one paper's experiment.
///
/// An experiment is pure computation: it decodes its typed parameters from a preset table,
/// runs, and returns values (metrics and tidy tables). It never opens files, never prints,
/// and draws all randomness from `context.streams` (docs/ARCHITECTURE.md, "Randomness").
public protocol Experiment: Sendable {
    associatedtype Parameters: Encodable & Sendable

    /// The `experiment = "…"` value that selects this type in `suites/<id>.toml`.
    static var id: ExperimentID { get }

    /// Decodes `[presets.<name>]` strictly: read every key, then call `table.finish()`.
    /// Invalid values throw a `ManifestError` naming the key.
    static func decodeParameters(_ table: ParameterTable) throws -> Parameters

    /// Every metric (name, unit, class) and table a run of `parameters` reports, computed from the
    /// parameters alone, without allocating the experiment's data. A unit test per experiment
    /// checks it against a real run, so the plan and the code cannot drift apart.
    static func plannedOutput(_ parameters: Parameters) -> PlannedOutput

    /// An upper estimate of the run's peak working set, and the preset keys that drive it.
    static func peakMemory(_ parameters: Parameters) -> MemoryEstimate

    /// Runs the experiment. Findings are values; only failures throw.
    static func run(_ parameters: Parameters, context: RunContext) throws -> ExperimentOutput
}

/// Everything an experiment may use from the outside world.
public struct RunContext: Sendable {
    public var seed: UInt64
    /// Worker threads (and BLAS threads) the run may use.
    public var threads: Int
    public var progress: ProgressReporter
    /// Set by `claimbench perf --peers` only: where a benchmark writes the inputs it timed for the
    /// peer scripts (`PeerWorkload`). Benchmarks export nothing when it is nil.
    public var peerExport: PeerExport?

    public init(seed: UInt64, threads: Int = 1, progress: ProgressReporter = .silent) {
        self.seed = seed
        self.threads = threads
        self.progress = progress
    }

    /// The run's random streams, keyed by this run's seed.
    public var streams: RandomStreams { RandomStreams(seed: seed) }
}

/// What an experiment returns.
public struct ExperimentOutput: Sendable, Codable, Equatable {
    /// Every measured value, by name. Claims and golden checks refer to these names.
    public var metrics: [MetricName: Metric]
    /// Tidy tables behind the figures, by file name (`convergence.csv`).
    public var tables: [String: CSVTable]
    /// Extra provenance the experiment chose (e.g. a tiling decision), as key/value text.
    public var notes: [String: String]

    public init(metrics: [MetricName: Metric] = [:], tables: [String: CSVTable] = [:], notes: [String: String] = [:]) {
        self.metrics = metrics
        self.tables = tables
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey { case metrics, tables, notes }

    // Metric names as JSON object keys, like run.json.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metrics = Dictionary(uniqueKeysWithValues: try c.decode([String: Metric].self, forKey: .metrics).map { (MetricName($0.key), $0.value) })
        tables = try c.decode([String: CSVTable].self, forKey: .tables)
        notes = try c.decode([String: String].self, forKey: .notes)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Dictionary(uniqueKeysWithValues: metrics.map { ($0.key.rawValue, $0.value) }), forKey: .metrics)
        try c.encode(tables, forKey: .tables)
        try c.encode(notes, forKey: .notes)
    }
}

/// Progress of a long run. The CLI supplies a terminal or CI-log implementation.
public struct ProgressReporter: Sendable {
    private let report: @Sendable (_ done: Int, _ total: Int, _ detail: String) -> Void

    public init(_ report: @escaping @Sendable (_ done: Int, _ total: Int, _ detail: String) -> Void) {
        self.report = report
    }

    /// `done` of `total` work units finished; `detail` names the one just finished or started.
    public func update(done: Int, total: Int, detail: String) { report(done, total, detail) }

    public static let silent = ProgressReporter { _, _, _ in }
}
