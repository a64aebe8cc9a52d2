import Foundation
import HarnessCore
import ImageDatasets

extension SinkhornConvergenceExperiment {
    /// A preset of `suites/sinkhorn.toml`, decoded strictly (unknown keys are errors).
    public struct Parameters: Encodable, Sendable {
        public var cases: [TransportCase]
        /// Sizes of the generated cases; the image cases are always 28 × 28 = 784.
        public var n: [Int]
        public var eta: [Double]
        public var targetError: Double
        public var maxSinkhornIterations: Int
        /// Defaults for every case; `perCase` overrides them (`settings(for:)`).
        public var warmupSinkhornSteps: Int
        public var maxNewtonIterations: Int
        /// ρ·n of Alg. 1's keep-count rule: SNS keeps ρn² = `rhoN`·n Hessian entries (paper: ρ = 2/n).
        public var rhoN: Double
        public var perCase: [CaseSettings]
        /// Ours: the mass budget whose kept fraction is reported as a diagnostic (never the SNS rule).
        public var diagnosticDroppedMass: Double
        /// Random-assignment instances per (n, η) behind the stochastic metrics (1: none).
        public var replicates: Int
        /// η values of the sparsity sweep (dropped mass at the switch against η, at each case's N₁).
        public var sparsityEta: [Double]
        /// Warm-up lengths of the sparsity sweep, as multiples of each case's N₁ (at the largest `eta`).
        public var sparsityWarmupFactors: [Int]
        /// Where the Fashion-MNIST IDX files are (Debian's `dataset-fashion-mnist` by default).
        public var fashionMnistDirectory: String
        /// Grey levels added to every pixel before normalising an image into a marginal.
        public var pixelFloor: Double

        enum CodingKeys: String, CodingKey {
            case cases, n, eta, targetError = "target_error", maxSinkhornIterations = "max_sinkhorn_iterations"
            case warmupSinkhornSteps = "warmup_sinkhorn_steps", maxNewtonIterations = "max_newton_iterations"
            case rhoN = "rho_n", perCase = "per_case", diagnosticDroppedMass = "diagnostic_dropped_mass"
            case replicates, sparsityEta = "sparsity_eta", sparsityWarmupFactors = "sparsity_warmup_factors"
            case fashionMnistDirectory = "fashion_mnist_dir", pixelFloor = "pixel_floor"
        }

        /// The settings `kind` runs with: its `per_case` entry, else the preset's defaults.
        public func settings(for kind: TransportCase) -> CaseSettings {
            perCase.first { $0.kind == kind }
                ?? CaseSettings(kind: kind, rhoN: rhoN, warmupSinkhornSteps: warmupSinkhornSteps, maxNewtonIterations: maxNewtonIterations)
        }

        /// The sizes `kind` runs at.
        public func sizes(for kind: TransportCase) -> [Int] { kind.fixedSize.map { [$0] } ?? n }
    }

    /// Alg. 1's per-problem settings (`[presets.<name>.per_case.<case>]`).
    public struct CaseSettings: Encodable, Sendable, Equatable {
        public var kind: TransportCase
        public var rhoN: Double
        public var warmupSinkhornSteps: Int
        public var maxNewtonIterations: Int

        enum CodingKeys: String, CodingKey {
            case kind = "case", rhoN = "rho_n", warmupSinkhornSteps = "warmup_sinkhorn_steps", maxNewtonIterations = "max_newton_iterations"
        }

        public var sparsification: SparsificationRule { .keepCount(perRow: rhoN) }
    }

    /// n above which one n × n Float64 matrix exceeds 1 GiB; the solvers hold about four.
    static let largestSize = 11_585

    public static func decodeParameters(_ table: ParameterTable) throws -> Parameters {
        let cases: [TransportCase] = try table.required("cases")
        let warmup: Int = try table.value("warmup_sinkhorn_steps", default: 20)
        let maxNewton: Int = try table.value("max_newton_iterations", default: 100)
        let rhoN: Double = try table.value("rho_n", default: 2)
        var perCase: [CaseSettings] = []
        if let overrides = try table.optionalTable("per_case") {
            for key in overrides.keys {
                let entry = try overrides.table(key)
                guard let kind = TransportCase(rawValue: key) else {
                    throw overrides.error(key, "unknown case", hint: "cases: \(TransportCase.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                perCase.append(CaseSettings(
                    kind: kind, rhoN: try entry.value("rho_n", default: rhoN),
                    warmupSinkhornSteps: try entry.value("warmup_sinkhorn_steps", default: warmup),
                    maxNewtonIterations: try entry.value("max_newton_iterations", default: maxNewton)))
                try entry.finish()
                try check(perCase.last!, table: entry)
            }
            try overrides.finish()
        }
        let parameters = Parameters(
            cases: cases,
            n: try table.required("n"),
            eta: try table.required("eta"),
            targetError: try table.value("target_error", default: 1e-10),
            maxSinkhornIterations: try table.required("max_sinkhorn_iterations"),
            warmupSinkhornSteps: warmup, maxNewtonIterations: maxNewton, rhoN: rhoN,
            perCase: perCase.sorted { a, b in (cases.firstIndex(of: a.kind) ?? .max, a.kind.rawValue) < (cases.firstIndex(of: b.kind) ?? .max, b.kind.rawValue) },
            diagnosticDroppedMass: try table.value("diagnostic_dropped_mass", default: 1e-7),
            replicates: try table.value("replicates", default: 1),
            sparsityEta: try table.value("sparsity_eta", default: []),
            sparsityWarmupFactors: try table.value("sparsity_warmup_factors", default: []),
            fashionMnistDirectory: try table.value("fashion_mnist_dir", default: FashionMNIST.defaultDirectory),
            pixelFloor: try table.value("pixel_floor", default: 1))
        try table.finish()
        if parameters.cases.isEmpty { throw table.error("cases", "name at least one case") }
        if let bad = parameters.n.first(where: { $0 < 2 || $0 > largestSize }) {
            throw table.error("n", "size \(bad) out of range 2…\(largestSize) (an n × n Float64 matrix takes 8n² bytes and the solvers hold about four)")
        }
        for key in ["eta", "sparsity_eta"] {
            let values = key == "eta" ? parameters.eta : parameters.sparsityEta
            if let bad = values.first(where: { !($0 > 0) || !$0.isFinite }) {
                throw table.error(key, "inverse regularisation must be positive and finite, got \(bad)")
            }
        }
        if parameters.eta.isEmpty { throw table.error("eta", "name at least one η") }
        if !(parameters.targetError > 0) { throw table.error("target_error", "must be positive, got \(parameters.targetError)") }
        if parameters.maxSinkhornIterations < 1 { throw table.error("max_sinkhorn_iterations", "must be at least 1") }
        try check(CaseSettings(kind: cases[0], rhoN: rhoN, warmupSinkhornSteps: warmup, maxNewtonIterations: maxNewton), table: table)
        if !(parameters.diagnosticDroppedMass >= 0 && parameters.diagnosticDroppedMass < 1) {
            throw table.error("diagnostic_dropped_mass", "must be in [0, 1), got \(parameters.diagnosticDroppedMass)")
        }
        if parameters.replicates < 1 { throw table.error("replicates", "must be at least 1, got \(parameters.replicates)") }
        if let bad = parameters.sparsityWarmupFactors.first(where: { $0 < 1 }) {
            throw table.error("sparsity_warmup_factors", "multiples of N₁ must be at least 1, got \(bad)")
        }
        if !(parameters.pixelFloor > 0) || !parameters.pixelFloor.isFinite {
            throw table.error("pixel_floor", "must be positive (a zero-mass pixel has no finite potential), got \(parameters.pixelFloor)")
        }
        try checkBounds(parameters, table)
        return parameters
    }

    private static func check(_ settings: CaseSettings, table: ParameterTable) throws {
        if !(settings.rhoN > 0) || !settings.rhoN.isFinite {
            throw table.error("rho_n", "ρ·n (entries kept per row) must be positive, got \(settings.rhoN)")
        }
        if !(0...100_000).contains(settings.warmupSinkhornSteps) {
            throw table.error("warmup_sinkhorn_steps", "must be in 0…100000, got \(settings.warmupSinkhornSteps)")
        }
        if !(1...100_000).contains(settings.maxNewtonIterations) {
            throw table.error("max_newton_iterations", "must be in 1…100000, got \(settings.maxNewtonIterations)")
        }
        if !(settings.rhoN <= 1e6) { throw table.error("rho_n", "ρ·n must be at most 1e6 (every entry of an n ≤ 11585 row), got \(settings.rhoN)") }
    }
}
