import Foundation

/// An experiment type behind a uniform interface, so the CLI's registry can hold every
/// experiment in one list while each keeps its own typed parameters.
public struct RegisteredExperiment: Sendable {
    /// Parameters decoded and validated, ready to run.
    public struct Prepared: Sendable {
        public let parameters: JSONValue
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
            return Prepared(parameters: try JSONValue(encoding: parameters)) { context in
                try E.benchmark(parameters, limits: limits, context: context)
            }
        }
    }

    private static func runPreparer<E: Experiment>(_ type: E.Type) -> @Sendable (ParameterTable) throws -> Prepared {
        { table in
            let parameters = try E.decodeParameters(table)
            return Prepared(parameters: try JSONValue(encoding: parameters)) { context in
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

/// Runs one suite at one preset and assembles its run record, claims evaluated.
public enum SuiteRunner {
    public struct Outcome: Sendable {
        public var record: RunRecord
        public var tables: [String: CSVTable]
    }

    /// A declared figure whose CSV the experiment did not produce.
    public struct MissingFigureData: Error, CustomStringConvertible {
        public var file: String
        public var figure: FigureID
        public var data: String
        public var produced: [String]
        public var description: String {
            "\(file): figures (id = \"\(figure)\").data: the experiment wrote no table \"\(data)\""
                + " (it wrote: \(produced.joined(separator: ", "))); fix the declaration"
        }
    }

    public static func run(
        _ declaration: SuiteDeclaration, preset: PresetName, prepared: RegisteredExperiment.Prepared,
        context: RunContext, provenance: Provenance
    ) throws -> Outcome {
        let start = Stopwatch.now()
        let output = try prepared.run(context)
        for figure in declaration.figures where output.tables[figure.data] == nil {
            throw MissingFigureData(file: declaration.file, figure: figure.id, data: figure.data, produced: output.tables.keys.sorted())
        }
        let claims = try ClaimEvaluator.evaluate(declaration.claims, metrics: output.metrics, file: declaration.file)
        var provenance = provenance
        provenance.wallSeconds = Stopwatch.now() - start
        let record = RunRecord(
            suite: declaration.id, preset: preset, experiment: declaration.experiment, seed: context.seed,
            parameters: prepared.parameters, provenance: provenance, metrics: output.metrics, claims: claims,
            tables: output.tables.keys.sorted(), notes: output.notes)
        return Outcome(record: record, tables: output.tables)
    }
}
