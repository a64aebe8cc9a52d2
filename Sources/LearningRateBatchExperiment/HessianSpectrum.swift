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

/// The paper's prediction for the batch Hessian's top eigenvalue, and what it implies for lr_max.
///
/// **The theorem as quoted.** Granziol et al. (2020, Sec. 4) model the batch Hessian as the
/// empirical one plus a Wigner-like fluctuation, H_batch = H_emp + ε(w), whose entries have
/// variance σ²/B, and apply the spiked-Wigner result: with ψ = P/B,
///   λ'₁ = λ₁ + ψσ²/λ₁   when λ₁ > √ψ σ (the outlier survives),
///   λ'₁ = 2√ψ σ         otherwise (the top of the noise's semicircle).
/// This statement is quoted from the suite's earlier reading of the paper; it has not been
/// checked against the paper's body, which cannot be opened here.
///
/// **Which branch applies at which B.** λ₁ > √ψ σ ⇔ B > B* = Pσ²/λ₁². So the outlier branch
/// holds only above B*, where the excess ψσ²/λ₁ = λ₁·B*/B is below λ₁ and λ'₁ stays within a
/// factor 2 of λ₁; below B* the bulk edge 2√ψ σ = 2λ₁√(B*/B) applies. Both give 2λ₁ at B = B*.
///
/// **What lr_max ∝ 1/λ'₁ then predicts** (SGD's stability limit 2/λ, Sec. 5):
/// - B < B*: lr_max ∝ 1/(2λ₁)·√(B/B*), a log–log slope of ½, not 1;
/// - B > B*: lr_max ∝ (1/λ₁)·B/(B + B*), whose local slope B*/(B + B*) is at most ½ and falls to
///   0: between ½ and 1 of the plateau, nearly flat.
/// The law lr_max = c·B/(B + B*), "linear below B*, flat above", takes the outlier branch's
/// formula below B*, where that branch does not hold. It is the paper's stated scaling (linear
/// for SGD), and the suite judges it as such (`SaturatingLaw`, exponent α = 1), but it does not
/// follow from the theorem as quoted; the branch-correct curve is `predictedRelativeRate(batchSize:)`.
///
/// We sample batches without replacement from N samples, so the entry variance of ε is
/// σ²(1/B − 1/N) rather than σ²/B: ψσ² here is P σ² (1/B − 1/N), which vanishes at B = N.
public struct SpikedBatchHessianTheory: Sendable, Equatable {
    /// λ₁ of the empirical Hessian.
    public var fullTopEigenvalue: Double
    /// σ², the entry variance of a per-sample Hessian's fluctuation.
    public var entryVariance: Double
    public var parameterCount: Int
    public var sampleCount: Int

    public enum Branch: String, Sendable {
        /// λ₁ > √ψ σ: the top eigenvalue is the empirical one pushed up, λ₁ + ψσ²/λ₁.
        case outlier
        /// λ₁ ≤ √ψ σ: the top eigenvalue is the semicircle's edge 2√ψ σ.
        case bulkEdge = "bulk-edge"
    }

    /// ψσ² at batch size B, with the finite-population factor.
    public func noiseStrength(batchSize b: Int) -> Double {
        Double(parameterCount) * entryVariance * max(0, 1 / Double(b) - 1 / Double(sampleCount))
    }

    /// The branch of the theorem that applies at batch size B.
    public func branch(batchSize b: Int) -> Branch {
        fullTopEigenvalue * fullTopEigenvalue > noiseStrength(batchSize: b) ? .outlier : .bulkEdge
    }

    public func predictedTopEigenvalue(batchSize b: Int) -> Double {
        let q = noiseStrength(batchSize: b), lambda = fullTopEigenvalue
        return branch(batchSize: b) == .outlier ? lambda + q / lambda : 2 * q.squareRoot()
    }

    /// lr_max ∝ 1/λ'₁ relative to its large-B limit 1/λ₁: λ₁/λ'₁(B), in (0, 1]. The branch-correct
    /// prediction of how SGD's lr_max grows with B (our extrapolation of the theorem through the
    /// stability limit; the paper's own statement is linear scaling).
    public func predictedRelativeRate(batchSize b: Int) -> Double {
        fullTopEigenvalue / predictedTopEigenvalue(batchSize: b)
    }

    /// B* = Pσ²/λ₁², where the excess ψσ²/λ₁ equals λ₁ and the outlier merges with the bulk
    /// (ignoring the 1/N term): the bulk-edge branch holds below it, the outlier branch above.
    public var crossoverBatchSize: Double {
        Double(parameterCount) * entryVariance / (fullTopEigenvalue * fullTopEigenvalue)
    }
}
