/// The peer implementations `claimbench perf --peers` compares with, by workload kind: the
/// script in `peers/` that runs them, the names of its peers, and the agreement bound of issue 12
/// (the largest difference of the outputs relative to the largest |ours|).
struct PeerScript: Sendable, Equatable {
    /// `PeerWorkload.kind` of the workloads the script reads.
    var kind: String
    /// File name in `peers/`.
    var script: String
    /// Row names in `peers.csv`, in order; every one gets a row for every case, whatever happens.
    var peers: [String]
    var bound: Double

    static let all: [PeerScript] = [
        // POT's transport cost on the same cost matrix after the same iterations.
        PeerScript(kind: "sinkhorn", script: "sinkhorn_pot.py", peers: ["pot.sinkhorn", "pot.sinkhorn_log"], bound: 1e-8),
        // Log kernel sums (log-densities up to a constant), Float64.
        PeerScript(kind: "kde", script: "kde_numpy.py", peers: ["numpy.blocked"], bound: 1e-10),
        // h at every step, Float32 on both sides.
        PeerScript(kind: "lstm", script: "lstm_torch.py", peers: ["torch.nn.LSTM", "torch.eager-loop"], bound: 1e-4),
    ]

    static func script(forKind kind: String) -> PeerScript? { all.first { $0.kind == kind } }
}
