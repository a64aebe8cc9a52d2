import Foundation

/// An experiment type behind a uniform interface, so the CLI's registry can hold every
/// experiment in one list while each keeps its own typed parameters.
public struct RegisteredExperiment: Sendable {
    /// Parameters decoded and validated, ready to run.
    public struct Prepared: Sendable {
        public let parameters: JSONValue
        /// What the run will report; empty for benchmarks.
        public let planned: PlannedOutput
        /// Peak working set; zero for benchmarks.
        public let memory: MemoryEstimate
        /// The preset's work units in canonical order; one unit `all` for an experiment that is
        /// not a `ShardableExperiment`, and for benchmarks.
        public let units: [WorkUnit]
        let runOne: @Sendable (WorkUnitID, RunContext) throws -> Data
        let assembleAll: @Sendable ([(WorkUnitID, Data)], RunContext) throws -> ExperimentOutput

        /// Runs one unit; its result encoded by `UnitResultCodec`.
        public func runUnit(_ unit: WorkUnitID, context: RunContext) throws -> Data {
            guard units.contains(where: { $0.id == unit }) else { throw UnknownWorkUnit(unit, experiment: experiment) }
            return try runOne(unit, context)
        }

        /// Assembles encoded unit results, which must cover `units` exactly, into the output.
        public func assemble(_ results: [WorkUnitID: Data], context: RunContext) throws -> ExperimentOutput {
            let missing = units.filter { results[$0.id] == nil }.map(\.id.rawValue)
            let extra = results.keys.filter { id in !units.contains { $0.id == id } }.map(\.rawValue).sorted()
            guard missing.isEmpty, extra.isEmpty else {
                throw UnitCoverageError(experiment: experiment, missing: missing, unexpected: extra)
            }
            return try assembleAll(units.map { ($0.id, results[$0.id]!) }, context)
        }

        /// Runs every unit in order and assembles them (a whole, unsharded, uncached run).
        public func run(_ context: RunContext) throws -> ExperimentOutput {
            var results: [WorkUnitID: Data] = [:]
            for (index, unit) in units.enumerated() {
                if units.count > 1 { context.progress.update(done: index, total: units.count, detail: unit.id.rawValue) }
                results[unit.id] = try runUnit(unit.id, context: context)
            }
            return try assemble(results, context: context)
        }

        let experiment: ExperimentID
    }

    public let id: ExperimentID
    public let hasBenchmark: Bool
    /// The Swift module that defines the experiment type, e.g. "SinkhornExperiment": whose code
    /// fingerprint (with the modules it imports) goes into the result cache's keys.
    public let module: String
    private let prepareRun: @Sendable (ParameterTable) throws -> Prepared
    private let prepareBenchmark: (@Sendable (ParameterTable, MachineLimits) throws -> Prepared)?

    public init<E: Experiment>(_ type: E.Type) {
        id = E.id
        module = Self.module(of: E.self)
        hasBenchmark = false
        prepareRun = Self.runPreparer(E.self)
        prepareBenchmark = nil
    }

    public init<E: ShardableExperiment>(_ type: E.Type) {
        id = E.id
        module = Self.module(of: E.self)
        hasBenchmark = false
        prepareRun = Self.unitPreparer(E.self)
        prepareBenchmark = nil
    }

    public init<E: PerformanceBenchmark>(_ type: E.Type) {
        id = E.id
        module = Self.module(of: E.self)
        hasBenchmark = true
        prepareRun = Self.runPreparer(E.self)
        prepareBenchmark = Self.benchmarkPreparer(E.self)
    }

    public init<E: PerformanceBenchmark & ShardableExperiment>(_ type: E.Type) {
        id = E.id
        module = Self.module(of: E.self)
        hasBenchmark = true
        prepareRun = Self.unitPreparer(E.self)
        prepareBenchmark = Self.benchmarkPreparer(E.self)
    }

    /// The module part of the type's fully qualified name.
    static func module(of type: Any.Type) -> String {
        String(String(reflecting: type).prefix { $0 != "." })
    }

    /// The unit of an experiment that does not split: the whole run.
    public static let wholeRun: WorkUnitID = "all"

    private static func benchmarkPreparer<E: PerformanceBenchmark>(_ type: E.Type) -> @Sendable (ParameterTable, MachineLimits) throws -> Prepared {
        { table, limits in
            let parameters = try E.decodePerfParameters(table)
            return Prepared(
                parameters: try JSONValue(encoding: parameters), planned: PlannedOutput(), memory: MemoryEstimate(bytes: 0, keys: []),
                units: [WorkUnit(wholeRun)],
                runOne: { _, context in try UnitResultCodec.encode(try E.benchmark(parameters, limits: limits, context: context)) },
                assembleAll: { results, _ in try UnitResultCodec.decode(ExperimentOutput.self, from: results[0].1, unit: wholeRun) },
                experiment: E.id)
        }
    }

    private static func runPreparer<E: Experiment>(_ type: E.Type) -> @Sendable (ParameterTable) throws -> Prepared {
        { table in
            let parameters = try E.decodeParameters(table)
            return Prepared(
                parameters: try JSONValue(encoding: parameters), planned: E.plannedOutput(parameters), memory: E.peakMemory(parameters),
                units: [WorkUnit(wholeRun)],
                runOne: { _, context in try UnitResultCodec.encode(try E.run(parameters, context: context)) },
                assembleAll: { results, _ in try UnitResultCodec.decode(ExperimentOutput.self, from: results[0].1, unit: wholeRun) },
                experiment: E.id)
        }
    }

    private static func unitPreparer<E: ShardableExperiment>(_ type: E.Type) -> @Sendable (ParameterTable) throws -> Prepared {
        { table in
            let parameters = try E.decodeParameters(table)
            let units = E.workUnits(parameters)
            let duplicates = Dictionary(grouping: units.map(\.id), by: { $0 }).filter { $0.value.count > 1 }.keys.map(\.rawValue).sorted()
            precondition(duplicates.isEmpty, "\(E.id): duplicate work unit ids \(duplicates)")
            return Prepared(
                parameters: try JSONValue(encoding: parameters), planned: E.plannedOutput(parameters), memory: E.peakMemory(parameters),
                units: units,
                runOne: { unit, context in try UnitResultCodec.encode(try E.runUnit(unit, parameters: parameters, context: context)) },
                assembleAll: { results, context in
                    let decoded = try results.map { try UnitResultCodec.decode(E.UnitResult.self, from: $0.1, unit: $0.0) }
                    return try E.assemble(decoded, parameters: parameters, context: context)
                },
                experiment: E.id)
        }
    }

    /// Decodes a preset strictly; throws `ManifestError` naming the bad key.
    public func prepare(_ table: ParameterTable) throws -> Prepared { try prepareRun(table) }

    /// Decodes `[perf]` strictly; `nil` when the experiment has no benchmark.
    public func prepareBenchmark(_ table: ParameterTable, limits: MachineLimits) throws -> Prepared? {
        try prepareBenchmark?(table, limits)
    }
}

/// Unit results that do not cover a preset's units exactly once.
public struct UnitCoverageError: Error, CustomStringConvertible {
    public var experiment: ExperimentID
    public var missing: [String]
    public var unexpected: [String]
    public var description: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing work units: " + missing.joined(separator: ", ")) }
        if !unexpected.isEmpty { parts.append("work units this preset does not have: " + unexpected.joined(separator: ", ")) }
        return "\(experiment): " + parts.joined(separator: "; ")
    }
}

/// Runs one planned suite and judges its claims, in two steps so that the caller can store the
/// record and tables before anything else can fail (docs/ARCHITECTURE.md, "Plan").
public enum SuiteRunner {
    public struct Outcome: Sendable {
        public var record: RunRecord
        public var tables: [String: CSVTable]
    }

    /// A run whose output is not what its plan said: the experiment's `plannedOutput` is wrong.
    public struct PlanDrift: Error, CustomStringConvertible {
        public var suite: SuiteID
        public var experiment: ExperimentID
        public var differences: [String]
        public var description: String {
            "\(suite): the run's output differs from its plan (\(differences.joined(separator: "; "))); the run is stored,"
                + " but fix plannedOutput of \(experiment) before trusting its verdicts"
        }
    }

    /// Runs the experiment and assembles the record, claims not yet evaluated.
    public static func run(_ plan: SuitePlan, context: RunContext, provenance: Provenance) throws -> Outcome {
        let start = Stopwatch.now()
        var results: [WorkUnitID: Data] = [:]
        for unit in plan.prepared.units { results[unit.id] = try plan.prepared.runUnit(unit.id, context: context) }
        var provenance = provenance
        provenance.wallSeconds = Stopwatch.now() - start
        return try assemble(plan, results: results, context: context, provenance: provenance)
    }

    /// Assembles the record from every unit's encoded result (run here, read from shards or from
    /// the result cache), claims not yet evaluated. `provenance.wallSeconds` is the caller's.
    public static func assemble(
        _ plan: SuitePlan, results: [WorkUnitID: Data], context: RunContext, provenance: Provenance
    ) throws -> Outcome {
        let output = try plan.prepared.assemble(results, context: context)
        var record = RunRecord(
            suite: plan.declaration.id, preset: plan.preset, experiment: plan.declaration.experiment, seed: context.seed,
            parameters: plan.prepared.parameters, provenance: provenance, metrics: output.metrics, claims: [],
            tables: output.tables.keys.sorted(), notes: output.notes)
        record.overrides = plan.overrides
        let drift = plan.prepared.planned.differences(from: output)
        if !drift.isEmpty { record.notes["plan_drift"] = drift.joined(separator: "; ") }
        return Outcome(record: record, tables: output.tables)
    }

    /// Evaluates the declared claims on a stored record; throws `PlanDrift` first when the run
    /// reported other metrics than planned.
    public static func judge(_ record: inout RunRecord, plan: SuitePlan) throws {
        if let drift = record.notes["plan_drift"] {
            throw PlanDrift(suite: plan.declaration.id, experiment: plan.declaration.experiment, differences: [drift])
        }
        record.claims = try ClaimEvaluator.evaluate(plan.declaration.claims, metrics: record.metrics, file: plan.declaration.file)
    }
}
