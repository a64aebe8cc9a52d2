import Foundation

/// One workload a benchmark hands to the peer scripts of `claimbench perf --peers`: the inputs
/// it timed, its own outputs on them, and the metric holding its own time, written as a
/// directory of `.npy` files (`NumPyArray`) and a `workload.json` manifest.
///
/// Manifest (format 1), read by `peers/common.py`:
/// `{"format": 1, "kind": "sinkhorn", "workload": "sinkhorn/n=500", "parameters": {…numbers…},
///   "inputs": {"cost": "cost.npy", …}, "cases": [{"name": …, "ours_metric": …, "ours_output": …,
///   "parameters": {…}, "inputs": {…}}]}`. A case is one row of `peers.csv` per peer: the
/// workload-level parameters and inputs apply to every case, a case's own override them.
public struct PeerWorkload: Sendable {
    /// Which peer scripts read it: `sinkhorn`, `kde`, `lstm`.
    public var kind: String
    /// The workload's name, e.g. `sinkhorn/n=500`; also names its directory.
    public var name: String
    public var parameters: [String: Double]
    /// Input arrays by role; the file is `<role>.npy`.
    public var inputs: [String: NumPyArray]
    public var cases: [Case]

    public struct Case: Sendable {
        /// The `workload` column of `peers.csv`.
        public var name: String
        /// The benchmark metric holding our time for exactly this computation (median seconds).
        public var oursMetric: MetricName
        /// Our output on these inputs, compared with each peer's.
        public var oursOutput: NumPyArray
        public var parameters: [String: Double]
        public var inputs: [String: NumPyArray]

        public init(name: String, oursMetric: MetricName, oursOutput: NumPyArray,
                    parameters: [String: Double] = [:], inputs: [String: NumPyArray] = [:]) {
            self.name = name
            self.oursMetric = oursMetric
            self.oursOutput = oursOutput
            self.parameters = parameters
            self.inputs = inputs
        }
    }

    public init(kind: String, name: String, parameters: [String: Double] = [:], inputs: [String: NumPyArray], cases: [Case]) {
        self.kind = kind
        self.name = name
        self.parameters = parameters
        self.inputs = inputs
        self.cases = cases
    }

    /// `sinkhorn/n=500` → `sinkhorn_n=500`: a workload's directory name.
    public static func directoryName(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || "=-_.".contains($0) ? $0 : "_" })
    }
}

/// Where a benchmark hands its peer workloads in `claimbench perf --peers`; `nil` in `RunContext`
/// otherwise, so benchmarks export nothing in plain `perf` runs. Experiments only `submit` values:
/// the harness's sink writes the files (`PeerExport.writing(to:)`), so experiment modules still
/// never open files.
public struct PeerExport: Sendable {
    private let sink: @Sendable (PeerWorkload) throws -> Void

    public init(_ sink: @escaping @Sendable (PeerWorkload) throws -> Void) { self.sink = sink }

    /// Hands `workload` to the sink.
    public func submit(_ workload: PeerWorkload) throws { try sink(workload) }

    /// The sink of `perf --peers`: each workload written under `directory` (`write(_:to:)`).
    public static func writing(to directory: URL) -> PeerExport {
        PeerExport { workload in try write(workload, to: directory) }
    }

    /// Writes `workload` under `directory/<directoryName>/` and returns that directory.
    @discardableResult
    public static func write(_ workload: PeerWorkload, to directory: URL) throws -> URL {
        let folder = directory.appendingPathComponent(PeerWorkload.directoryName(workload.name))
        var manifestInputs: [String: String] = [:]
        for role in workload.inputs.keys.sorted() {
            try workload.inputs[role]!.write(to: folder.appendingPathComponent("\(role).npy"))
            manifestInputs[role] = "\(role).npy"
        }
        var cases: [ManifestCase] = []
        for (index, item) in workload.cases.enumerated() {
            let output = "ours_\(index).npy"
            try item.oursOutput.write(to: folder.appendingPathComponent(output))
            var inputs: [String: String] = [:]
            for role in item.inputs.keys.sorted() {
                let file = "\(role)_\(index).npy"
                try item.inputs[role]!.write(to: folder.appendingPathComponent(file))
                inputs[role] = file
            }
            cases.append(ManifestCase(name: item.name, oursMetric: item.oursMetric.rawValue, oursOutput: output,
                                      parameters: item.parameters, inputs: inputs))
        }
        let manifest = Manifest(format: 1, kind: workload.kind, workload: workload.name, parameters: workload.parameters,
                                inputs: manifestInputs, cases: cases)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(manifest), to: folder.appendingPathComponent("workload.json"))
        return folder
    }

    /// `workload.json` as written and read back.
    public struct Manifest: Codable, Sendable, Equatable {
        public var format: Int
        public var kind: String
        public var workload: String
        public var parameters: [String: Double]
        public var inputs: [String: String]
        public var cases: [ManifestCase]
    }

    public struct ManifestCase: Codable, Sendable, Equatable {
        public init(name: String, oursMetric: String, oursOutput: String, parameters: [String: Double], inputs: [String: String]) {
            self.name = name
            self.oursMetric = oursMetric
            self.oursOutput = oursOutput
            self.parameters = parameters
            self.inputs = inputs
        }

        public var name: String
        public var oursMetric: String
        public var oursOutput: String
        public var parameters: [String: Double]
        public var inputs: [String: String]

        enum CodingKeys: String, CodingKey {
            case name, oursMetric = "ours_metric", oursOutput = "ours_output", parameters, inputs
        }
    }

    /// Reads `workload.json` in `folder`; errors name the file.
    public static func manifest(in folder: URL) throws -> Manifest {
        let url = folder.appendingPathComponent("workload.json")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PeerFileError(path: url.path, problem: "cannot read the workload manifest (rerun `claimbench perf --peers`)")
        }
        do {
            return try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            throw PeerFileError(path: url.path, problem: "not a workload manifest (\(error)); rerun `claimbench perf --peers`")
        }
    }
}

/// A peer-exchange file that cannot be read: names the file and what to do.
public struct PeerFileError: Error, CustomStringConvertible {
    public var path: String
    public var problem: String
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }
    public var description: String { "\(path): \(problem)" }
}
