import ContentDigest
import Foundation

// Writes the Swift source behind `BuildFingerprint` (docs/ARCHITECTURE.md, "Result cache"): for
// every module, the SHA-256 of its own source files and of the closure of modules it imports.
// Run by Plugins/CodeFingerprintPlugin at build time:
//
//   CodeFingerprintTool --output FILE.swift --manifest Package.swift
//       (--module NAME --directory DIR --depends A,B --files FILE…)…
//
// A module's source hash covers each file's path inside the module's folder and its bytes, in
// path order, so a rename changes it too. Its closure hash covers the source hashes of the module
// and of every module it imports, directly or not, and Package.swift (compiler flags and
// dependencies live there). The generated file holds no absolute path.

struct Module {
    var name: String
    var directory: String
    var dependencies: [String]
    var files: [String]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("CodeFingerprintTool: \(message)\n".utf8))
    exit(1)
}

func parse(_ arguments: [String]) -> (output: String, manifest: String, modules: [Module]) {
    var output: String?, manifest: String?, modules: [Module] = []
    var index = 0
    func value() -> String {
        index += 1
        guard index < arguments.count else { fail("\(arguments[index - 1]) needs a value") }
        return arguments[index]
    }
    while index < arguments.count {
        switch arguments[index] {
        case "--output": output = value()
        case "--manifest": manifest = value()
        case "--module": modules.append(Module(name: value(), directory: "", dependencies: [], files: []))
        case "--directory": modules[modules.count - 1].directory = value()
        case "--depends": modules[modules.count - 1].dependencies = value().split(separator: ",").map(String.init)
        case "--files":
            while index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") {
                index += 1
                modules[modules.count - 1].files.append(arguments[index])
            }
        default: fail("unexpected argument \(arguments[index])")
        }
        index += 1
    }
    guard let output, let manifest else { fail("--output and --manifest are required") }
    return (output, manifest, modules)
}

func contents(_ path: String) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    return [UInt8](data)
}

func sourceHash(_ module: Module) -> String {
    var hasher = SHA256()
    let prefix = module.directory.hasSuffix("/") ? module.directory : module.directory + "/"
    for file in module.files.sorted() {
        let relative = file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : (file as NSString).lastPathComponent
        hasher.update("\(relative)\n\(SHA256.hex(contents(file)))\n")
    }
    return hasher.hexDigest()
}

let (outputPath, manifestPath, modules) = parse(Array(CommandLine.arguments.dropFirst()))
let byName = Dictionary(modules.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
let sources = modules.reduce(into: [String: String]()) { $0[$1.name] = sourceHash($1) }
let manifestHash = SHA256.hex(contents(manifestPath))

/// The module and everything it imports inside the package.
func closure(of name: String) -> [String] {
    var seen: [String] = [], stack = [name]
    while let next = stack.popLast() {
        guard !seen.contains(next) else { continue }
        seen.append(next)
        stack += byName[next]?.dependencies ?? []
    }
    return seen.sorted()
}

func literal(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }

var lines = [
    "// Generated at build time by CodeFingerprintTool (Plugins/CodeFingerprintPlugin); do not edit.",
    "extension ModuleFingerprints {",
    "    static let manifestSource = \(literal(manifestHash))",
    "    static let generated: [String: ModuleFingerprints.Module] = [",
]
for module in modules.sorted(by: { $0.name < $1.name }) {
    let members = closure(of: module.name)
    var hasher = SHA256()
    hasher.update("Package.swift \(manifestHash)\n")
    for member in members { hasher.update("\(member) \(sources[member] ?? "absent")\n") }
    let list = members.map { "\(literal($0)): \(literal(sources[$0] ?? "absent"))" }.joined(separator: ", ")
    lines.append("        \(literal(module.name)): Module(source: \(literal(sources[module.name]!)), closure: \(literal(hasher.hexDigest())),")
    lines.append("            closureSources: [\(list)]),")
}
lines += ["    ]", "}", ""]
let text = lines.joined(separator: "\n")
// Rewrite only when the content changed, so that an unchanged fingerprint rebuilds nothing.
if FileManager.default.contents(atPath: outputPath) != Data(text.utf8) {
    do { try Data(text.utf8).write(to: URL(fileURLWithPath: outputPath), options: .atomic) } catch { fail("cannot write \(outputPath): \(error)") }
}
