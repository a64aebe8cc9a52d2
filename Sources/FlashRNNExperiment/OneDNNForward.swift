import OneDNNRNN

/// Why oneDNN cannot run a problem.
public enum OneDNNError: Error, CustomStringConvertible {
    case noCounterpart(RNNCell)
    case library(String)

    public var description: String {
        switch self {
        case .noCounterpart(let cell):
            "\(cell.displayName) has no oneDNN RNN primitive (oneDNN has LSTM, GRU and vanilla RNN): drop it from the cells compared with oneDNN"
        case .library(let message):
            "\(message): check that libdnnl-dev is installed (scripts/install-deps.sh)"
        }
    }
}

/// The rnn suite's vendor baseline: one forward pass through oneDNN's RNN primitives, the CPU
/// counterpart of the cuDNN comparison in FlashRNN (Pöppel, Beck & Hochreiter 2024, Sec. 5), on
/// the same Float32 Wx, R and b as our passes (`OneDNNWeights` maps the tensors and says how).
///
/// Preparing (the initializer, not timed) builds the primitive, reorders every weight tensor
/// into the layout oneDNN prefers, and cuts Wx into the per-head src_layer slices. `execute`
/// (timed) runs the primitive: once per head for `.perHead`, once for `.dense`; heads run one
/// after another, each using oneDNN's `threads` OpenMP threads (set before every call, since the
/// OpenMP thread count is per calling thread). `output` converts oneDNN's results back to ours.
public final class OneDNNForward: @unchecked Sendable {
    public let shape: RNNShape
    public let layout: OneDNNLayout
    private let handle: OpaquePointer
    private let instances: Int, channels: Int
    private let sources: UnsafeMutableBufferPointer<Float>
    private let dstLayer: UnsafeMutableBufferPointer<Float>
    private let dstIter: UnsafeMutableBufferPointer<Float>
    private let dstIterC: UnsafeMutableBufferPointer<Float>

    public static func supports(_ cell: RNNCell) -> Bool { OneDNNWeights.gateMap(cell) != nil }

    public init(_ problem: RNNProblem, layout: OneDNNLayout, threads: Int) throws {
        let shape = problem.shape
        guard let map = OneDNNWeights.gateMap(shape.cell) else { throw OneDNNError.noCounterpart(shape.cell) }
        let kind: onednn_rnn_cell = switch shape.cell {
        case .lstm: ONEDNN_RNN_LSTM
        case .gru: ONEDNN_RNN_LBR_GRU
        default: ONEDNN_RNN_TANH
        }
        let (tb, g) = (shape.steps * shape.batch, shape.cell.inputGates)
        let perHead = layout == .perHead
        let instances = perHead ? shape.heads : 1, channels = perHead ? shape.headDim : shape.hidden
        let source = perHead ? (0..<shape.heads).flatMap { OneDNNWeights.headInputs(problem, head: $0) } : problem.inputs
        let weightsLayer = OneDNNWeights.selection(map, channels: channels)
        let weightsIter = perHead ? (0..<shape.heads).flatMap { OneDNNWeights.headRecurrent(problem, map: map, head: $0) }
            : OneDNNWeights.denseRecurrent(problem, map: map)
        let bias = (0..<instances).flatMap { OneDNNWeights.bias(problem, map: map, first: $0 * channels, channels: channels) }
        // The selection matrix is the same for every instance.
        let allLayers = Array((0..<instances).map { _ in weightsLayer }.joined())
        var message = [CChar](repeating: 0, count: 512)
        let created = onednn_rnn_create(kind, Int32(shape.steps), Int32(shape.batch), Int32(g * channels), Int32(channels),
                                        Int32(instances), allLayers, weightsIter, bias, Int32(max(1, threads)), &message, message.count)
        guard let created else { throw OneDNNError.library(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)) }
        self.shape = shape
        self.layout = layout
        self.handle = created
        self.instances = instances
        self.channels = channels
        sources = .allocate(capacity: source.count)
        _ = sources.initialize(from: source)
        dstLayer = .allocate(capacity: instances * tb * channels)
        dstLayer.initialize(repeating: 0)
        dstIter = .allocate(capacity: instances * shape.batch * channels)
        dstIter.initialize(repeating: 0)
        dstIterC = .allocate(capacity: instances * shape.batch * channels)
        dstIterC.initialize(repeating: 0)
    }

    deinit {
        onednn_rnn_destroy(handle)
        for buffer in [sources, dstLayer, dstIter, dstIterC] { buffer.deallocate() }
    }

    /// One forward pass in oneDNN's layouts (what the throughput sweep times).
    public func execute() {
        let (tb, b) = (shape.steps * shape.batch, shape.batch)
        let sourceStride = tb * shape.cell.inputGates * channels
        for k in 0..<instances {
            let status = onednn_rnn_execute(handle, Int32(k), sources.baseAddress! + k * sourceStride,
                                            dstLayer.baseAddress! + k * tb * channels, dstIter.baseAddress! + k * b * channels,
                                            dstIterC.baseAddress! + k * b * channels)
            precondition(status == 0, "oneDNN: executing the \(shape.cell.displayName) primitive failed with status \(status)")
        }
    }

    /// The last `execute`'s results as ours: h at every step [T][B][N][D] and the final states [S][B][N][D].
    public func output() -> RNNOutput<Float> {
        let (tb, b, h, c) = (shape.steps * shape.batch, shape.batch, shape.hidden, channels)
        var outputs = [Float](repeating: 0, count: shape.outputCount)
        var states = [Float](repeating: 0, count: shape.stateCount)
        for k in 0..<instances {
            for row in 0..<tb {
                for j in 0..<c { outputs[row * h + k * c + j] = dstLayer[(k * tb + row) * c + j] }
            }
            for batch in 0..<b {
                for j in 0..<c {
                    states[batch * h + k * c + j] = dstIter[(k * b + batch) * c + j]
                    if shape.cell == .lstm { states[b * h + batch * h + k * c + j] = dstIterC[(k * b + batch) * c + j] }
                }
            }
        }
        return RNNOutput(outputs: outputs, finalStates: states)
    }

    public func run() -> RNNOutput<Float> {
        execute()
        return output()
    }

    /// The implementation oneDNN chose for this primitive (its `impl_info_str`).
    public var implementation: String { String(cString: onednn_rnn_implementation(handle)) }

    /// "oneDNN 2.6.3 (hash N/A), CPU runtime OpenMP, ISA AVX2, thread count set per call": the
    /// library loaded at run time and the instruction set its JIT kernels use here.
    public static var libraryDescription: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        var hash: UnsafePointer<CChar>?
        onednn_version(&major, &minor, &patch, &hash)
        let threads = onednn_threads_settable() != 0 ? "thread count set per call" : "thread count NOT settable"
        return "oneDNN \(major).\(minor).\(patch) (hash \(hash.map { String(cString: $0) } ?? "none")), CPU runtime \(String(cString: onednn_cpu_runtime())), ISA \(String(cString: onednn_cpu_isa())), \(threads)"
    }
}
