import Foundation
import HarnessCore

/// The `kde` suite: the three statistical regimes of the Gaussian-kernel density estimator on
/// N(0, I_d) data with n = e^{αd} points (Biroli & Mézard 2024, abstract and the phase diagram of
/// its Gaussian case), swept over d, α and a bandwidth grid h = r·h_G(α) around the thresholds.
///
/// Metrics, per cell `d=<d>/alpha=<α>/`:
/// - `n` (exact); `sample_checksum` (exact): the bits of the queries and of every replicate's sample;
/// - `h_g`, `h_clt`, `h_kl_theory` (numeric, `RegimeTheory`);
/// - `share_crossover_over_h_g`: where the mean largest-term share crosses ½, over h_G (theory: ≈ 1);
/// - `kl_optimal_h_over_h_clt`, `kl_optimal_h_over_h_g`, `kl_optimal_tail_index` (μ = (h/h_G)²):
///   the KL-minimising bandwidth on the grid (parabolic refinement); at an end of the grid, a
///   one-sided interval;
/// - `hill_tail_index_at_h_g`: the Hill estimate of μ at h = h_G (theory: 1);
/// and per grid point `d=<d>/alpha=<α>/r=<r>/`: `largest_share`, `inverse_participation`,
/// `relative_variance`, `excess_kurtosis`, `hill_tail_index`, `kl_per_dimension`. Every measured
/// metric is stochastic (jackknife standard error over the replicates, 95% t-interval;
/// `RegimeMetrics`). Cells with n ≥ `min_points_for_share_claims` repeat their share metrics
/// under `share-claims/d=<d>/alpha=<α>/…`, which the share claims judge.
///
/// A run is one work unit per (d, α) cell, assembled into these metrics (`KernelDensityUnits`).
public enum KernelDensityRegimesExperiment: Experiment {
    public struct Parameters: Encodable, Sendable {
        public var dimensions: [Int]
        public var alphas: [Double]
        /// The bandwidth grid as h/h_G(α), ascending.
        public var bandwidthRatios: [Double]
        public var queries: Int
        public var replicates: Int
        /// k of the Hill estimator (the k + 1 nearest points of each query).
        public var hillTerms: Int
        /// Cells with n = e^{αd} above this are skipped (listed in the run's notes).
        public var maxPoints: Int
        /// Cells with fewer points are measured but not offered to the share claims (the
        /// `share-claims/` metrics): the declaration gives the reasoning.
        public var minPointsForShareClaims: Int

        enum CodingKeys: String, CodingKey {
            case dimensions, alphas, bandwidthRatios = "bandwidth_ratios", queries, replicates
            case hillTerms = "hill_terms", maxPoints = "max_points", minPointsForShareClaims = "min_points_for_share_claims"
        }
    }

    public static let id: ExperimentID = "kde.regimes"

    public static func decodeParameters(_ table: ParameterTable) throws -> Parameters {
        let parameters = Parameters(
            dimensions: try table.required("dimensions"),
            alphas: try table.required("alphas"),
            bandwidthRatios: try table.required("bandwidth_ratios"),
            queries: try table.required("queries"),
            replicates: try table.required("replicates"),
            hillTerms: try table.value("hill_terms", default: 10),
            maxPoints: try table.value("max_points", default: 1_000_000),
            minPointsForShareClaims: try table.required("min_points_for_share_claims"))
        try table.finish()
        if parameters.dimensions.isEmpty { throw table.error("dimensions", "name at least one dimension") }
        if let bad = parameters.dimensions.first(where: { !(1...4096).contains($0) }) {
            throw table.error("dimensions", "dimension \(bad) out of range 1…4096")
        }
        if parameters.alphas.isEmpty { throw table.error("alphas", "name at least one alpha") }
        if let bad = parameters.alphas.first(where: { !($0 > 0 && $0.isFinite) }) {
            throw table.error("alphas", "alpha = log(n)/d must be positive, got \(bad)")
        }
        let ratios = parameters.bandwidthRatios
        if ratios.count < 3 { throw table.error("bandwidth_ratios", "need at least 3 bandwidths to locate crossovers") }
        if let bad = ratios.first(where: { !($0 > 0 && $0.isFinite) }) {
            throw table.error("bandwidth_ratios", "bandwidth h = r·h_G must be positive: got r = \(bad)")
        }
        if zip(ratios, ratios.dropFirst()).contains(where: { $0 >= $1 }) {
            throw table.error("bandwidth_ratios", "list the ratios in ascending order without repeats")
        }
        if parameters.queries < 2 { throw table.error("queries", "need at least 2 query points, got \(parameters.queries)") }
        if parameters.replicates < 4 { throw table.error("replicates", "need at least 4 replicates for a kurtosis, got \(parameters.replicates)") }
        if parameters.hillTerms < 1 { throw table.error("hill_terms", "must be at least 1") }
        if parameters.minPointsForShareClaims < 1 {
            throw table.error("min_points_for_share_claims", "must be at least 1, got \(parameters.minPointsForShareClaims)")
        }
        if parameters.maxPoints < 1 { throw table.error("max_points", "must be at least 1, got \(parameters.maxPoints)") }
        if parameters.maxPoints > SampleSize.maximumPoints {
            // Say what the largest cell max_points lets through would need, with its own n.
            let cells = parameters.dimensions.flatMap { d in parameters.alphas.map { (d, SampleSize.points(alpha: $0, dimension: d)) } }
            let largest = cells.filter { $0.1 <= Double(parameters.maxPoints) }.max { $0.1 < $1.1 }
            var problem = "max_points = \(parameters.maxPoints) is above the largest sample this suite streams, \(SampleSize.maximumPoints) points"
            if let (d, n) = largest, n > Double(SampleSize.maximumPoints) {
                problem += "; with it, " + KernelDensityInputError.sampleTooLarge(points: n, dimension: d, limit: SampleSize.maximumPoints).description
            }
            throw table.error("max_points", problem, hint: "set max_points ≤ \(SampleSize.maximumPoints)")
        }
        if !parameters.dimensions.contains(where: { d in parameters.alphas.contains { SampleSize.points(alpha: $0, dimension: d) <= Double(parameters.maxPoints) } }) {
            throw table.error("max_points", "no (d, alpha) cell has n = e^(alpha·d) ≤ \(parameters.maxPoints): raise it or lower alpha")
        }
        try checkBounds(parameters, table)
        return parameters
    }

    /// Numbers as they appear in metric names: shortest round-trip form, no trailing ".0".
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
