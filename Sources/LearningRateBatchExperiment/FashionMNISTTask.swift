import HarnessCore
import LinearAlgebra

/// Real images for the suite's MLP: a subsample of Fashion-MNIST (Xiao et al. 2017), pooled and
/// standardised, with a ±1 target. The paper's experiments use CIFAR-100/ImageNet networks
/// (Granziol et al. 2020, Sec. 7–8), which are out of reach here; this puts "linear for SGD,
/// √B for Adam" to the test on real data with the same hand-written tanh MLP and squared loss.
///
/// - Images: `samples` of the training split, drawn without replacement from the run's stream.
/// - Inputs: each `pooling` × `pooling` block of grey levels averaged (2: 28×28 → 14×14 = 196
///   inputs), then every input standardised to zero mean and unit variance over the subsample
///   (an input that is constant there becomes 0), so the LeCun initialisation sees unit-scale inputs
///   as on the synthetic data.
/// - Target: +1 for the upper-body garments (T-shirt/top, pullover, coat, shirt: labels 0, 2, 4,
///   6), −1 for the rest (trouser, dress, sandal, sneaker, bag, ankle boot), a scalar target for
///   `TwoLayerMLP`'s squared loss. Shirts against dresses and coats makes it a non-trivial task.
public enum FashionMNISTTask {
    public static let upperBodyLabels: [UInt8] = [0, 2, 4, 6]

    /// The task's data set from the split's raw bytes (`count` images of `side` × `side` pixels,
    /// row-major, one after another).
    public static func dataset(
        pixels: [UInt8], labels: [UInt8], side: Int, samples n: Int, pooling: Int, stream: RandomStream
    ) -> Dataset {
        let count = labels.count
        precondition(pixels.count == count * side * side, "Fashion-MNIST: \(pixels.count) pixels for \(count) images of \(side)²")
        precondition(side % pooling == 0, "pooling \(pooling) does not divide the image side \(side)")
        precondition(n >= 2 && n <= count, "Fashion-MNIST: asked for \(n) of \(count) images")
        var draw = stream
        let chosen = BatchSampler.subset(size: n, of: count, stream: &draw)
        let pooled = side / pooling, d = pooled * pooled
        var inputs = [Double](repeating: 0, count: n * d)
        let scale = 1 / (255 * Double(pooling * pooling))
        for (row, image) in chosen.enumerated() {
            let base = image * side * side
            for r in 0..<side {
                for c in 0..<side {
                    inputs[row * d + (r / pooling) * pooled + c / pooling] += Double(pixels[base + r * side + c]) * scale
                }
            }
        }
        standardiseColumns(&inputs, rows: n, columns: d)
        let targets = chosen.map { upperBodyLabels.contains(labels[$0]) ? 1.0 : -1.0 }
        return Dataset(inputs: Matrix(rows: n, columns: d, elements: inputs), targets: targets)
    }

    /// x ← (x − mean)/sd per column; a column with zero variance becomes 0.
    static func standardiseColumns(_ x: inout [Double], rows: Int, columns: Int) {
        for j in 0..<columns {
            var mean = 0.0
            for i in 0..<rows { mean += x[i * columns + j] }
            mean /= Double(rows)
            var variance = 0.0
            for i in 0..<rows { variance += (x[i * columns + j] - mean) * (x[i * columns + j] - mean) }
            let sd = (variance / Double(rows)).squareRoot()
            for i in 0..<rows { x[i * columns + j] = sd > 0 ? (x[i * columns + j] - mean) / sd : 0 }
        }
    }
}
