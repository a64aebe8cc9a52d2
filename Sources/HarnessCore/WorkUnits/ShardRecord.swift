/// The `shard` section of a partial run's run.json (docs/ARCHITECTURE.md, "Work units and
/// shards"): which shard of the preset the run was, and the work units it holds. A record with
/// this section is partial: it has no metrics or verdicts of its own, and only `claimbench merge`
/// turns a full set of them into a run that can be judged.
public struct ShardRecord: Codable, Sendable, Equatable {
    /// 1-based.
    public var index: Int
    public var count: Int
    public var strategy: ShardSpec.Strategy
    /// The units this shard ran, in the preset's canonical order (possibly none).
    public var units: [WorkUnitID]
    /// How many units the whole preset has.
    public var totalUnits: Int

    public init(_ spec: ShardSpec, units: [WorkUnitID], totalUnits: Int) {
        index = spec.index
        count = spec.count
        strategy = spec.strategy
        self.units = units
        self.totalUnits = totalUnits
    }

    enum CodingKeys: String, CodingKey {
        case index, count, strategy, units, totalUnits = "total_units"
    }

    /// `1/4`.
    public var label: String { "\(index)/\(count)" }
}
