import Foundation
import HarnessCore
import ImageDatasets
import LinearAlgebra

/// Optimal transport between two grey-level images on their pixel grid: the "MNIST L1" and
/// "MNIST L2" rows of Tang et al. (2024), Table 1 (n = 28 × 28 = 784), here on Fashion-MNIST,
/// since MNIST itself is not packaged for Debian and cannot be fetched here.
///
/// Marginals: each image's grey levels plus a floor of `pixelFloor` grey levels, normalised to
/// sum to one. The floor keeps every pixel, so n stays 784 for every pair (dropping zero pixels
/// would change n from image to image), and keeps the marginals positive, as entropic OT needs
/// (a zero-mass pixel has potential −∞). How the paper handles zero pixels could not be checked.
///
/// Ground costs between pixels (a, b) and (a', b') of the 28 × 28 grid, divided by their largest
/// value so that C ∈ [0, 1], as for the other cases:
/// - L1: |a − a'| + |b − b'| (largest 54);
/// - L2: (a − a')² + (b − b')² (largest 2 · 27² = 1458), the ground cost of W₂.
public enum ImageTransportProblem {
    public enum GroundCost: String, Sendable {
        case l1, l2
    }

    /// The n × n cost on a `side` × `side` pixel grid, row-major pixel order, scaled to [0, 1].
    public static func gridCost(_ ground: GroundCost, side: Int) -> Matrix {
        let largest = ground == .l1 ? Double(2 * (side - 1)) : Double(2 * (side - 1) * (side - 1))
        return Matrix(rows: side * side, columns: side * side) { p, q in
            let da = Double(abs(p / side - q / side)), db = Double(abs(p % side - q % side))
            return (ground == .l1 ? da + db : da * da + db * db) / largest
        }
    }

    /// Grey levels plus `floor`, normalised to sum to one.
    public static func marginal(_ pixels: some Collection<UInt8>, floor: Double) -> [Double] {
        let raw = pixels.map { Double($0) + floor }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }

    /// Two distinct image indices in 0..<count, drawn from `stream`.
    public static func pair(count: Int, stream: inout RandomStream) -> (Int, Int) {
        precondition(count >= 2, "need at least two images to draw a pair")
        func draw() -> Int { min(count - 1, Int(stream.uniform() * Double(count))) }
        let first = draw()
        var second = draw()
        while second == first { second = draw() }
        return (first, second)
    }

    /// The problem between images `pair` of `images` at inverse regularisation η.
    public static func make(_ ground: GroundCost, images: LabelledImages, pair: (Int, Int), pixelFloor: Double, eta: Double) throws -> EntropicOTProblem {
        precondition(images.rows == images.columns, "square images expected")
        return try EntropicOTProblem(
            source: marginal(images.image(pair.0), floor: pixelFloor),
            target: marginal(images.image(pair.1), floor: pixelFloor),
            cost: gridCost(ground, side: images.rows), eta: eta)
    }
}
