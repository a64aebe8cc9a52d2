import Foundation

/// `results/runs/<run-id>/run.json`, schema version 1 (docs/ARCHITECTURE.md, "Run record").
public struct RunRecord: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var suite: SuiteID
    public var preset: PresetName
    public var experiment: ExperimentID
    public var seed: UInt64
    /// The experiment's typed parameters after decoding (defaults applied).
    public var parameters: JSONValue
    public var provenance: Provenance
    public var metrics: [MetricName: Metric]
    public var claims: [ClaimResult]
    /// CSV files next to run.json, by name.
    public var tables: [String]
    public var notes: [String: String]
    /// Preset keys replaced on the command line (`--set key=value`), as written there. A run with
    /// overrides is never canonical: no golden is recorded from it and `latest` passes it over.
    public var overrides: [String: String] = [:]
    /// Set on a partial run (`run --shard i/n`): which units it holds. Absent in full runs and in
    /// records written before shards existed.
    public var shard: ShardRecord?

    public init(
        suite: SuiteID, preset: PresetName, experiment: ExperimentID, seed: UInt64, parameters: JSONValue,
        provenance: Provenance, metrics: [MetricName: Metric], claims: [ClaimResult], tables: [String], notes: [String: String]
    ) {
        schemaVersion = Self.currentSchemaVersion
        self.suite = suite
        self.preset = preset
        self.experiment = experiment
        self.seed = seed
        self.parameters = parameters
        self.provenance = provenance
        self.metrics = metrics
        self.claims = claims
        self.tables = tables
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", suite, preset, experiment, seed, parameters, provenance, metrics, claims, tables, notes
        case overrides, shard
    }

    // Dictionaries keyed by a typed ID would encode as arrays; store them as JSON objects.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        guard schemaVersion == Self.currentSchemaVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .schemaVersion, in: c,
                debugDescription: "schema_version \(schemaVersion) is not supported (this claimbench reads \(Self.currentSchemaVersion))")
        }
        suite = try c.decode(SuiteID.self, forKey: .suite)
        preset = try c.decode(PresetName.self, forKey: .preset)
        experiment = try c.decode(ExperimentID.self, forKey: .experiment)
        seed = try c.decode(UInt64.self, forKey: .seed)
        parameters = try c.decode(JSONValue.self, forKey: .parameters)
        provenance = try c.decode(Provenance.self, forKey: .provenance)
        metrics = Dictionary(uniqueKeysWithValues: try c.decode([String: Metric].self, forKey: .metrics).map { (MetricName($0.key), $0.value) })
        claims = try c.decode([ClaimResult].self, forKey: .claims)
        tables = try c.decode([String].self, forKey: .tables)
        notes = try c.decode([String: String].self, forKey: .notes)
        // Records written before overrides existed had none.
        overrides = try c.decodeIfPresent([String: String].self, forKey: .overrides) ?? [:]
        shard = try c.decodeIfPresent(ShardRecord.self, forKey: .shard)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(suite, forKey: .suite)
        try c.encode(preset, forKey: .preset)
        try c.encode(experiment, forKey: .experiment)
        try c.encode(seed, forKey: .seed)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(provenance, forKey: .provenance)
        try c.encode(Dictionary(uniqueKeysWithValues: metrics.map { ($0.key.rawValue, $0.value) }), forKey: .metrics)
        try c.encode(claims, forKey: .claims)
        try c.encode(tables, forKey: .tables)
        try c.encode(notes, forKey: .notes)
        try c.encode(overrides, forKey: .overrides)
        try c.encodeIfPresent(shard, forKey: .shard)
    }

    /// Why this run is not the canonical run of its suite at `preset` (declared seed, no
    /// overrides, that preset); `nil` when it is.
    public func nonCanonicalReason(declaredSeed: UInt64, preset wanted: PresetName?) -> String? {
        if let partialReason { return partialReason }
        if let wanted, preset != wanted { return "preset \(preset), not \(wanted)" }
        if seed != declaredSeed { return "seed \(seed), not the declared \(declaredSeed)" }
        if !overrides.isEmpty {
            return "overrides " + overrides.keys.sorted().map { "\($0)=\(overrides[$0]!)" }.joined(separator: ", ")
        }
        return nil
    }

    /// A partial run holds some work units and nothing judged: merge it first.
    public var isPartial: Bool { shard != nil }

    /// Why a partial run cannot be used as a run (`nil` for a full one), saying what to do.
    public var partialReason: String? {
        guard let shard else { return nil }
        return "a partial run (shard \(shard.label), \(shard.units.count) of \(shard.totalUnits) work units);"
            + " merge all \(shard.count) shards with `claimbench merge <run-dir>…` and use the merged run"
    }

    /// The worst claim verdict, `nil` when the suite declares no claims.
    public var overallVerdict: Verdict? { claims.map(\.verdict).max() }
}
