import Foundation

/// Where and how a run was made, recorded in every run record (docs/ARCHITECTURE.md, "Run record").
public struct Provenance: Codable, Sendable, Equatable {
    public var gitCommit: String
    /// `nil` when git is unavailable or the tree is not a checkout.
    public var gitDirty: Bool?
    public var swiftVersion: String
    public var operatingSystem: String
    public var cpuModel: String
    public var cores: Int
    public var blasConfiguration: String
    public var blasThreads: Int
    public var buildConfiguration: String
    /// ISO 8601, UTC.
    public var startTime: String
    public var wallSeconds: Double
    /// The compute platform (CPU features, BLAS core, threads, kernel paths, C library).
    /// `nil` in records written before fingerprints existed.
    public var fingerprint: PlatformFingerprint?
    /// The experiment's code fingerprint (its module and every module it imports, hashed at
    /// build time); `nil` in records written before the result cache existed.
    public var codeFingerprint: CodeFingerprint? = nil
    /// How many of the run's work units came from the result cache; `nil` in older records.
    public var unitCache: UnitCacheUse? = nil

    public init(
        gitCommit: String, gitDirty: Bool?, swiftVersion: String, operatingSystem: String, cpuModel: String, cores: Int,
        blasConfiguration: String, blasThreads: Int, buildConfiguration: String, startTime: String, wallSeconds: Double,
        fingerprint: PlatformFingerprint? = nil
    ) {
        self.gitCommit = gitCommit
        self.gitDirty = gitDirty
        self.swiftVersion = swiftVersion
        self.operatingSystem = operatingSystem
        self.cpuModel = cpuModel
        self.cores = cores
        self.blasConfiguration = blasConfiguration
        self.blasThreads = blasThreads
        self.buildConfiguration = buildConfiguration
        self.startTime = startTime
        self.wallSeconds = wallSeconds
        self.fingerprint = fingerprint
    }

    enum CodingKeys: String, CodingKey {
        case gitCommit = "git_commit", gitDirty = "git_dirty", swiftVersion = "swift_version"
        case operatingSystem = "os", cpuModel = "cpu_model", cores, blasConfiguration = "blas_config"
        case blasThreads = "blas_threads", buildConfiguration = "build_configuration", startTime = "start_time"
        case wallSeconds = "wall_seconds", fingerprint, codeFingerprint = "code_fingerprint", unitCache = "unit_cache"
    }

    /// Collects everything but the BLAS fields and the fingerprint (HarnessCore has no BLAS; the
    /// caller supplies them) and the wall time (filled in when the run ends).
    public static func collect(
        repositoryRoot: URL, blasConfiguration: String, blasThreads: Int, fingerprint: PlatformFingerprint? = nil,
        start: Date = Date()
    ) -> Provenance {
        let commit = Shell.run("git", ["-C", repositoryRoot.path, "rev-parse", "HEAD"])
        let status = Shell.run("git", ["-C", repositoryRoot.path, "status", "--porcelain", "--untracked-files=no"])
        return Provenance(
            gitCommit: commit ?? "unknown",
            gitDirty: commit == nil ? nil : !(status ?? "").isEmpty,
            swiftVersion: compilerVersion,
            operatingSystem: operatingSystemName(),
            cpuModel: cpuModelName(),
            cores: ProcessInfo.processInfo.activeProcessorCount,
            blasConfiguration: blasConfiguration,
            blasThreads: blasThreads,
            buildConfiguration: buildConfiguration,
            startTime: ISO8601DateFormatter().string(from: start),
            wallSeconds: 0,
            fingerprint: fingerprint)
    }

    /// The OpenBLAS core the run used: the fingerprint's, else read from the recorded BLAS
    /// configuration ("… (core: Zen)").
    public var blasCoreName: String? {
        if let core = fingerprint?.blas?.core { return core }
        guard let range = blasConfiguration.range(of: "(core: ") else { return nil }
        return String(blasConfiguration[range.upperBound...].prefix { $0 != ")" })
    }

    public static var buildConfiguration: String {
        #if DEBUG
        "debug"
        #else
        "release"
        #endif
    }

    /// The compiler this binary was built with, to the minor version.
    public static var compilerVersion: String {
        #if compiler(>=6.5)
        "Swift ≥ 6.5"
        #elseif compiler(>=6.4)
        "Swift 6.4"
        #elseif compiler(>=6.3)
        "Swift 6.3"
        #elseif compiler(>=6.2)
        "Swift 6.2"
        #elseif compiler(>=6.1)
        "Swift 6.1"
        #else
        "Swift 6.0"
        #endif
    }

    static func operatingSystemName() -> String {
        var name = "Linux"
        if let release = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8),
           let line = release.split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") })
        {
            name = line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        let kernel = (try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown"
        return "\(name), Linux \(kernel)"
    }

    static func cpuModelName() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":")
        else { return "unknown" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}

/// Runs a helper program and returns its trimmed standard output, or `nil` when it fails.
enum Shell {
    static func run(_ program: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
