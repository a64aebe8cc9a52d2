import HarnessCore
import ImageDatasets
import LinearAlgebra

/// The test problems of Tang et al. (2024), Sec. 6, at sizes this machine can take; all
/// randomness comes from the run's named streams.
public enum TransportCase: String, ManifestEnum, Sendable, Encodable {
    /// Random assignment: uniform marginals, cost C_ij ~ U[0, 1] (Sec. 6, "random assignment").
    case randomAssignment = "random-assignment"
    /// Empirical distributions: two point clouds in R², squared Euclidean cost scaled to [0, 1]
    /// (Sec. 6, "optimal transport between empirical distributions").
    case pointClouds = "point-clouds"
    /// W₁ between two discretised 1-D densities on [0, 1], cost |s − t| (Sec. 6 uses MNIST images;
    /// this is the 1-D stand-in for its "W₁, W₂ of discretised densities").
    case densitiesW1 = "densities-w1"
    /// W₂ between the same densities, cost |s − t|².
    case densitiesW2 = "densities-w2"
    /// Two real 28×28 Fashion-MNIST images, L1 ground cost on the pixel grid (Table 1's "MNIST
    /// L1" row, on Fashion-MNIST; `ImageTransportProblem`). Always n = 784.
    case fashionMnistL1 = "fashion-mnist-l1"
    /// The same pair of images with the squared Euclidean (W₂) ground cost (Table 1's "MNIST L2").
    case fashionMnistL2 = "fashion-mnist-l2"

    /// The fixed size of an image case (28 × 28 pixels); nil for cases sized by the preset's `n`.
    public var fixedSize: Int? {
        switch self {
        case .fashionMnistL1, .fashionMnistL2: FashionMNIST.rows * FashionMNIST.columns
        default: nil
        }
    }
}

/// The images the image cases draw their pairs from, and the floor added to every pixel.
public struct ImageInputs: Sendable {
    public var images: LabelledImages
    public var pixelFloor: Double

    public init(images: LabelledImages, pixelFloor: Double) {
        self.images = images
        self.pixelFloor = pixelFloor
    }
}

public enum ProblemGenerator {
    /// The problem `kind` of size n × n at inverse regularisation η, drawn from `streams`. The
    /// image cases need `images` and ignore n (they are 784 × 784); both draw the same pair of
    /// test-split images, from stream `sinkhorn/fashion-mnist/pair`, so L1 and L2 compare.
    public static func make(_ kind: TransportCase, n: Int, eta: Double, streams: RandomStreams, replicate: Int = 0,
                            images: ImageInputs? = nil) throws -> EntropicOTProblem {
        let name = "sinkhorn/\(kind.rawValue)/n=\(n)"
        switch kind {
        case .fashionMnistL1, .fashionMnistL2:
            guard let images else { preconditionFailure("the image case \(kind.rawValue) needs images") }
            let pair = imagePair(count: images.images.count, streams: streams, replicate: replicate)
            return try ImageTransportProblem.make(
                kind == .fashionMnistL1 ? .l1 : .l2, images: images.images, pair: pair, pixelFloor: images.pixelFloor, eta: eta)
        case .randomAssignment:
            let uniform = [Double](repeating: 1 / Double(n), count: n)
            let cost = streams.stream(name + "/cost", replicate: replicate).uniforms(n * n)
            return try EntropicOTProblem(source: uniform, target: uniform, cost: Matrix(rows: n, columns: n, elements: cost), eta: eta)
        case .pointClouds:
            // Source: standard normal cloud; target: a two-component mixture, shifted.
            let stream = streams.stream(name + "/points", replicate: replicate)
            let normals = stream.normals(4 * n)
            let source = (0..<n).map { (normals[2 * $0], normals[2 * $0 + 1]) }
            let target = (0..<n).map { i -> (Double, Double) in
                let side = i % 2 == 0 ? -1.5 : 1.5
                return (0.6 * normals[2 * n + 2 * i] + side, 0.6 * normals[2 * n + 2 * i + 1] + 1)
            }
            var cost = Matrix(rows: n, columns: n) { i, j in
                let dx = source[i].0 - target[j].0, dy = source[i].1 - target[j].1
                return dx * dx + dy * dy
            }
            let largest = cost.elements.max() ?? 1
            for k in cost.elements.indices { cost.elements[k] /= largest }
            let uniform = [Double](repeating: 1 / Double(n), count: n)
            return try EntropicOTProblem(source: uniform, target: uniform, cost: cost, eta: eta)
        case .densitiesW1, .densitiesW2:
            let grid = (0..<n).map { (Double($0) + 0.5) / Double(n) }
            let source = normalized(grid.map { gaussian($0, mean: 0.3, width: 0.08) + 0.6 * gaussian($0, mean: 0.65, width: 0.12) + 1e-3 })
            let target = normalized(grid.map { gaussian($0, mean: 0.55, width: 0.15) + 1e-3 })
            let cost = Matrix(rows: n, columns: n) { i, j in
                let distance = abs(grid[i] - grid[j])
                return kind == .densitiesW1 ? distance : distance * distance
            }
            return try EntropicOTProblem(source: source, target: target, cost: cost, eta: eta)
        }
    }

    /// The two image indices the image cases use, from stream `sinkhorn/fashion-mnist/pair`.
    public static func imagePair(count: Int, streams: RandomStreams, replicate: Int = 0) -> (Int, Int) {
        var stream = streams.stream("sinkhorn/fashion-mnist/pair", replicate: replicate)
        return ImageTransportProblem.pair(count: count, stream: &stream)
    }

    /// Through `PortableMath.exp`, so the marginals (and `problem_checksum`) are the same on every machine.
    static func gaussian(_ s: Double, mean: Double, width: Double) -> Double {
        PortableMath.exp(-0.5 * (s - mean) * (s - mean) / (width * width))
    }

    static func normalized(_ values: [Double]) -> [Double] {
        let total = values.reduce(0, +)
        return values.map { $0 / total }
    }
}
