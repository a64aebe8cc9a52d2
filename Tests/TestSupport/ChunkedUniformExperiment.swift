import Foundation
import HarnessCore

/// `UniformMeanExperiment` split into work units, for shard and merge tests: `chunks` units
/// `chunk=<k>`, each drawing `n` uniforms from its own stream `test/uniforms/chunk=<k>` (so its
/// numbers do not depend on which shard ran it). Chunk k costs k + 1, so cost-balanced and
/// round-robin shards differ. `assemble` reports the overall mean (numeric), the count and a
/// checksum of every drawn bit pattern (exact), one mean per chunk (numeric), and a table.
public enum ChunkedUniformExperiment: ShardableExperiment {
    public struct Parameters: Encodable, Sendable {
        public var n: Int
        public var chunks: Int
    }

    public struct UnitResult: Codable, Sendable {
        public var values: [Double]
    }

    public static let id: ExperimentID = "test.uniform-chunks"

    public static func decodeParameters(_ table: ParameterTable) throws -> Parameters {
        let n: Int = try table.required("n")
        guard n >= 1 else { throw table.error("n", "must be at least 1, got \(n)") }
        let chunks: Int = try table.value("chunks", default: 5)
        guard (1...64).contains(chunks) else { throw table.error("chunks", "must be in 1…64, got \(chunks)") }
        try table.finish()
        return Parameters(n: n, chunks: chunks)
    }

    public static func plannedOutput(_ parameters: Parameters) -> PlannedOutput {
        var planned = PlannedOutput(tables: ["values.csv"])
        planned.add("mean", .numeric)
        planned.add("count", .exact)
        planned.add("checksum", .exact)
        for chunk in 0..<parameters.chunks { planned.add("chunk_mean/chunk=\(chunk)", .numeric) }
        return planned
    }

    public static func peakMemory(_ parameters: Parameters) -> MemoryEstimate {
        MemoryEstimate(bytes: 64 * Double(parameters.n * parameters.chunks), keys: ["n", "chunks"])
    }

    public static func workUnits(_ parameters: Parameters) -> [WorkUnit] {
        (0..<parameters.chunks).map { WorkUnit(WorkUnitID("chunk=\($0)"), cost: Double($0 + 1)) }
    }

    public static func runUnit(_ unit: WorkUnitID, parameters: Parameters, context: RunContext) throws -> UnitResult {
        guard workUnits(parameters).contains(where: { $0.id == unit }) else { throw UnknownWorkUnit(unit, experiment: id) }
        return UnitResult(values: context.streams.stream("test/uniforms/\(unit)").uniforms(parameters.n))
    }

    public static func assemble(_ results: [UnitResult], parameters: Parameters, context: RunContext) throws -> ExperimentOutput {
        var table = CSVTable(columns: ["chunk", "index", "value"])
        var metrics: [MetricName: Metric] = [:]
        var checksum: UInt64 = 0
        var total = 0.0
        for (chunk, result) in results.enumerated() {
            for (index, value) in result.values.enumerated() {
                table.append([.integer(chunk), .integer(index), .number(value)])
                checksum = checksum &* 31 &+ value.bitPattern
                total += value
            }
            metrics[MetricName("chunk_mean/chunk=\(chunk)")] = .numeric(result.values.reduce(0, +) / Double(result.values.count))
        }
        let count = parameters.n * parameters.chunks
        metrics["mean"] = .numeric(total / Double(count))
        metrics["count"] = .exact(count)
        metrics["checksum"] = .exact(Double(checksum % (1 << 53)))
        return ExperimentOutput(metrics: metrics, tables: ["values.csv": table], notes: ["chunks": "\(parameters.chunks)"])
    }
}

/// A suite declaration for `ChunkedUniformExperiment`, with a claim on the mean.
public func chunkedUniformDeclaration(id: String = "chunks") -> String {
    """
    id = "\(id)"
    title = "The mean of uniforms drawn in chunks is about one half"
    experiment = "test.uniform-chunks"
    seed = 11

    [paper]
    title = "A test paper"
    authors = "Nobody"
    venue = "Tests 2026"
    url = "https://example.org"
    locator = "Eq. 1"

    [presets.smoke]
    n = 50
    chunks = 5

    [presets.default]
    n = 500
    chunks = 8

    [[claims]]
    id = "mean-half"
    statement = "the sample mean is at least 0.3"
    metric = "mean"
    at_least = 0.3
    paper_value = "1/2"
    source = { kind = "ours", where = "the fixture's own law" }

    [[golden]]
    metric = "*mean*"
    rel = 1e-12

    [[figures]]
    id = "values"
    script = "plots/\(id)/values.gp"
    data = "values.csv"
    """
}
