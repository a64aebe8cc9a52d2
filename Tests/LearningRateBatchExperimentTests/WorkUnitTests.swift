import Foundation
import HarnessCore
import TestSupport
import XCTest
@testable import LearningRateBatchExperiment

/// The suite's work units (docs/ARCHITECTURE.md, "Work units and shards"): per model the
/// full-data Hessian, the batch Hessians per B and one learning-rate scan per (optimiser, B,
/// seed), each independent of the others, assembling to what a whole run reports.
final class WorkUnitTests: XCTestCase {
    private typealias LR = LearningRateBatchExperiment

    /// The committed smoke preset's models, optimisers and batch sizes on a small data set.
    private func reducedSmoke() throws -> ParameterTable {
        try committedPreset("lr-batch", changes: [
            "samples": .integer(1024), "input_dimension": .integer(4), "hidden_units": .integer(3), "logistic_input_dimension": .integer(5),
            "seeds": .integer(2), "training_steps": .integer(6), "refinement_steps": .integer(1), "hessian_batches": .integer(2),
            "lanczos_steps": .integer(4), "variance_samples": .integer(2),
        ])
    }

    func testUnitsRunInReverseInFreshContextsAssembleToTheWholeRun() throws {
        let parameters = try LR.decodeParameters(try reducedSmoke())
        let whole = try LR.run(parameters, context: RunContext(seed: 3))
        let units = LR.workUnits(parameters)
        var results: [WorkUnitID: LR.UnitResult] = [:]
        for unit in units.reversed() {
            // As another process would hand it over: encoded, then decoded.
            let encoded = try UnitResultCodec.encode(try LR.runUnit(unit.id, parameters: parameters, context: RunContext(seed: 3)))
            results[unit.id] = try UnitResultCodec.decode(LR.UnitResult.self, from: encoded, unit: unit.id)
        }
        let assembled = try LR.assemble(units.map { results[$0.id]! }, parameters: parameters, context: RunContext(seed: 3))
        XCTAssertEqual(try UnitResultCodec.encode(assembled), try UnitResultCodec.encode(whole))
        XCTAssertEqual(LR.plannedOutput(parameters).differences(from: assembled), [])
        // One scan row per (model, optimiser, seed, B).
        XCTAssertEqual(assembled.tables["lr_max_by_seed.csv"]?.rows.count, 2 * 2 * 2 * 5)
    }

    func testUnitIdsAreUniqueAndTheRegistryUsesThem() throws {
        let parameters = try LR.decodeParameters(try reducedSmoke())
        let ids = LR.workUnits(parameters).map(\.id.rawValue)
        XCTAssertEqual(Set(ids).count, ids.count)
        XCTAssertEqual(Array(ids.prefix(3)), ["mlp/hessian", "mlp/hessian/B=4", "mlp/hessian/B=16"])
        XCTAssertEqual(ids[6...8], ["mlp/sgd/B=4/seed=0", "mlp/sgd/B=16/seed=0", "mlp/sgd/B=64/seed=0"])
        XCTAssertEqual(ids.last, "logistic/adam/B=1024/seed=1")
        let prepared = try RegisteredExperiment(LR.self).prepare(try reducedSmoke())
        XCTAssertEqual(prepared.units, LR.workUnits(parameters))
        XCTAssertThrowsError(try LR.runUnit("mlp/sgd/B=8/seed=0", parameters: parameters, context: RunContext(seed: 3))) { error in
            XCTAssertTrue(error is UnknownWorkUnit, "\(error)")
        }
    }

    /// The full preset (hours to run, Fashion-MNIST included) is split from its parameters alone,
    /// without reading any data: per model 1 + |B| Hessian units and |optimisers|·seeds·|B| scans.
    func testFullPresetUnitsFollowFromTheParameters() throws {
        let p = try LR.decodeParameters(try committedPreset("lr-batch", "full"))
        let units = LR.workUnits(p)
        XCTAssertEqual(units.count, p.models.count * (1 + p.batchSizes.count + p.optimizers.count * p.seeds * p.batchSizes.count))
        XCTAssertEqual(units.count, 4 * (1 + 12 + 2 * 10 * 12))
        let cost = Dictionary(uniqueKeysWithValues: units.map { ($0.id.rawValue, $0.cost) })
        // Batch Hessians cost in proportion to B; a scan costs more at a larger B; the same scan
        // costs in proportion to P: 784·h + 2h + 1 (Fashion-MNIST, unpooled) against h·d + 2h + 1.
        let hessianRatio = try XCTUnwrap(cost["fashion-mnist/hessian/B=4096"]) / XCTUnwrap(cost["fashion-mnist/hessian/B=2"])
        XCTAssertEqual(hessianRatio, 2048, accuracy: 1e-9 * hessianRatio)
        XCTAssertGreaterThan(try XCTUnwrap(cost["mlp/adam/B=4096/seed=9"]), try XCTUnwrap(cost["mlp/adam/B=2/seed=9"]))
        let modelRatio = try XCTUnwrap(cost["fashion-mnist/sgd/B=64/seed=0"]) / XCTUnwrap(cost["mlp-softplus/sgd/B=64/seed=0"])
        XCTAssertEqual(modelRatio, Double(784 * 32 + 2 * 32 + 1) / Double(32 * 256 + 2 * 32 + 1), accuracy: 1e-12)
    }
}
