import LinearAlgebra
import VectorKernels

/// The CPU analogue of FlashRNN's ConstrINT tiling optimiser (Sec. 4): an integer choice of tile
/// sizes under divisibility and cache-capacity constraints, made once per shape.
///
/// The fused kernel (`vk_rnn_fused_f32`) runs one work item per (head, batch tile) through all T
/// steps and, per step, reads the head's R once per batch tile (panel by panel, each panel reused
/// from L1 by every register block of the tile's rows). Choices:
/// - `batchTile` divides B: the largest divisor whose tile (its R·h accumulators G_R·D, its
///   states and h per row) fits half the L2 and that still leaves at least one work item per
///   thread (N · B / batchTile ≥ threads); 1 (the most items) when no divisor does or none fits.
///   A larger tile reads R fewer times per step.
/// - `columnTile`: the width of R's packed panels (`vk_rnn_panel_columns`: about 16 KiB of
///   D × columns, a multiple of 16, at most G_R·D; the last panel of a head may be narrower).
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
        let tileBudget = cache.l2 / 2
        let rowBytes = (gateWidth + (cell.stateCount + 1) * d) * floatBytes
        let divisors = Self.divisors(of: shape.batch)
        let fitting = divisors.filter { $0 * rowBytes <= tileBudget }
        let busy = fitting.filter { shape.heads * (shape.batch / $0) >= threads }
        batchTile = busy.last ?? 1
        columnTile = min(gateWidth, vk_rnn_panel_columns(d))

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
