/// The code fingerprint of every module of this package, computed when the package is built
/// (docs/ARCHITECTURE.md, "Result cache"): Plugins/CodeFingerprintPlugin runs
/// CodeFingerprintTool, which hashes the source files and writes `generated` (in the build
/// folder). A leaf module: it imports nothing, and the CLI turns it into the cache's key part.
public enum ModuleFingerprints {
    public struct Module: Sendable, Equatable {
        /// SHA-256 over the module's own source files (their paths in its folder and bytes).
        public let source: String
        /// SHA-256 over Package.swift and the source hashes of the module and of every module it
        /// imports inside the package, directly or not.
        public let closure: String
        /// Module name → source hash, for the module and every module it imports.
        public let closureSources: [String: String]
    }

    /// Module name → fingerprint, for every module of the package but the test targets.
    public static var all: [String: Module] { generated }

    /// The SHA-256 of Package.swift, part of every closure hash.
    public static var manifest: String { manifestSource }
}
