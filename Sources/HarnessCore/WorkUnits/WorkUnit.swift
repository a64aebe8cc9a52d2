/// Work units: the independent cells an experiment's preset is made of (docs/ARCHITECTURE.md,
/// "Work units and shards").
///
/// A unit's numbers depend only on the parameters, the seed and its own id, never on which
/// process, shard or cache produced it: randomness is keyed by (seed, stream name) and every
/// stream a unit draws from is named after the unit's own cell.

/// The id of one work unit inside its suite's preset, e.g. `d=30/alpha=0.2` or
/// `mlp/sgd/B=64/seed=2`. Ids are unique within a preset and stable across code versions that
/// do not change the cell they name.
public struct WorkUnitID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// One unit of a preset: its id and a relative cost estimate (any unit; only ratios matter), used
/// by the cost-balanced shard strategy and by progress display.
public struct WorkUnit: Sendable, Equatable, Codable {
    public var id: WorkUnitID
    public var cost: Double

    public init(_ id: WorkUnitID, cost: Double = 1) {
        precondition(cost.isFinite && cost > 0, "work unit \(id): cost must be finite and positive")
        self.id = id
        self.cost = cost
    }
}

/// An experiment whose preset splits into independent work units, each run on its own and then
/// assembled into the experiment's output. `run` is provided: it runs every unit in order and
/// assembles them, through the same encoding that shards and the result cache use, so a sharded,
/// cached or whole run hands `assemble` bit-identical unit results.
public protocol ShardableExperiment: Experiment {
    /// What one unit produces. Encoded with `UnitResultCodec` (JSON, exact for every Double,
    /// NaN and infinities included) to move between processes and into the cache.
    associatedtype UnitResult: Codable & Sendable

    /// The preset's units in their canonical order (the order `assemble` receives them in).
    /// Computed from the parameters alone, cheaply; ids must be unique.
    static func workUnits(_ parameters: Parameters) -> [WorkUnit]

    /// Runs one unit. Must not depend on any other unit having run in this process.
    static func runUnit(_ unit: WorkUnitID, parameters: Parameters, context: RunContext) throws -> UnitResult

    /// Builds the experiment's metrics, tables and notes from every unit's result, given in
    /// `workUnits` order. Cheap and deterministic: no timing, no parallel reductions.
    static func assemble(_ results: [UnitResult], parameters: Parameters, context: RunContext) throws -> ExperimentOutput
}

extension ShardableExperiment {
    public static func run(_ parameters: Parameters, context: RunContext) throws -> ExperimentOutput {
        let units = workUnits(parameters)
        var results: [UnitResult] = []
        results.reserveCapacity(units.count)
        for (index, unit) in units.enumerated() {
            context.progress.update(done: index, total: units.count, detail: unit.id.rawValue)
            let encoded = try UnitResultCodec.encode(try runUnit(unit.id, parameters: parameters, context: context))
            results.append(try UnitResultCodec.decode(UnitResult.self, from: encoded, unit: unit.id))
        }
        context.progress.update(done: units.count, total: units.count, detail: "done")
        return try assemble(results, parameters: parameters, context: context)
    }
}

/// A unit id that `runUnit` does not know: a shard or cache from another version of the preset.
public struct UnknownWorkUnit: Error, CustomStringConvertible {
    public var unit: WorkUnitID
    public var experiment: ExperimentID
    public init(_ unit: WorkUnitID, experiment: ExperimentID) {
        self.unit = unit
        self.experiment = experiment
    }
    public var description: String { "\(experiment) has no work unit \(unit) at these parameters" }
}
