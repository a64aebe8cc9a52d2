import HarnessCore

/// Mini-batches drawn without replacement from epochs of a stream-driven permutation:
/// the usual SGD data order, reproducible from the run's seed (never `shuffle()`).
public struct BatchSampler {
    public let sampleCount: Int
    public let batchSize: Int
    private var stream: RandomStream
    private var order: [Int]
    private var position: Int

    public init(sampleCount: Int, batchSize: Int, stream: RandomStream) {
        precondition(batchSize >= 1 && batchSize <= sampleCount, "batch size \(batchSize) must be in 1…\(sampleCount)")
        self.sampleCount = sampleCount
        self.batchSize = batchSize
        self.stream = stream
        order = Array(0..<sampleCount)
        position = sampleCount  // reshuffle on first use
    }

    /// The next batch's indices. An epoch's tail shorter than a batch is dropped.
    public mutating func next() -> [Int] {
        if position + batchSize > sampleCount {
            stream.shuffle(&order)
            position = 0
        }
        defer { position += batchSize }
        return Array(order[position ..< position + batchSize])
    }

    /// `size` distinct indices in 0..<n: the first `size` entries of a partial Fisher–Yates shuffle.
    public static func subset(size: Int, of n: Int, stream: inout RandomStream) -> [Int] {
        precondition(size >= 1 && size <= n, "subset size \(size) must be in 1…\(n)")
        var pool = Array(0..<n)
        for i in 0..<size { pool.swapAt(i, i + stream.integer(below: n - i)) }
        return Array(pool[0..<size])
    }
}
