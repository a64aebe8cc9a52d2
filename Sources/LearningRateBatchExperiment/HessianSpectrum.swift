import Foundation
import HarnessCore
import LinearAlgebra

/// Hessian–vector products and top eigenvalues of the empirical (full-data) and batch Hessians.
///
/// Hv is a central difference of gradients, Hv ≈ (∇L(w + εv) − ∇L(w − εv)) / 2ε, with
/// ε = `relativeStep` · max(1, ‖w‖)/‖v‖: O(ε²) truncation error, far below what the claims need.
/// The top eigenvalue comes from LinearAlgebra's Lanczos (full reorthogonalisation), as the paper
/// itself does (Granziol et al. 2020, Sec. 8 use Lanczos on the batch Hessian).
public struct HessianProbe<Model: TrainableModel> {
    public let model: Model
    public let parameters: [Double]
    public var relativeStep = 1e-4

    public init(model: Model, parameters: [Double]) {
        self.model = model
        self.parameters = parameters
    }

    /// H(batch)·v.
    public func product(_ v: [Double], on batch: Dataset) -> [Double] {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return [Double](repeating: 0, count: v.count) }
        let scale = parameters.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let epsilon = relativeStep * max(1, scale) / norm
        let plus = model.lossAndGradient(zip(parameters, v).map { $0 + epsilon * $1 }, on: batch).gradient
        let minus = model.lossAndGradient(zip(parameters, v).map { $0 - epsilon * $1 }, on: batch).gradient
        return zip(plus, minus).map { ($0 - $1) / (2 * epsilon) }
    }

    /// The largest eigenvalue of H(batch), by `steps` Lanczos steps from `start`.
    public func topEigenvalue(on batch: Dataset, steps: Int, start: [Double]) throws -> Double {
        let n = model.parameterCount
        let result = try Lanczos.topEigenvalues(count: 1, dimension: n, steps: steps, start: start) { v, out in
            let hv = product(Array(v), on: batch)
            for k in 0..<n { out[k] = hv[k] }
        }
        return result.values[0]
    }

    /// s² = (1/P²) E_n ‖H_n − H‖²_F, the mean variance of one entry of a per-sample Hessian,
    /// estimated as the mean of ‖(H_n − H)z‖²/P² over Gaussian probes z (E‖Az‖² = ‖A‖²_F) and
    /// `samples` random samples n per probe. This is the σ² of the paper's fluctuation matrix
    /// for a batch of one (Sec. 3: the batch Hessian's noise has entries of variance ∝ 1/B).
    public func perSampleEntryVariance(data: Dataset, probes: Int, samples: Int, stream: RandomStream) -> Double {
        var draw = stream
        let p = model.parameterCount
        var total = 0.0
        for _ in 0..<probes {
            let z = (0..<p).map { _ in draw.normal() }
            let full = product(z, on: data)
            for _ in 0..<samples {
                let one = product(z, on: data.batch([draw.integer(below: data.count)]))
                total += zip(one, full).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            }
        }
        return total / Double(probes * samples) / (Double(p) * Double(p))
    }
}

/// The paper's prediction for the batch Hessian's top eigenvalue (Granziol et al. 2020, Sec. 4,
/// the spiked-Wigner theorem for H_batch = H_emp + ε(w)): with ψ = P/B,
///   λ'₁ = λ₁ + ψσ²/λ₁   when λ₁ > √ψ σ (the outlier survives),
///   λ'₁ = 2√ψ σ         otherwise (the top of the noise's semicircle).
/// We sample batches without replacement from N samples, so the entry variance of ε is
/// σ²(1/B − 1/N) rather than σ²/B: ψσ² here is P σ² (1/B − 1/N), which vanishes at B = N.
public struct SpikedBatchHessianTheory: Sendable, Equatable {
    /// λ₁ of the empirical Hessian.
    public var fullTopEigenvalue: Double
    /// σ², the entry variance of a per-sample Hessian's fluctuation.
    public var entryVariance: Double
    public var parameterCount: Int
    public var sampleCount: Int

    /// ψσ² at batch size B, with the finite-population factor.
    public func noiseStrength(batchSize b: Int) -> Double {
        Double(parameterCount) * entryVariance * max(0, 1 / Double(b) - 1 / Double(sampleCount))
    }

    public func predictedTopEigenvalue(batchSize b: Int) -> Double {
        let q = noiseStrength(batchSize: b), lambda = fullTopEigenvalue
        return lambda * lambda > q ? lambda + q / lambda : 2 * q.squareRoot()
    }

    /// B* = Pσ²/λ₁², where the excess ψσ²/λ₁ equals λ₁ (also the threshold where the outlier
    /// merges with the bulk). SGD's lr_max ∝ 1/λ'₁ = (1/λ₁)·B/(B + B*) (Sec. 5): linear in B
    /// well below B*, saturating at 1/λ₁ well above it.
    public var crossoverBatchSize: Double {
        Double(parameterCount) * entryVariance / (fullTopEigenvalue * fullTopEigenvalue)
    }
}
