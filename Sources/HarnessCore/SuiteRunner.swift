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
        let body: @Sendable (RunContext) throws -> ExperimentOutput

        public func run(_ context: RunContext) throws -> ExperimentOutput { try body(context) }
    }

    public let id: ExperimentID
    public let hasBenchmark: Bool
    private let prepareRun: @Sendable (ParameterTable) throws -> Prepared
    private let prepareBenchmark: (@Sendable (ParameterTable, MachineLimits) throws -> Prepared)?

    public init<E: Experiment>(_ type: E.Type) {
        id = E.id
        hasBenchmark = false
        prepareRun = Self.runPreparer(E.self)
        prepareBenchmark = nil
    }

    public init<E: PerformanceBenchmark>(_ type: E.Type) {
        id = E.id
        hasBenchmark = true
        prepareRun = Self.runPreparer(E.self)
        prepareBenchmark = { table, limits in
            let parameters = try E.decodePerfParameters(table)
            return Prepared(
                parameters: try JSONValue(encoding: parameters), planned: PlannedOutput(), memory: MemoryEstimate(bytes: 0, keys: [])
            ) { context in
                try E.benchmark(parameters, limits: limits, context: context)
            }
        }
    }

    private static func runPreparer<E: Experiment>(_ type: E.Type) -> @Sendable (ParameterTable) throws -> Prepared {
        { table in
            let parameters = try E.decodeParameters(table)
            return Prepared(
                parameters: try JSONValue(encoding: parameters), planned: E.plannedOutput(parameters), memory: E.peakMemory(parameters)
            ) { context in
                try E.run(parameters, context: context)
            }
        }
    }

    /// Decodes a preset strictly; throws `ManifestError` naming the bad key.
    public func prepare(_ table: ParameterTable) throws -> Prepared { try prepareRun(table) }

    /// Decodes `[perf]` strictly; `nil` when the experiment has no benchmark.
    public func prepareBenchmark(_ table: ParameterTable, limits: MachineLimits) throws -> Prepared? {
        try prepareBenchmark?(table, limits)
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
        let output = try plan.prepared.run(context)
        var provenance = provenance
        provenance.wallSeconds = Stopwatch.now() - start
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
