import Foundation
import HarnessCore
import LinearAlgebra

/// The `kde` suite as work units (docs/ARCHITECTURE.md, "Work units and shards"): one unit per
/// runnable (d, α) cell, id `d=<d>/alpha=<α>`, in `runnableCells` order. Cells with
/// n = e^{αd} above max_points have no unit; `assemble` lists them in the `skipped_cells` note.
///
/// A cell draws only from streams named after it: its queries from `kde/queries/d=<d>` and
/// replicate r's sample from `kde/data/d=<d>/alpha=<α>` (replicate r), so its numbers do not
/// depend on which cells ran before it, nor on the shard or process that ran it.
extension KernelDensityRegimesExperiment: ShardableExperiment {
    /// One cell's replicate summaries (over all replicates and leaving out each in turn): every
    /// metric and table row of the cell is read off them in `assemble`.
    public struct UnitResult: Codable, Sendable {
        let cell: RegimeCell
    }

    static func unitID(dimension d: Int, alpha: Double) -> WorkUnitID {
        WorkUnitID(rawValue: "d=\(d)/alpha=\(format(alpha))")
    }

    /// One unit per runnable cell. Cost: per replicate, n points of d normals, their n × q × d
    /// cross terms with the queries (dgemm) and n × q × (bandwidths) kernel-sum updates.
    public static func workUnits(_ p: Parameters) -> [WorkUnit] {
        runnableCells(p).map { d, alpha in
            let n = max(1, SampleSize.points(alpha: alpha, dimension: d))
            let perPoint = Double(d) + Double(p.queries) * Double(d + p.bandwidthRatios.count)
            return WorkUnit(unitID(dimension: d, alpha: alpha), cost: Double(p.replicates) * n * perPoint)
        }
    }

    public static func runUnit(_ unit: WorkUnitID, parameters p: Parameters, context: RunContext) throws -> UnitResult {
        guard let (d, alpha) = runnableCells(p).first(where: { unitID(dimension: $0.0, alpha: $0.1) == unit }) else {
            throw UnknownWorkUnit(unit, experiment: id)
        }
        let queries = Matrix(rows: p.queries, columns: d, elements: context.streams.stream("kde/queries/d=\(d)").normals(p.queries * d))
        let cell = try RegimeCell(
            dimension: d, alpha: alpha, ratios: p.bandwidthRatios, queries: queries, replicates: p.replicates,
            hillTerms: p.hillTerms, maxPoints: p.maxPoints, streams: context.streams, threads: context.threads)
        return UnitResult(cell: cell)
    }

    /// Metrics per cell (`RegimeMetrics`), the tables over all cells in unit order
    /// (`RegimeTables`) and the notes, skipped cells included.
    public static func assemble(_ results: [UnitResult], parameters p: Parameters, context: RunContext) throws -> ExperimentOutput {
        var output = ExperimentOutput()
        let cells = results.map(\.cell)
        for cell in cells {
            for (name, metric) in RegimeMetrics.metrics(cell, minPointsForShareClaims: p.minPointsForShareClaims) {
                output.metrics[MetricName(name)] = metric
            }
        }
        output.tables = RegimeTables.tables(cells, alphas: p.alphas)
        output.notes["replicates"] = "\(p.replicates)"
        output.notes["estimator"] = "Gaussian kernel; blocked dgemm cross terms; log-sum-exp relative to the nearest point"
        let skipped = p.dimensions.flatMap { d in p.alphas.map { (d, $0) } }
            .filter { SampleSize.points(alpha: $0.1, dimension: $0.0) > Double(p.maxPoints) }
        if !skipped.isEmpty {
            output.notes["skipped_cells"] = skipped.map { "d=\($0.0)/alpha=\(format($0.1)) (n=\(SampleSize.describe(SampleSize.points(alpha: $0.1, dimension: $0.0))))" }
                .joined(separator: ", ") + " exceed max_points = \(p.maxPoints)"
        }
        return output
    }
}
