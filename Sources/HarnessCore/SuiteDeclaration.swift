/// One paper's claim, as declared in `suites/<id>.toml` (docs/ARCHITECTURE.md, "Suite declaration").
///
/// The declaration is reviewed data: thresholds, tolerances and the paper's own numbers live
/// here, beside the claim, never in Swift code.
public struct SuiteDeclaration: Sendable {
    public struct Paper: Sendable, Encodable {
        public var title: String
        public var authors: String
        public var venue: String
        public var url: String
        /// Where the claim stands in the paper ("Fig. 1, Table 1").
        public var locator: String
    }

    public var file: String
    public var id: SuiteID
    public var title: String
    public var experiment: ExperimentID
    public var seed: UInt64
    public var paper: Paper
    /// Each preset's entries, decoded later by the experiment named above (`preset(_:)`).
    public var presets: [PresetName: [String: ManifestValue]]
    /// Entries of the optional `[perf]` table, decoded by the experiment's benchmark (`perfTable()`).
    public var perfEntries: [String: ManifestValue]?
    public var claims: [ClaimDeclaration]
    public var golden: [GoldenTolerance]
    public var figures: [FigureDeclaration]

    /// Decodes strictly: every unknown key at any level is an error naming the key path.
    public init(table root: ParameterTable) throws {
        file = root.file
        id = SuiteID(try root.required("id", as: String.self))
        title = try root.required("title")
        experiment = ExperimentID(try root.required("experiment", as: String.self))
        let seedValue: Int = try root.required("seed")
        guard seedValue >= 0 else { throw root.error("seed", "must be a non-negative integer, got \(seedValue)") }
        seed = UInt64(seedValue)

        let paperTable = try root.table("paper")
        paper = Paper(
            title: try paperTable.required("title"), authors: try paperTable.required("authors"),
            venue: try paperTable.required("venue"), url: try paperTable.required("url"),
            locator: try paperTable.required("locator"))
        try paperTable.finish()

        let presetsTable = try root.table("presets")
        var presets: [PresetName: [String: ManifestValue]] = [:]
        for name in presetsTable.keys {
            presets[PresetName(name)] = try presetsTable.table(name).entries
        }
        for required in [PresetName.smoke, .default] where presets[required] == nil {
            throw root.error("presets.\(required)", "missing required preset", hint: "every suite declares `smoke` (CI) and `default` (make bench)")
        }
        self.presets = presets
        try presetsTable.finish()

        perfEntries = try root.optionalTable("perf")?.entries
        claims = try root.arrayOfTables("claims").map(ClaimDeclaration.init(table:))
        golden = try root.arrayOfTables("golden").map(GoldenTolerance.init(table:))
        figures = try root.arrayOfTables("figures").map(FigureDeclaration.init(table:))
        try root.finish()

        var seenClaims = Set<ClaimID>()
        for (index, claim) in claims.enumerated() where !seenClaims.insert(claim.id).inserted {
            throw root.error("claims[\(index)].id", "duplicate claim id `\(claim.id)`")
        }
        var seenFigures = Set<FigureID>()
        for (index, figure) in figures.enumerated() where !seenFigures.insert(figure.id).inserted {
            throw root.error("figures[\(index)].id", "duplicate figure id `\(figure.id)`")
        }
    }

    public var presetNames: [PresetName] { presets.keys.sorted() }

    /// A fresh reader over the preset's table, or an error listing the presets that exist.
    public func preset(_ name: PresetName) throws -> ParameterTable {
        guard let entries = presets[name] else {
            throw ManifestError(
                file: file, keyPath: "presets.\(name)", problem: "no such preset",
                hint: "this suite declares: \(presetNames.map(\.rawValue).joined(separator: ", "))")
        }
        return ParameterTable(file: file, path: "presets.\(name)", entries: entries)
    }

    /// A fresh reader over `[perf]` (empty when the suite declares none).
    public func perfTable() -> ParameterTable {
        ParameterTable(file: file, path: "perf", entries: perfEntries ?? [:])
    }

    /// The tolerance that governs `metric`: the first `[[golden]]` entry whose pattern matches.
    public func tolerance(for metric: MetricName) -> GoldenTolerance? {
        golden.first { $0.metric.matches(metric) }
    }
}

/// How far a metric may move from its golden value (`[[golden]]` in the declaration).
public struct GoldenTolerance: Sendable {
    public var metric: MetricPattern
    /// Allowed relative deviation |now − golden| / |golden|.
    public var relative: Double
    /// Allowed absolute deviation; a metric passes when within `absolute + relative·|golden|`.
    public var absolute: Double
    /// For stochastic metrics: allowed deviation in combined standard errors.
    public var sigmas: Double?

    init(table: ParameterTable) throws {
        metric = try table.required("metric")
        relative = try table.value("rel", default: 0)
        absolute = try table.value("abs", default: 0)
        sigmas = try table.optional("sigmas")
        try table.finish()
        for (key, value) in [("rel", relative), ("abs", absolute), ("sigmas", sigmas ?? 0)] where !(value >= 0) {
            throw table.error(key, "tolerance must be a non-negative number, got \(value)")
        }
    }
}

/// A figure: a committed gnuplot script rendering one of the run's CSV tables.
public struct FigureDeclaration: Sendable {
    public var id: FigureID
    /// Repository-relative path of the gnuplot script, `plots/<suite>/<figure>.gp`.
    public var script: String
    /// The CSV file, relative to the run directory.
    public var data: String

    init(table: ParameterTable) throws {
        id = FigureID(try table.required("id", as: String.self))
        script = try table.required("script")
        data = try table.required("data")
        guard script.hasSuffix(".gp") else { throw table.error("script", "expected a gnuplot script ending in .gp, got \"\(script)\"") }
        guard data.hasSuffix(".csv") else { throw table.error("data", "expected a CSV file name ending in .csv, got \"\(data)\"") }
        try table.finish()
    }
}
