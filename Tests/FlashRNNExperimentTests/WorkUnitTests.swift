import Foundation
import HarnessCore
import TestSupport
import XCTest
@testable import FlashRNNExperiment

/// The suite as work units (docs/ARCHITECTURE.md, "Work units and shards"): units come from the
/// parameters alone, and assembling units run one by one, in any order and each in a fresh
/// context, gives what a whole run gives (timings aside, which only have to exist).
final class WorkUnitTests: XCTestCase {
    static func table(_ changes: [String: ManifestValue] = [:]) -> ParameterTable {
        ParameterTable(file: "suites/rnn.toml", path: "presets.smoke",
                       entries: ExperimentRunTests.tinyPreset.merging(changes) { _, change in change })
    }

    func testUnitsComeFromTheParametersAlone() throws {
        let parameters = try FlashRNNThroughputExperiment.decodeParameters(Self.table())
        let units = FlashRNNThroughputExperiment.workUnits(parameters)
        XCTAssertEqual(units, FlashRNNThroughputExperiment.workUnits(try FlashRNNThroughputExperiment.decodeParameters(Self.table())))
        // 2 cells × 2 check head dims, the probes, 2 sweep head dims × 2 batches.
        XCTAssertEqual(units.map(\.id.rawValue), [
            "agreement/lstm/D=8", "agreement/lstm/D=16", "agreement/slstm/D=8", "agreement/slstm/D=16", "machine-probes",
            "throughput/D=8/B=1", "throughput/D=8/B=2", "throughput/D=32/B=1", "throughput/D=32/B=2",
        ])
        XCTAssertEqual(Set(units.map(\.id)).count, units.count, "unit ids are unique")
        // Costs follow the work: a wider head (D² recurrent products) and more repetitions cost more.
        let cost = Dictionary(uniqueKeysWithValues: units.map { ($0.id.rawValue, $0.cost) })
        XCTAssertGreaterThan(cost["agreement/lstm/D=16"]!, cost["agreement/lstm/D=8"]!)
        XCTAssertGreaterThan(cost["throughput/D=32/B=1"]!, cost["throughput/D=8/B=1"]!)
        let more = FlashRNNThroughputExperiment.workUnits(try FlashRNNThroughputExperiment.decodeParameters(Self.table(["repetitions": .integer(6)])))
        XCTAssertEqual(more.map(\.id), units.map(\.id))
        XCTAssertEqual(more.last!.cost, 2 * units.last!.cost, "warmups 0: twice the repetitions, twice the cost")
        XCTAssertEqual(more.first!.cost, units.first!.cost)
    }

    func testUnknownUnitIsRefused() throws {
        let parameters = try FlashRNNThroughputExperiment.decodeParameters(Self.table())
        XCTAssertThrowsError(try FlashRNNThroughputExperiment.runUnit("throughput/D=16/B=1", parameters: parameters,
                                                                        context: RunContext(seed: 1))) { error in
            XCTAssertTrue(error is UnknownWorkUnit, "\(error)")
        }
    }

    func testRunEqualsUnitsRunInReverseOrderAndAssembled() throws {
        let parameters = try FlashRNNThroughputExperiment.decodeParameters(Self.table())
        let prepared = try RegisteredExperiment(FlashRNNThroughputExperiment.self).prepare(Self.table())
        XCTAssertEqual(prepared.units, FlashRNNThroughputExperiment.workUnits(parameters), "registered with its work units")
        let assembled = try WorkUnitReplay.assembledInReverse(prepared, seed: 9)
        let whole = try FlashRNNThroughputExperiment.run(parameters, context: RunContext(seed: 9))
        XCTAssertEqual(FlashRNNThroughputExperiment.plannedOutput(parameters).differences(from: assembled), [])

        XCTAssertEqual(Set(assembled.metrics.keys), Set(whole.metrics.keys))
        let (differences, compared) = WorkUnitReplay.nonTimingDifferences(assembled, whole)
        XCTAssertEqual(differences, [])
        // Per (cell, D): checksum, invariance, drawn error, 3 errors, output sum, and two sums per
        // state (LSTM: h, c; sLSTM: h, c, n, m); LSTM also has oneDNN's two errors (per head, dense).
        XCTAssertEqual(compared, 2 * (7 + 2 + 2 * 2) + 2 * (7 + 2 * 4))
        for (name, metric) in assembled.metrics where metric.metricClass == .timing {
            XCTAssertEqual(whole.metrics[name]?.metricClass, .timing, "\(name)")
            if !name.rawValue.hasSuffix("_in_cache") && !name.rawValue.hasSuffix("advantage_out_vs_in_cache") {
                XCTAssertTrue(metric.value.isFinite && metric.value > 0, "\(name) = \(metric.value)")
            }
        }
        XCTAssertEqual(Set(assembled.notes.keys), Set(whole.notes.keys))
        XCTAssertEqual(assembled.notes["agreement_threads"], whole.notes["agreement_threads"])
        // Tables: same rows in the same order; every column that is not a timing (or the limit's
        // side, which compares two measured rates) is identical.
        let shapeColumns = ["head_dim", "heads", "batch", "steps", "implementation", "r_bytes_per_head", "r_fits_l2"]
        for file in ["throughput.csv", "speedup_by_batch.csv"] {
            let a = try XCTUnwrap(assembled.tables[file]), b = try XCTUnwrap(whole.tables[file])
            XCTAssertEqual(a.columns, b.columns)
            // Per (D, B): vanilla, alternating, alternating-simd, fused, onednn, onednn-dense.
            XCTAssertEqual(a.rows.count, 2 * 2 * 6)
            XCTAssertEqual(a.rows.count, b.rows.count)
            let kept = shapeColumns.map { a.columns.firstIndex(of: $0)! }
            for (x, y) in zip(a.rows, b.rows) { XCTAssertEqual(kept.map { x[$0] }, kept.map { y[$0] }, file) }
        }
    }
}
