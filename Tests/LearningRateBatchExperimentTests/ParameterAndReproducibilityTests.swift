import HarnessCore
import LinearAlgebra
import TestSupport
import XCTest
@testable import LearningRateBatchExperiment

/// Strict decoding with errors that name the key, and bit-identical reruns.
final class ParameterAndReproducibilityTests: XCTestCase {
    private func decode(_ changes: [String: ManifestValue]) throws -> LearningRateBatchParameters {
        try LearningRateBatchExperiment.decodeParameters(ParameterTable(
            file: "suites/lr-batch.toml", path: "presets.smoke", entries: Fixtures.presetEntries().merging(changes) { $1 }))
    }

    private func rejection(_ changes: [String: ManifestValue], file: StaticString = #filePath, line: UInt = #line) -> ManifestError? {
        let error = manifestError { _ = try decode(changes) }
        XCTAssertNotNil(error, "accepted \(changes)", file: file, line: line)
        XCTAssertEqual(error?.file, "suites/lr-batch.toml", file: file, line: line)
        return error
    }

    func testValidPresetDecodesWithDefaults() throws {
        let p = try decode([:])
        XCTAssertEqual(p.models, [.mlp, .logistic])
        XCTAssertEqual(p.optimizers, [.sgd, .adam])
        XCTAssertEqual(p.adam, AdamSettings(beta1: 0.9, beta2: 0.999, epsilon: 1e-8))
        XCTAssertEqual(p.divergenceFactor, 10)
        XCTAssertEqual(p.noiseDominatedBatches, [2, 8])
        XCTAssertEqual(p.scanGrid(.sgd).count, 13)  // 10^-3 … 10^3, two per decade
        XCTAssertEqual(p.imagePooling, 2)
    }

    func testBadInputNamesTheKey() {
        XCTAssertEqual(rejection(["batch_sizes": .array([.integer(8), .integer(64), .integer(512)])])?.keyPath, "presets.smoke.batch_sizes")
        XCTAssertEqual(rejection(["sgd_lr_bounds": .array([.float(1), .float(0.1)])])?.keyPath, "presets.smoke.sgd_lr_bounds")
        XCTAssertEqual(rejection(["adam_lr_bounds": .array([.float(0), .float(1)])])?.keyPath, "presets.smoke.adam_lr_bounds")
        XCTAssertEqual(rejection(["optimizers": .array([.string("sgd"), .string("lamb")])])?.keyPath, "presets.smoke.optimizers[1]")
        XCTAssertEqual(rejection(["models": .array([.string("resnet")])])?.keyPath, "presets.smoke.models[0]")
        XCTAssertEqual(rejection(["seeds": .integer(1)])?.keyPath, "presets.smoke.seeds")
        XCTAssertEqual(rejection(["divergence_factor": .float(1)])?.keyPath, "presets.smoke.divergence_factor")
        XCTAssertEqual(rejection(["scan_points_per_decade": .integer(0)])?.keyPath, "presets.smoke.scan_points_per_decade")
        XCTAssertEqual(rejection(["sgd_lr_bounds": .array([.float(1), .float(5)])])?.keyPath, "presets.smoke.sgd_lr_bounds")  // < 3 rates
        XCTAssertEqual(rejection(["image_pooling": .integer(3)])?.keyPath, "presets.smoke.image_pooling")
        XCTAssertEqual(rejection(["bisection_steps": .integer(4)])?.keyPath, "presets.smoke.bisection_steps")  // the old key
        XCTAssertEqual(rejection(["batch_size": .integer(3)])?.keyPath, "presets.smoke.batch_size")  // misspelt key
        XCTAssertTrue(rejection(["batch_sizes": .array([.integer(8), .integer(64), .integer(128), .integer(512)])])?.problem.contains("256") ?? false)
        XCTAssertTrue(rejection(["batch_sizes": .array([.integer(8), .integer(64), .integer(128)])])?.problem.contains("four") ?? false)
    }

    private func run(seed: UInt64) throws -> ExperimentOutput {
        try LearningRateBatchExperiment.run(decode([:]), context: RunContext(seed: seed))
    }

    private func assertBitIdentical(_ a: ExperimentOutput, _ b: ExperimentOutput, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(a.metrics.keys), Set(b.metrics.keys), file: file, line: line)
        for (name, metric) in a.metrics {
            let other = b.metrics[name]
            XCTAssertEqual(metric.value.bitPattern, other?.value.bitPattern, "\(name)", file: file, line: line)
            XCTAssertEqual(metric.interval?.lower.bitPattern, other?.interval?.lower.bitPattern, "\(name)", file: file, line: line)
        }
        // Rendered, so that NaN cells (no value) compare equal to themselves.
        XCTAssertEqual(a.tables.mapValues { $0.rendered() }, b.tables.mapValues { $0.rendered() }, file: file, line: line)
    }

    func testSameSeedGivesBitIdenticalMetricsWhateverTheBLASThreads() throws {
        let first = try run(seed: 3)
        XCTAssertNotNil(first.metrics["mlp/sgd/fit/exponent"])
        XCTAssertEqual(first.metrics["mlp/sgd/B=8/lr_max"]?.metricClass, .stochastic)
        XCTAssertNotNil(first.metrics["logistic/hessian/B=8/top_eigenvalue"])
        XCTAssertNotNil(first.metrics["mlp/sgd/crossover_ratio"])
        // Per model: checksum, 9 + 2 per B Hessian metrics, per optimiser 4 lr_max + 2 counts + 6 fit +
        // window slope, and 7 SGD-against-theory metrics.
        XCTAssertEqual(first.metrics.count, 2 * (1 + 9 + 2 * 4 + 2 * (4 + 2 + 6 + 1) + 7))
        assertBitIdentical(first, try run(seed: 3))
        let before = BLASRuntime.threads
        BLASRuntime.setThreads(2)
        defer { BLASRuntime.setThreads(before) }
        assertBitIdentical(first, try run(seed: 3))
        let other = try run(seed: 4)
        XCTAssertNotEqual(first.metrics["mlp/data_checksum"], other.metrics["mlp/data_checksum"])
    }
}
