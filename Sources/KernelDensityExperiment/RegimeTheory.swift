import Foundation

/// The large-dimension theory of the Gaussian-kernel density estimator on Gaussian data
/// (Biroli & Mézard 2024, "Kernel Density Estimators in Large Dimensions", arXiv 2408.05807: the
/// Random Energy Model analysis and its Gaussian case).
///
/// Data y_i ~ N(0, I_d), i = 1…n = e^{αd}; the kernel term of a typical query x (|x|² ≈ d) is
/// K_i = exp(−|x − y_i|²/(2h²)). With t = 1/(2h²) the cumulant generating function of the log-terms is
///
///     Λ(m) = lim (1/d) log E_y[K^m] = −½ log(1 + 2mt) − mt/(1 + 2mt),
///
/// and the number of terms with (1/d) log K ≈ ℓ is e^{d(α − I(ℓ))}, I the Legendre transform of Λ.
/// The largest populated ℓ has slope μ = I'(ℓ_max), fixed by I(Λ'(μ)) = α:
///
///     α = μΛ'(μ) − Λ(μ) = ½ [log(1 + u) − u/(1 + u)²],  u = 2μt = μ/h²,        (★)
///
/// and near the top the terms are Pareto with tail index μ. The regimes: CLT for μ > 2,
/// α-stable for 1 < μ < 2, extreme-value (a few terms dominate) for μ < 1, as in the REM
/// (Bovier, Kurkova & Löwe 2002). The right side of (★) increases with u, so (★) has one root
/// u*(α), and μ(h, α) = u*(α)·h². Hence
///
///     h_G(α) = 1/√u*(α)   (μ = 1),        h_CLT(α) = √(2/u*(α)) = √2·h_G(α)   (μ = 2).
///
/// The ratio √2 is exact for the Gaussian kernel, since K_h² ∝ K_{h/√2}.
///
/// Provenance: (★) and Λ are the equations the suite's issue states; only the paper's abstract
/// could be read from this environment (it names the same three regimes in the same order and
/// the thresholds h_CLT(α), h_G(α)). They agree with the REM fluctuation results of Bovier,
/// Kurkova & Löwe (2002): Gaussian below β_c/2 (here μ > 2), stable up to β_c (μ > 1).
///
/// KL divergence per dimension, kl(h) = (1/d) E_x[log ρ(x) − log ρ̂(x)] at d → ∞ (our derivation
/// from the same free energy): above h_G the sum self-averages, (1/d) log Σ K = α + Λ(1), and
/// kl = ½[log(1 + h²) − h²/(1 + h²)] (the KL to the kernel-smoothed density, independent of α);
/// below h_G the sum is its largest terms, (1/d) log Σ K = Λ'(μ), and
/// kl = α − ½ + log h + c/h² with c = ½[1/(1 + u*) + 1/(1 + u*)²]. The two branches join with
/// continuous slope at h_G, and the minimum is at h_KL² = 2c, which lies below h_G for every α.
public enum RegimeTheory {
    /// Λ(m) at t = 1/(2h²).
    public static func cumulant(_ m: Double, bandwidth h: Double) -> Double {
        let t = 1 / (2 * h * h)
        return -0.5 * log1p(2 * m * t) - m * t / (1 + 2 * m * t)
    }

    /// Λ'(m) = −t/(1 + 2mt) − t/(1 + 2mt)².
    public static func cumulantSlope(_ m: Double, bandwidth h: Double) -> Double {
        let t = 1 / (2 * h * h)
        let a = 1 + 2 * m * t
        return -t / a - t / (a * a)
    }

    /// The right side of (★) as a function of u = μ/h²: ½[log(1 + u) − u/(1 + u)²], increasing from 0.
    public static func rate(_ u: Double) -> Double {
        0.5 * (log1p(u) - u / ((1 + u) * (1 + u)))
    }

    /// u*(α), the root of rate(u) = α, by bracketing and bisection to full precision.
    public static func slopeVariable(alpha: Double) throws -> Double {
        guard alpha > 0, alpha.isFinite else { throw KernelDensityInputError.nonPositiveAlpha(alpha) }
        var low = 0.0, high = 1.0
        while rate(high) < alpha { low = high; high *= 2 }
        for _ in 0..<200 {
            let mid = 0.5 * (low + high)
            if mid <= low || mid >= high { break }
            if rate(mid) < alpha { low = mid } else { high = mid }
        }
        return 0.5 * (low + high)
    }

    /// μ(h, α) = u*(α)·h², the tail index of the kernel terms.
    public static func tailIndex(bandwidth h: Double, alpha: Double) throws -> Double {
        guard h > 0, h.isFinite else { throw KernelDensityInputError.nonPositiveBandwidth(h) }
        return try slopeVariable(alpha: alpha) * h * h
    }

    /// The bandwidth at which the tail index equals `mu`: √(μ/u*(α)).
    public static func bandwidth(tailIndex mu: Double, alpha: Double) throws -> Double {
        (mu / (try slopeVariable(alpha: alpha))).squareRoot()
    }

    /// h_G(α): μ = 1, below it extreme-value statistics (a few terms dominate).
    public static func extremeValueThreshold(alpha: Double) throws -> Double { try bandwidth(tailIndex: 1, alpha: alpha) }

    /// h_CLT(α): μ = 2, below it the fluctuations of ρ̂ are no longer Gaussian.
    public static func cltThreshold(alpha: Double) throws -> Double { try bandwidth(tailIndex: 2, alpha: alpha) }

    /// KL(ρ‖ρ̂)/d at d → ∞ for a typical query (see the type's discussion).
    public static func klPerDimension(bandwidth h: Double, alpha: Double) throws -> Double {
        let mu = try tailIndex(bandwidth: h, alpha: alpha)
        if mu >= 1 {
            let h2 = h * h
            return 0.5 * (log1p(h2) - h2 / (1 + h2))
        }
        return alpha - 0.5 + log(h) - cumulantSlope(mu, bandwidth: h)
    }

    /// The minimiser of `klPerDimension`: h_KL² = 1/(1 + u*) + 1/(1 + u*)².
    public static func klOptimalBandwidth(alpha: Double) throws -> Double {
        let u = try slopeVariable(alpha: alpha)
        return (1 / (1 + u) + 1 / ((1 + u) * (1 + u))).squareRoot()
    }
}
