import Foundation
import HarnessCore
import LinearAlgebra

/// One (d, α) point of the experiment: R replicate samples of n = e^{αd} points, q fixed query
/// points from the same law, and a bandwidth grid h = r·h_G(α). What is measured (the list,
/// Biroli & Mézard 2024, abstract; only the abstract could be read here):
/// - relative fluctuation of ρ̂(x) across replicates, Var/mean², averaged over queries;
/// - excess kurtosis of ρ̂(x) across replicates, averaged over queries (0 when Gaussian);
/// - the largest term's share max K/Σ K and the inverse participation ratio, averaged over all (x, sample);
/// - the Hill estimate of the terms' tail index from the k + 1 nearest points,
///   μ̂ = 1/[(1/k)Σ_{i≤k} (log K₍ᵢ₎ − log K₍ₖ₊₁₎)] = 2h²/mean(D₍ₖ₊₁₎ − D₍ᵢ₎), pooled over (x, sample);
/// - KL(ρ‖ρ̂)/d = mean over (x, sample) of [log ρ(x) − log ρ̂(x)]/d, the queries being held-out points.
///
/// Codable: it is what the cell's work unit hands to `assemble` (`KernelDensityUnits`).
struct RegimeCell: Codable, Sendable {
    struct Point: Codable, Sendable {
        var ratio: Double
        var bandwidth: Double
        var largestShare: Double
        var inverseParticipation: Double
        var relativeVariance: Double
        var excessKurtosis: Double
        var hillTailIndex: Double
        var klPerDimension: Double
    }

    let dimension: Int
    let alpha: Double
    let points: Int
    let extremeValueThreshold: Double
    let cltThreshold: Double
    let slopeVariable: Double
    /// Every statistic over all replicates, and over all but one (replicate r left out) for each r.
    let full: Summary
    let leaveOneOut: [Summary]
    /// `BitChecksum` of the query points, then of each replicate's sample checksum in replicate order.
    let sampleChecksum: Double

    /// One replicate: log ρ̂, share and IPR per (query, bandwidth), and the Hill gap per query.
    struct Replicate {
        var logDensity: [Double]
        var share: [Double]
        var participation: [Double]
        var hillGap: [Double]
        /// `BitChecksum` state of this replicate's sample, in generation order.
        var checksum: UInt64
    }

    init(dimension d: Int, alpha: Double, ratios: [Double], queries: Matrix, replicates: Int,
         hillTerms: Int, maxPoints: Int, streams: RandomStreams, threads: Int) throws {
        dimension = d
        self.alpha = alpha
        let n = try SampleSize.checked(alpha: alpha, dimension: d, limit: maxPoints)
        points = n
        slopeVariable = try RegimeTheory.slopeVariable(alpha: alpha)
        let hG = try RegimeTheory.extremeValueThreshold(alpha: alpha)
        extremeValueThreshold = hG
        cltThreshold = try RegimeTheory.cltThreshold(alpha: alpha)
        let bandwidths = ratios.map { $0 * hG }
        let k = max(1, min(hillTerms, n - 1))
        let streamName = "kde/data/d=\(d)/alpha=\(alpha)"
        let q = queries.rows, hs = bandwidths.count

        let slots = ReplicateSlots(count: replicates)
        var failure: (any Error)?
        let work: @Sendable (Int) throws -> Replicate = { r in
            let sample = GaussianSample(stream: streams.stream(streamName, replicate: r), count: n, dimension: d)
            var sums = try KernelSums(queries: queries, bandwidths: bandwidths, nearestCount: k + 1)
            var checksum = BitChecksum()
            try sample.accumulate(into: &sums, checksum: &checksum)
            var out = Replicate(logDensity: [], share: [], participation: [], hillGap: [], checksum: checksum.state)
            for i in 0..<q {
                for h in 0..<hs {
                    let normaliser = GaussianKernelDensity.logNormaliser(points: n, dimension: d, bandwidth: bandwidths[h])
                    out.logDensity.append(sums.logKernelSum(query: i, bandwidth: h) - normaliser)
                    out.share.append(sums.largestShare(query: i, bandwidth: h))
                    out.participation.append(sums.inverseParticipation(query: i, bandwidth: h))
                }
                let nearest = sums.nearestSquaredDistances(query: i)
                let last = nearest[nearest.startIndex + k]
                out.hillGap.append(nearest.prefix(k).reduce(0) { $0 + (last - $1) } / Double(k))
            }
            return out
        }
        if threads > 1 {
            // Replicates in parallel, each with single-threaded BLAS, so results never depend on the thread count.
            let previous = BLASRuntime.threads
            BLASRuntime.setThreads(1)
            defer { BLASRuntime.setThreads(previous) }
            let errors = ReplicateSlots(count: replicates)
            DispatchQueue.concurrentPerform(iterations: replicates) { r in
                do { slots.store(r, try work(r)) } catch { errors.fail(r, error) }
            }
            failure = errors.firstError
        } else {
            for r in 0..<replicates { slots.store(r, try work(r)) }
        }
        if let failure { throw failure }
        let results = slots.values
        var checksum = BitChecksum()
        checksum.add(queries.elements)
        for result in results { checksum.add(word: result.checksum) }
        sampleChecksum = checksum.value

        // log ρ(x) of the standard Gaussian at each query.
        let logTrue = (0..<q).map { i in
            -0.5 * Double(d) * log(2 * Double.pi) - 0.5 * (0..<d).reduce(0) { $0 + queries[i, $1] * queries[i, $1] }
        }
        let summarise = { (kept: [Replicate]) in
            Self.summary(kept, ratios: ratios, bandwidths: bandwidths, logTrue: logTrue, hG: hG, dimension: d)
        }
        full = summarise(results)
        leaveOneOut = results.indices.map { r in summarise(Array(results[..<r] + results[(r + 1)...])) }
    }

    /// What a set of replicates shows: the grid and the statistics read off it. Computed once over
    /// all replicates and once without each, for the jackknife standard errors (`RegimeMetrics`).
    struct Summary: Codable, Sendable {
        var grid: [Point]
        /// The Hill estimate of μ scaled to h = h_G (theory: 1); μ̂ ∝ h², so one number per cell.
        var hillTailIndexAtExtremeValueThreshold: Double
        /// Where the mean largest-term share crosses ½, over h_G (NaN when it does not cross).
        var shareCrossoverOverHG: Double
        /// The KL-minimising bandwidth (parabolic refinement) and whether it sits at a grid end.
        var klOptimalBandwidth: Double
        var klOptimumAtEdge: Bool
    }

    /// The grid statistics over `replicates`: share, IPR and KL are means over (query, replicate);
    /// Var/mean² and excess kurtosis of ρ̂(x) are across replicates, then averaged over queries.
    static func summary(_ replicates: [Replicate], ratios: [Double], bandwidths: [Double], logTrue: [Double],
                        hG: Double, dimension d: Int) -> Summary {
        let q = logTrue.count, hs = bandwidths.count
        let pooled = Double(q * replicates.count)
        let meanGap = replicates.reduce(0) { $0 + $1.hillGap.reduce(0, +) } / pooled
        let grid = (0..<hs).map { h in
            var share = 0.0, participation = 0.0, kl = 0.0, relVar = 0.0, kurtosis = 0.0
            for i in 0..<q {
                let logs = replicates.map { $0.logDensity[i * hs + h] }
                relVar += ReplicateStatistics.relativeVariance(logs: logs)
                kurtosis += ReplicateStatistics.excessKurtosis(logs: logs)
                for r in replicates {
                    share += r.share[i * hs + h]
                    participation += r.participation[i * hs + h]
                    kl += logTrue[i] - r.logDensity[i * hs + h]
                }
            }
            let bandwidth = bandwidths[h]
            return Point(
                ratio: ratios[h], bandwidth: bandwidth, largestShare: share / pooled,
                inverseParticipation: participation / pooled, relativeVariance: relVar / Double(q),
                excessKurtosis: kurtosis / Double(q), hillTailIndex: 2 * bandwidth * bandwidth / meanGap,
                klPerDimension: kl / pooled / Double(d))
        }
        let (best, atEdge) = ReplicateStatistics.minimiser(x: bandwidths, y: grid.map(\.klPerDimension))
        return Summary(
            grid: grid, hillTailIndexAtExtremeValueThreshold: 2 * hG * hG / meanGap,
            shareCrossoverOverHG: ReplicateStatistics.crossing(x: ratios, y: grid.map(\.largestShare), level: 0.5),
            klOptimalBandwidth: best, klOptimumAtEdge: atEdge)
    }

    /// The statistics over all replicates.
    var grid: [Point] { full.grid }
}

/// Per-replicate results written by `concurrentPerform` workers, one slot each.
/// `@unchecked Sendable`: every worker writes only its own index under the lock.
final class ReplicateSlots: @unchecked Sendable {
    private var slots: [RegimeCell.Replicate?]
    private var errors: [(Int, any Error)] = []
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ index: Int, _ value: RegimeCell.Replicate) { lock.withLock { slots[index] = value } }
    func fail(_ index: Int, _ error: any Error) { lock.withLock { errors.append((index, error)) } }
    var values: [RegimeCell.Replicate] { lock.withLock { slots.map { $0! } } }
    var firstError: (any Error)? { lock.withLock { errors.min { $0.0 < $1.0 }?.1 } }
}
