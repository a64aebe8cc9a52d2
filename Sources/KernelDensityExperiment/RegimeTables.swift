import Foundation
import HarnessCore

/// The tidy tables behind the figures.
enum RegimeTables {
    /// `points.csv`: one row per (d, α, h) with every measurement and the measured regime
    /// (`MeasuredRegime`); `theory.csv`: h_G, h_CLT, h_KL on a fine α grid spanning the run's alphas.
    static func tables(_ cells: [RegimeCell], alphas: [Double]) -> [String: CSVTable] {
        var points = CSVTable(columns: [
            "d", "alpha", "n", "h", "h_over_h_g", "h_over_h_clt", "largest_share", "inverse_participation",
            "relative_variance", "excess_kurtosis", "hill_tail_index", "regime", "regime_code", "kl_per_dimension",
            "kl_theory", "h_g", "h_clt",
        ])
        for cell in cells {
            for p in cell.grid {
                let regime = MeasuredRegime(p)
                let theory = (try? RegimeTheory.klPerDimension(bandwidth: p.bandwidth, alpha: cell.alpha)) ?? .nan
                points.append([
                    .integer(cell.dimension), .number(cell.alpha), .integer(cell.points), .number(p.bandwidth),
                    .number(p.ratio), .number(p.bandwidth / cell.cltThreshold), .number(p.largestShare),
                    .number(p.inverseParticipation), .number(p.relativeVariance), .number(p.excessKurtosis),
                    .number(p.hillTailIndex), .text(regime.rawValue), .integer(regime.code), .number(p.klPerDimension), .number(theory),
                    .number(cell.extremeValueThreshold), .number(cell.cltThreshold),
                ])
            }
        }
        var theory = CSVTable(columns: ["alpha", "h_g", "h_clt", "h_kl"])
        let low = max(0.02, (alphas.min() ?? 0.2) - 0.05), high = (alphas.max() ?? 0.6) + 0.05
        for step in 0...100 {
            let alpha = low + (high - low) * Double(step) / 100
            guard let g = try? RegimeTheory.extremeValueThreshold(alpha: alpha),
                  let c = try? RegimeTheory.cltThreshold(alpha: alpha),
                  let k = try? RegimeTheory.klOptimalBandwidth(alpha: alpha) else { continue }
            theory.append([.number(alpha), .number(g), .number(c), .number(k)])
        }
        return ["points.csv": points, "theory.csv": theory]
    }
}

/// The regime a grid point shows, read from what was measured there (not from the theory):
/// extreme-value when the largest term is on average at least half the sum; otherwise α-stable
/// when ρ̂(x) across replicates has excess kurtosis of at least 1 (clearly non-Gaussian);
/// otherwise CLT.
enum MeasuredRegime: String {
    case clt, stable, extreme

    static let shareThreshold = 0.5
    static let kurtosisThreshold = 1.0

    init(_ point: RegimeCell.Point) {
        self = point.largestShare >= Self.shareThreshold ? .extreme
            : point.excessKurtosis >= Self.kurtosisThreshold ? .stable : .clt
    }

    var code: Int {
        switch self {
        case .clt: 0
        case .stable: 1
        case .extreme: 2
        }
    }
}
