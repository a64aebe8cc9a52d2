import Foundation
import PackagePlugin

/// Build-tool plugin behind the result cache's code fingerprint (docs/ARCHITECTURE.md, "Result
/// cache"). Applied to the `BuildFingerprint` target, it hands `CodeFingerprintTool` every source
/// file of every module of this package (test targets excepted) with each module's dependencies
/// inside the package, and declares all of them, and Package.swift, as the command's inputs: the
/// build regenerates the fingerprint exactly when one of them changes, in debug and in release,
/// and from a fresh clone (the file is generated in the build folder, never committed).
@main
struct CodeFingerprintPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("GeneratedCodeFingerprints.swift")
        let manifest = context.package.directoryURL.appendingPathComponent("Package.swift")
        let names = Set(context.package.targets.map(\.name))
        var arguments = ["--output", output.path, "--manifest", manifest.path]
        var inputs = [manifest]
        for module in context.package.targets.sorted(by: { $0.name < $1.name }) {
            let files: [URL], directory: URL
            switch module {
            case let swift as SwiftSourceModuleTarget:
                if swift.kind == .test { continue }
                (files, directory) = (swift.sourceFiles.map(\.url), swift.directoryURL)
            case let clang as ClangSourceModuleTarget:
                if clang.kind == .test { continue }
                // Its folder, headers under include/ too (sourceFiles lists only the compiled files).
                (files, directory) = (Self.files(in: clang.directoryURL), clang.directoryURL)
            case let system as SystemLibraryTarget:
                (files, directory) = (Self.files(in: system.directoryURL), system.directoryURL)
            default:
                continue
            }
            // Dependencies inside this package only; other packages are pinned by Package.resolved.
            let dependencies = module.dependencies.compactMap { dependency -> String? in
                if case .target(let target) = dependency, names.contains(target.name) { return target.name }
                return nil
            }
            arguments += ["--module", module.name, "--directory", directory.path,
                          "--depends", dependencies.sorted().joined(separator: ","), "--files"]
            arguments += files.map(\.path).sorted()
            inputs += files
        }
        return [
            .buildCommand(
                displayName: "Code fingerprint of \(context.package.targets.count) modules",
                executable: try context.tool(named: "CodeFingerprintTool").url,
                arguments: arguments, inputFiles: inputs, outputFiles: [output]),
        ]
    }

    /// Regular files under `directory`, recursively (a C target's sources and headers, a system
    /// library's module map and shim).
    static func files(in directory: URL) -> [URL] {
        let paths = (try? FileManager.default.subpathsOfDirectory(atPath: directory.path)) ?? []
        return paths.sorted().map { directory.appendingPathComponent($0) }.filter { url in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }
}
