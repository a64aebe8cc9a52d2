import Foundation
import HarnessCore

/// The repository a command works in: its suite registry, result store and result cache.
struct Workspace {
    let root: URL
    let store: ResultStore
    let declarations: [SuiteDeclaration]
    let experiments: [RegisteredExperiment]
    /// The code fingerprint of each module (this build's; tests give their own experiments one).
    let codeFingerprints: CodeFingerprints

    /// Opens `root` (default: the current directory), loading and validating every declaration.
    init(root path: String?, experiments: [RegisteredExperiment] = ExperimentRegistry.all, codeFingerprints: CodeFingerprints = .built) throws {
        let root = URL(fileURLWithPath: path ?? FileManager.default.currentDirectoryPath).standardizedFileURL
        let suites = root.appendingPathComponent("suites")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: suites.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("no suites/ directory in \(root.path): run claimbench from the repository root, or pass --root <repo>", status: .usage)
        }
        self.root = root
        store = ResultStore(repositoryRoot: root)
        self.experiments = experiments
        self.codeFingerprints = codeFingerprints
        declarations = try SuiteRegistry.loadAll(in: suites)
        for declaration in declarations { _ = try experiment(for: declaration) }
    }

    /// The experiment a declaration names, or an error naming the file and key.
    func experiment(for declaration: SuiteDeclaration) throws -> RegisteredExperiment {
        try ExperimentRegistry.experiment(for: declaration, in: experiments)
    }

    /// The named suites in the order given, or all of them when none is named.
    func select(_ names: [String]) throws -> [SuiteDeclaration] {
        guard !names.isEmpty else { return declarations }
        return try names.map { name in
            guard let declaration = declarations.first(where: { $0.id.rawValue == name }) else {
                throw CLIError(
                    "unknown suite \"\(name)\"; suites: \(declarations.map(\.id.rawValue).joined(separator: ", ")) (see `claimbench list`)",
                    status: .usage)
            }
            return declaration
        }
    }

    func displayPath(_ url: URL) -> String { store.displayPath(url) }

    /// `results/cache`, git-ignored (docs/ARCHITECTURE.md, "Result cache").
    var cache: UnitCache { UnitCache(directory: root.appendingPathComponent("results/cache")) }
}
