import Foundation
import HarnessCore

/// A scratch directory removed when the test's object is deinitialised.
public final class TemporaryDirectory {
    public let url: URL

    public init() {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("claimbench-test-\(ProcessInfo.processInfo.processIdentifier)-\(UUIDSource.next())")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` at a relative path, creating directories.
    @discardableResult
    public func write(_ text: String, to relativePath: String) -> URL {
        let file = url.appendingPathComponent(relativePath)
        try! FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: file)
        return file
    }
}

/// Unique names for scratch directories (UUIDs are fine here: names only, never data).
enum UUIDSource {
    static func next() -> String { UUID().uuidString }
}

/// A tiny deterministic experiment for harness tests: draws `n` uniforms from the run's
/// stream and reports their mean (numeric), `n` (exact), a checksum of the bits (exact) and a
/// fake timing, plus one table.
public enum UniformMeanExperiment: Experiment {
    public struct Parameters: Encodable, Sendable {
        public var n: Int
        public var offset: Double
    }

    public static let id: ExperimentID = "test.uniform-mean"

    public static func decodeParameters(_ table: ParameterTable) throws -> Parameters {
        let n: Int = try table.required("n")
        guard n >= 1 else { throw table.error("n", "must be at least 1, got \(n)") }
        let parameters = Parameters(n: n, offset: try table.value("offset", default: 0))
        try table.finish()
        return parameters
    }

    public static func plannedOutput(_ parameters: Parameters) -> PlannedOutput {
        var planned = PlannedOutput(tables: ["values.csv"])
        planned.add("mean", .numeric)
        planned.add("count", .exact)
        planned.add("checksum", .exact)
        planned.add("seconds", .timing, unit: "s")
        return planned
    }

    /// The drawn values and their table row each, about 64 bytes per value.
    public static func peakMemory(_ parameters: Parameters) -> MemoryEstimate {
        MemoryEstimate(bytes: 64 * Double(parameters.n), keys: ["n"])
    }

    public static func run(_ parameters: Parameters, context: RunContext) throws -> ExperimentOutput {
        let values = context.streams.stream("test/uniforms").uniforms(parameters.n)
        var table = CSVTable(columns: ["index", "value"])
        var checksum: UInt64 = 0
        for (index, value) in values.enumerated() {
            table.append([.integer(index), .number(value)])
            checksum = checksum &+ value.bitPattern
            context.progress.update(done: index + 1, total: values.count, detail: "draw \(index)")
        }
        let mean = values.reduce(0, +) / Double(values.count) + parameters.offset
        return ExperimentOutput(
            metrics: [
                "mean": .numeric(mean),
                "count": .exact(parameters.n),
                "checksum": .exact(Double(checksum % (1 << 53))),
                "seconds": .timing(0.5, unit: "s"),
            ],
            tables: ["values.csv": table],
            notes: ["drawn": "\(parameters.n)"])
    }
}

/// A suite declaration for `UniformMeanExperiment`, with a claim on the mean.
public func uniformMeanDeclaration(id: String = "uniform", atLeast: Double = 0.3, extra: String = "") -> String {
    """
    id = "\(id)"
    title = "The mean of uniforms is about one half"
    experiment = "test.uniform-mean"
    seed = 7
    \(extra)
    [paper]
    title = "A test paper"
    authors = "Nobody"
    venue = "Tests 2026"
    url = "https://example.org"
    locator = "Eq. 1"

    [presets.smoke]
    n = 200

    [presets.default]
    n = 2000

    [[claims]]
    id = "mean-half"
    statement = "the sample mean is at least \(atLeast)"
    metric = "mean"
    at_least = \(atLeast)
    paper_value = "1/2"
    source = { kind = "ours", where = "the fixture's own law" }

    [[golden]]
    metric = "mean"
    rel = 1e-12

    [[figures]]
    id = "values"
    script = "plots/\(id)/values.gp"
    data = "values.csv"
    """
}


// Shared helpers for the test targets. This target is an ordinary library (no XCTest), so the
// helpers return values that the tests then assert on.

/// The `ManifestError` thrown by `body`; `nil` when it threw nothing or threw something else.
public func manifestError(_ body: () throws -> Void) -> ManifestError? {
    do {
        try body()
        return nil
    } catch let error as ManifestError {
        return error
    } catch {
        return nil
    }
}

/// Sample statistics for the statistical tests.
public enum SampleMoments {
    /// Mean and unbiased variance of `values`.
    public static func meanAndVariance(_ values: [Double]) -> (mean: Double, variance: Double) {
        precondition(values.count > 1)
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return (mean, variance)
    }

    /// Pearson's chi-square statistic of `observed` counts against equal expected counts.
    public static func chiSquareUniform(_ observed: [Int]) -> Double {
        let total = Double(observed.reduce(0, +))
        let expected = total / Double(observed.count)
        return observed.reduce(0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
    }
}

/// The repository's `suites/<suite>.toml` preset `preset`, with `changes` applied (a reduced
/// copy, so a test can run it in seconds while keeping every other key of the real preset).
public func committedPreset(_ suite: String, _ preset: String = "smoke", changes: [String: ManifestValue] = [:]) throws -> ParameterTable {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let file = "suites/\(suite).toml"
    let entries = try SuiteRegistry.parse(String(contentsOf: root.appendingPathComponent(file), encoding: .utf8), file: file)
    guard case .table(let presets) = entries["presets"], case .table(let table) = presets[preset] else {
        throw ManifestError(file: file, keyPath: "presets.\(preset)", problem: "no such preset")
    }
    return ParameterTable(file: file, path: "presets.\(preset)", entries: table.merging(changes) { $1 })
}
