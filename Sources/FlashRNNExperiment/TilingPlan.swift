import LinearAlgebra

/// The CPU analogue of FlashRNN's ConstrINT tiling optimiser (Sec. 4): an integer choice of tile
/// sizes under divisibility and cache-capacity constraints, made once per shape.
///
/// The fused kernel runs one work item per (head, batch tile) through all T steps. Choices:
/// - `batchTile` divides B. Its working set (the tile's states, its R·h accumulator and its h)
///   must fit half the L1 data cache; among the divisors that fit, the largest one that still
///   leaves at least one work item per thread (N · B / batchTile ≥ threads); if none fits, 1.
/// - `columnTile` divides G_R·D and is a multiple of 32 (the kernel's four SIMD8 accumulators)
///   when G_R·D is, else of 8 when G_R·D is: the width of the R panel (D × columnTile) reused
///   across the tile's batch rows; the largest such divisor whose panel fits half the L1, or the
///   smallest one when none does (never narrower than the accumulator block).
/// - `itemsPerWorker` = ⌈items / min(threads, items)⌉ contiguous items, `workers` = ⌈items / itemsPerWorker⌉
///   (so no worker is idle).
/// The plan also records whether one head's R (G_R·D²·4 bytes) fits in half of L1 or of L2 (the
/// other half holds Wx, states and outputs streaming past): FlashRNN's speed comes from keeping R
/// resident across steps, which a CPU core can do while R fits L2.
public struct TilingPlan: Sendable, Equatable, Codable {
    public var batchTile: Int
    public var columnTile: Int
    public var workItems: Int
    public var workers: Int
    public var itemsPerWorker: Int
    public var recurrentBytesPerHead: Int
    public var recurrentFitsL1: Bool
    public var recurrentFitsL2: Bool
    public var cache: CacheTopology

    public init(shape: RNNShape, threads: Int, cache: CacheTopology) {
        let cell = shape.cell, d = shape.headDim
        let gateWidth = cell.recurrentGates * d
        let floatBytes = MemoryLayout<Float>.stride
        let l1Budget = cache.l1Data / 2
        let rowBytes = (gateWidth + (cell.stateCount + 1) * d) * floatBytes
        let divisors = Self.divisors(of: shape.batch)
        let fitting = divisors.filter { $0 * rowBytes <= l1Budget }
        let busy = fitting.filter { shape.heads * (shape.batch / $0) >= threads }
        batchTile = busy.last ?? fitting.first ?? 1

        let lane = gateWidth % 32 == 0 ? 32 : (gateWidth % 8 == 0 ? 8 : 1)
        let columnCandidates = Self.divisors(of: gateWidth).filter { $0 % lane == 0 }
        columnTile = columnCandidates.last(where: { d * $0 * floatBytes <= l1Budget }) ?? columnCandidates.first ?? gateWidth

        workItems = shape.heads * (shape.batch / batchTile)
        let available = max(1, min(threads, workItems))
        itemsPerWorker = (workItems + available - 1) / available
        workers = (workItems + itemsPerWorker - 1) / itemsPerWorker
        recurrentBytesPerHead = gateWidth * d * floatBytes
        recurrentFitsL1 = recurrentBytesPerHead <= cache.l1Data / 2
        recurrentFitsL2 = recurrentBytesPerHead <= cache.l2 / 2
        self.cache = cache
    }

    /// The plan as provenance notes.
    public var notes: String {
        "batch_tile=\(batchTile) column_tile=\(columnTile) work_items=\(workItems) workers=\(workers) items_per_worker=\(itemsPerWorker) "
            + "R_bytes_per_head=\(recurrentBytesPerHead) fits_L1=\(recurrentFitsL1) fits_L2=\(recurrentFitsL2) "
            + "L1d=\(cache.l1Data) L2=\(cache.l2) (\(cache.source.rawValue))"
    }

    static func divisors(of n: Int) -> [Int] { (1...max(n, 1)).filter { n % $0 == 0 } }
}
