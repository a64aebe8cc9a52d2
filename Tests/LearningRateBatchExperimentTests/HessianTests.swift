import HarnessCore
import LinearAlgebra
import XCTest
@testable import LearningRateBatchExperiment

/// Hessian–vector products, Lanczos top eigenvalues and the theorem's formula against closed forms.
final class HessianTests: XCTestCase {
    /// Logistic regression's Hessian is [X 1]ᵀ diag(p(1 − p)) [X 1] / B.
    private func exactLogisticHessian(_ w: [Double], _ data: Dataset) -> Matrix {
        let d = data.dimension
        var h = Matrix(rows: d + 1, columns: d + 1)
        for i in 0..<data.count {
            let x = Array(data.inputs.elements[i * d ..< (i + 1) * d]) + [1]
            let z = zip(x, w).reduce(0) { $0 + $1.0 * $1.1 }
            let weight = 1 / (1 + exp(-z)) * (1 - 1 / (1 + exp(-z))) / Double(data.count)
            for a in 0...d { for b in 0...d { h[a, b] += weight * x[a] * x[b] } }
        }
        return h
    }

    func testFiniteDifferenceProductMatchesExactLogisticHessian() {
        let data = Fixtures.classificationData(samples: 40, dimension: 4)
        let model = LogisticRegression(inputDimension: 4)
        let w = model.initialParameters(Fixtures.streams.stream("test/init"))
        let probe = HessianProbe(model: model, parameters: w)
        let v = Fixtures.streams.stream("test/v").normals(5)
        let exact = BLAS.gemv(exactLogisticHessian(w, data), v)
        for (a, b) in zip(probe.product(v, on: data), exact) { XCTAssertEqual(a, b, accuracy: 1e-8) }
        XCTAssertEqual(probe.product([Double](repeating: 0, count: 5), on: data), [Double](repeating: 0, count: 5))
    }

    func testLanczosTopEigenvalueMatchesDenseEigensolver() throws {
        let data = Fixtures.classificationData(samples: 40, dimension: 6)
        let model = LogisticRegression(inputDimension: 6)
        let w = model.initialParameters(Fixtures.streams.stream("test/init"))
        let exact = try SymmetricEigen(exactLogisticHessian(w, data), computeVectors: false).values.max()!
        let measured = try HessianProbe(model: model, parameters: w)
            .topEigenvalue(on: data, steps: 7, start: Fixtures.streams.stream("test/start").normals(7))
        XCTAssertEqual(measured, exact, accuracy: 1e-7 * exact)
    }

    /// Averaging λ_max over batches can only overshoot λ_max of the mean (convexity): the
    /// partition of the data into batches gives batch Hessians whose mean is the full Hessian.
    func testBatchesOfAPartitionHaveMeanTopEigenvalueAboveFull() throws {
        let data = Fixtures.classificationData(samples: 64, dimension: 6)
        let model = LogisticRegression(inputDimension: 6)
        let probe = HessianProbe(model: model, parameters: model.initialParameters(Fixtures.streams.stream("test/init")))
        let start = Fixtures.streams.stream("test/start").normals(7)
        let full = try probe.topEigenvalue(on: data, steps: 7, start: start)
        let batches = try (0..<8).map { j in try probe.topEigenvalue(on: data.batch(Array(j * 8 ..< (j + 1) * 8)), steps: 7, start: start) }
        XCTAssertGreaterThan(batches.reduce(0, +) / 8, full)
    }

    /// The theorem's two branches and their meeting point: at λ² = ψσ² both give 2λ.
    func testSpikedTheoryBranchesAndCrossover() {
        let theory = SpikedBatchHessianTheory(fullTopEigenvalue: 2, entryVariance: 0.01, parameterCount: 400, sampleCount: 1000)
        XCTAssertEqual(theory.noiseStrength(batchSize: 1000), 0)
        XCTAssertEqual(theory.predictedTopEigenvalue(batchSize: 1000), 2)
        // B = 500: ψσ² = 400·0.01·(1/500 − 1/1000) = 0.004 < λ² → λ + 0.004/2.
        XCTAssertEqual(theory.predictedTopEigenvalue(batchSize: 500), 2.002, accuracy: 1e-15)
        // B = 1: ψσ² = 4·0.999 = 3.996 < 4 → still the outlier branch; B* = 400·0.01/4 = 1.
        XCTAssertEqual(theory.predictedTopEigenvalue(batchSize: 1), 2 + 3.996 / 2, accuracy: 1e-12)
        XCTAssertEqual(theory.crossoverBatchSize, 1, accuracy: 1e-15)
        let noisy = SpikedBatchHessianTheory(fullTopEigenvalue: 0.1, entryVariance: 0.01, parameterCount: 400, sampleCount: 1000)
        // ψσ² ≫ λ²: the semicircle edge 2√(ψσ²).
        XCTAssertEqual(noisy.predictedTopEigenvalue(batchSize: 10), 2 * (4 * 0.099).squareRoot(), accuracy: 1e-12)
    }

    /// Which branch holds where: the bulk edge below B* = Pσ²/λ₁², the outlier above. On the
    /// bulk edge the predicted lr_max ∝ 1/λ'₁ grows like √B (×2 for B ×4), not like B; above B*
    /// it is λ₁/λ'₁ = B/(B + B*), between ½ and 1.
    func testBranchesAndPredictedRateScaling() {
        // λ₁ = 1, Pσ² = 1000·0.1 = 100: B* = 100; N large so the 1/N term is negligible.
        let theory = SpikedBatchHessianTheory(fullTopEigenvalue: 1, entryVariance: 0.1, parameterCount: 1000, sampleCount: 1 << 40)
        XCTAssertEqual(theory.crossoverBatchSize, 100, accuracy: 1e-12)
        XCTAssertEqual(theory.branch(batchSize: 4), .bulkEdge)
        XCTAssertEqual(theory.branch(batchSize: 99), .bulkEdge)
        XCTAssertEqual(theory.branch(batchSize: 101), .outlier)
        XCTAssertEqual(theory.predictedRelativeRate(batchSize: 16) / theory.predictedRelativeRate(batchSize: 4), 2, accuracy: 1e-9)
        XCTAssertEqual(theory.predictedRelativeRate(batchSize: 4), 0.5 * (4.0 / 100).squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(theory.predictedRelativeRate(batchSize: 400), 400.0 / 500, accuracy: 1e-9)
        // Continuous at B*: both branches give 2λ₁.
        XCTAssertEqual(theory.predictedTopEigenvalue(batchSize: 100), 2, accuracy: 1e-9)
        // The local slope never exceeds ½ anywhere: the quoted theorem cannot give SGD's linear law.
        let sizes = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]
        for (a, b) in zip(sizes, sizes.dropFirst()) {
            let slope = log(theory.predictedRelativeRate(batchSize: b) / theory.predictedRelativeRate(batchSize: a)) / log(2)
            XCTAssertLessThanOrEqual(slope, 0.5 + 1e-9, "B = \(a)…\(b)")
        }
    }

    /// Per-sample Hessians of a quadratic are all equal: no fluctuation, σ² = 0.
    func testEntryVarianceVanishesWhenEverySampleHasTheSameHessian() {
        let probe = HessianProbe(model: Fixtures.Quadratic(curvatures: [1, 2, 3]), parameters: [0.5, 0.5, 0.5])
        let variance = probe.perSampleEntryVariance(data: Fixtures.regressionData(samples: 8), probes: 2, samples: 4,
                                                    stream: Fixtures.streams.stream("test/var"))
        XCTAssertEqual(variance, 0, accuracy: 1e-12)
    }
}
