import Foundation
import HarnessCore
import TestSupport
import XCTest
@testable import KernelDensityExperiment

/// The suite's work units (docs/ARCHITECTURE.md, "Work units and shards"): one per runnable
/// (d, α) cell, each independent of the others, assembling to what a whole run reports.
final class WorkUnitTests: XCTestCase {
    private typealias KDE = KernelDensityRegimesExperiment

    /// The committed smoke grid of bandwidths on small cells: d = 6 (n = 6, 15), d = 10 (n = 20,
    /// 90) run, d = 40 (n = e^12, e^18) exceeds max_points.
    private func reducedSmoke() throws -> ParameterTable {
        try committedPreset("kde", changes: [
            "dimensions": .array([.integer(6), .integer(10), .integer(40)]), "alphas": .array([.float(0.3), .float(0.45)]),
            "queries": .integer(4), "replicates": .integer(4), "max_points": .integer(100), "min_points_for_share_claims": .integer(50),
        ])
    }

    func testUnitsRunInReverseInFreshContextsAssembleToTheWholeRun() throws {
        let parameters = try KDE.decodeParameters(try reducedSmoke())
        let whole = try KDE.run(parameters, context: RunContext(seed: 3))
        let units = KDE.workUnits(parameters)
        var results: [WorkUnitID: KDE.UnitResult] = [:]
        for unit in units.reversed() {
            // As another process would hand it over: encoded, then decoded.
            let encoded = try UnitResultCodec.encode(try KDE.runUnit(unit.id, parameters: parameters, context: RunContext(seed: 3)))
            results[unit.id] = try UnitResultCodec.decode(KDE.UnitResult.self, from: encoded, unit: unit.id)
        }
        let assembled = try KDE.assemble(units.map { results[$0.id]! }, parameters: parameters, context: RunContext(seed: 3))
        XCTAssertEqual(try UnitResultCodec.encode(assembled), try UnitResultCodec.encode(whole))
        XCTAssertEqual(KDE.plannedOutput(parameters).differences(from: assembled), [])
        XCTAssertEqual(assembled.notes["skipped_cells"], "d=40/alpha=0.3 (n=162755), d=40/alpha=0.45 (n=6.57e+07) exceed max_points = 100")
        // The d = 10, alpha = 0.45 cell (n = 90 ≥ 50) is offered to the share claims; the others are not.
        let judged = assembled.metrics.keys.map(\.rawValue).filter { $0.hasPrefix("share-claims/") }
        XCTAssertEqual(judged.count, 1 + parameters.bandwidthRatios.count)
        XCTAssertTrue(judged.allSatisfy { $0.hasPrefix("share-claims/d=10/alpha=0.45/") }, "\(judged)")
    }

    func testUnitsAreTheRunnableCellsWithUniqueIdsAndTheRegistryUsesThem() throws {
        let parameters = try KDE.decodeParameters(try reducedSmoke())
        let ids = KDE.workUnits(parameters).map(\.id.rawValue)
        XCTAssertEqual(ids, ["d=6/alpha=0.3", "d=6/alpha=0.45", "d=10/alpha=0.3", "d=10/alpha=0.45"])
        XCTAssertEqual(Set(ids).count, ids.count)
        let prepared = try RegisteredExperiment(KDE.self).prepare(try reducedSmoke())
        XCTAssertEqual(prepared.units, KDE.workUnits(parameters))
        XCTAssertThrowsError(try KDE.runUnit("d=40/alpha=0.3", parameters: parameters, context: RunContext(seed: 3))) { error in
            XCTAssertTrue(error is UnknownWorkUnit, "\(error)")
        }
    }

    /// The full preset (hours to run) is split from its parameters alone: one unit per cell with
    /// e^{αd} ≤ max_points, costs in proportion to n at fixed d.
    func testFullPresetUnitsFollowFromTheParameters() throws {
        let parameters = try KDE.decodeParameters(try committedPreset("kde", "full"))
        let units = KDE.workUnits(parameters)
        let expected = parameters.dimensions.flatMap { d in
            parameters.alphas.filter { exp($0 * Double(d)).rounded() <= Double(parameters.maxPoints) }.map { "d=\(d)/alpha=\(KDE.format($0))" }
        }
        XCTAssertEqual(units.map(\.id.rawValue), expected)
        XCTAssertEqual(units.count, 4 * 5 - 3)  // d = 30 at alpha = 0.6 and d = 40 at 0.5, 0.6 exceed 10^7 points
        let cost = Dictionary(uniqueKeysWithValues: units.map { ($0.id.rawValue, $0.cost) })
        let ratio = try XCTUnwrap(cost["d=20/alpha=0.6"]) / XCTUnwrap(cost["d=20/alpha=0.2"])
        XCTAssertEqual(ratio, exp(12).rounded() / exp(4).rounded(), accuracy: 1e-9 * ratio)
        XCTAssertEqual(units.max { $0.cost < $1.cost }?.id.rawValue, "d=40/alpha=0.4")
    }
}
