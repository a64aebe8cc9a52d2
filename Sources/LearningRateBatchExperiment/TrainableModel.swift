import HarnessCore

/// A model whose loss on a batch is the mean of per-sample losses, with its gradient written
/// out by hand (backpropagation on top of LinearAlgebra's GEMM/GEMV).
///
/// Parameters are one flat vector, so optimisers, Hessian–vector products and Lanczos treat
/// every model alike.
public protocol TrainableModel: Sendable {
    /// P, the number of parameters.
    var parameterCount: Int { get }
    /// Parameters at initialisation, drawn from `stream`.
    func initialParameters(_ stream: RandomStream) -> [Double]
    /// The mean loss over `batch`.
    func loss(_ parameters: [Double], on batch: Dataset) -> Double
    /// The mean loss over `batch` and its gradient with respect to the parameters.
    func lossAndGradient(_ parameters: [Double], on batch: Dataset) -> (loss: Double, gradient: [Double])
}

/// The models of the suite: a smooth non-convex model on synthetic and on real data, and a convex control.
public enum ModelKind: String, ManifestEnum, Encodable, Sendable {
    /// A two-layer tanh MLP on teacher–student regression data (squared loss).
    case mlp
    /// The same MLP with softplus hidden units, unbounded above (no saturation to hide in).
    case mlpSoftplus = "mlp-softplus"
    /// Logistic regression on data labelled by a logistic teacher (the convex control).
    case logistic
    /// The tanh MLP on a subsample of Fashion-MNIST's training images (`FashionMNISTTask`).
    case fashionMNIST = "fashion-mnist"
}
