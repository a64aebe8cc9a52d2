import Foundation
import HarnessCore
import TestSupport
import XCTest
@testable import SinkhornExperiment

/// The suite as work units (docs/ARCHITECTURE.md, "Work units and shards"): units come from the
/// parameters alone, and assembling units run one by one, in any order and each in a fresh
/// context, gives what a whole run gives.
final class WorkUnitTests: XCTestCase {
    /// Three generated cases (random assignment with replicates), one size, two η, a short sweep.
    static func table(_ changes: [String: ManifestValue] = [:]) -> ParameterTable {
        ParameterTable(file: "suites/sinkhorn.toml", path: "presets.smoke", entries: changes.merging([
            "cases": .array([.string("random-assignment"), .string("point-clouds"), .string("densities-w1")]),
            "n": .array([.integer(9)]),
            "eta": .array([.integer(20), .float(60.5)]),
            "max_sinkhorn_iterations": .integer(20_000),
            "warmup_sinkhorn_steps": .integer(5),
            "target_error": .float(1e-9),
            "replicates": .integer(3),
            "sparsity_eta": .array([.integer(20), .integer(40)]),
            "sparsity_warmup_factors": .array([.integer(1), .integer(3)]),
        ]) { change, _ in change })
    }

    func testUnitsComeFromTheParametersAlone() throws {
        let parameters = try SinkhornConvergenceExperiment.decodeParameters(Self.table())
        let units = SinkhornConvergenceExperiment.workUnits(parameters)
        XCTAssertEqual(units, SinkhornConvergenceExperiment.workUnits(try SinkhornConvergenceExperiment.decodeParameters(Self.table())))
        // 3 cases × 1 size × 2 η comparisons, then one sparsity sweep per (case, n).
        XCTAssertEqual(units.map(\.id.rawValue), [
            "random-assignment/n=9/eta=20", "random-assignment/n=9/eta=60.5", "point-clouds/n=9/eta=20", "point-clouds/n=9/eta=60.5",
            "densities-w1/n=9/eta=20", "densities-w1/n=9/eta=60.5",
            "random-assignment/n=9/sparsity", "point-clouds/n=9/sparsity", "densities-w1/n=9/sparsity",
        ])
        XCTAssertEqual(Set(units.map(\.id)).count, units.count, "unit ids are unique")
        // Costs: larger η and replicates cost more; a larger n costs more per unit.
        let cost = Dictionary(uniqueKeysWithValues: units.map { ($0.id.rawValue, $0.cost) })
        XCTAssertGreaterThan(cost["point-clouds/n=9/eta=60.5"]!, cost["point-clouds/n=9/eta=20"]!)
        XCTAssertEqual(cost["random-assignment/n=9/eta=20"]!, 3 * cost["point-clouds/n=9/eta=20"]!, "three replicate instances")
        let largerUnits = SinkhornConvergenceExperiment.workUnits(try SinkhornConvergenceExperiment.decodeParameters(Self.table(["n": .array([.integer(18)])])))
        XCTAssertEqual(largerUnits.count, units.count)
        XCTAssertEqual(largerUnits[0].cost, 4 * units[0].cost, "cost grows with n²")
    }

    func testUnknownUnitIsRefused() throws {
        let parameters = try SinkhornConvergenceExperiment.decodeParameters(Self.table())
        XCTAssertThrowsError(try SinkhornConvergenceExperiment.runUnit("random-assignment/n=10/eta=20", parameters: parameters,
                                                                         context: RunContext(seed: 1))) { error in
            XCTAssertTrue(error is UnknownWorkUnit, "\(error)")
        }
    }

    func testRunEqualsUnitsRunInReverseOrderAndAssembled() throws {
        let parameters = try SinkhornConvergenceExperiment.decodeParameters(Self.table())
        let prepared = try RegisteredExperiment(SinkhornConvergenceExperiment.self).prepare(Self.table())
        XCTAssertEqual(prepared.units, SinkhornConvergenceExperiment.workUnits(parameters), "registered with its work units")
        let assembled = try WorkUnitReplay.assembledInReverse(prepared, seed: 11)
        let whole = try SinkhornConvergenceExperiment.run(parameters, context: RunContext(seed: 11))
        XCTAssertEqual(SinkhornConvergenceExperiment.plannedOutput(parameters).differences(from: assembled), [])

        XCTAssertEqual(Set(assembled.metrics.keys), Set(whole.metrics.keys))
        let (differences, compared) = WorkUnitReplay.nonTimingDifferences(assembled, whole)
        XCTAssertEqual(differences, [])
        XCTAssertEqual(compared, 3 * 2 * 13 + 2 * 3 + 3 * 6)
        XCTAssertEqual(assembled.notes, whole.notes)
        XCTAssertEqual(Set(assembled.tables.keys), ["convergence.csv", "iterations_vs_eta.csv", "sparsity.csv"])
        XCTAssertEqual(assembled.tables["iterations_vs_eta.csv"], whole.tables["iterations_vs_eta.csv"])
        XCTAssertEqual(assembled.tables["iterations_vs_eta.csv"]?.rows.count, 3 * 2 * 2)
        XCTAssertEqual(assembled.tables["sparsity.csv"], whole.tables["sparsity.csv"])
        XCTAssertEqual(assembled.tables["sparsity.csv"]?.rows.count, 3 * 4)
        // convergence.csv: every column but the wall-clock `seconds` is bit-identical, row for row.
        let a = try XCTUnwrap(assembled.tables["convergence.csv"]), b = try XCTUnwrap(whole.tables["convergence.csv"])
        XCTAssertEqual(a.columns, b.columns)
        XCTAssertEqual(a.rows.count, b.rows.count)
        XCTAssertGreaterThan(a.rows.count, 0)
        let seconds = try XCTUnwrap(a.columns.firstIndex(of: "seconds"))
        for (x, y) in zip(a.rows, b.rows) {
            XCTAssertEqual(bits(x, skipping: seconds), bits(y, skipping: seconds))
        }
    }

    /// Cells as comparable text, numbers by their bit pattern.
    private func bits(_ row: [CSVTable.Cell], skipping column: Int) -> [String] {
        row.enumerated().filter { $0.offset != column }.map { _, cell in
            switch cell {
            case .number(let value): "n\(value.bitPattern)"
            case .integer(let value): "i\(value)"
            case .text(let value): "t\(value)"
            }
        }
    }
}
