import Foundation
import HarnessCore
import XCTest

@testable import ClaimBenchCLI

/// Mutates every value of every `suites/*.toml` and plans the result: each mutation must end in
/// a valid plan or a one-line declaration error that names the file, never a crash. Planning
/// computes sizes without allocating the experiment's data, so huge values cost nothing here.
final class DeclarationFuzzTests: XCTestCase {
    static let suites = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("suites")

    /// Replacement values: wrong types, empty, huge, negative, NaN, ±∞, unicode.
    static let replacements: [ManifestValue] = [
        .string(""), .string("ünïcødé ☃ 🚀 d=∞"), .string(String(repeating: "x{a,b}*", count: 2000)),
        .integer(0), .integer(-1), .integer(Int.max), .integer(Int.min), .integer(1 << 40),
        .float(.nan), .float(.infinity), .float(-.infinity), .float(-2.5), .float(1e308),
        .boolean(true), .array([]), .array([.integer(Int.max)]), .table([:]),
    ]

    /// A smaller set for values every other mutation already reaches through the same decoder
    /// (claims, tolerances, figures, the paper, presets other than smoke and default).
    static let fewerReplacements: [ManifestValue?] = [.string("ünïcødé ☃"), .integer(-1), .float(.nan), .array([]), .table([:]), nil]

    enum Step: Hashable { case key(String), index(Int) }

    /// Every value's path; of an array's elements only the first, to keep the count small.
    static func paths(_ value: ManifestValue, prefix: [Step] = []) -> [[Step]] {
        switch value {
        case .table(let entries):
            return entries.keys.sorted().flatMap { key in [prefix + [.key(key)]] + paths(entries[key]!, prefix: prefix + [.key(key)]) }
        case .array(let items):
            guard let first = items.first else { return [] }
            return [prefix + [.index(0)]] + paths(first, prefix: prefix + [.index(0)])
        default:
            return []
        }
    }

    /// `value` with the element at `path` replaced (or removed when `replacement` is nil).
    static func mutate(_ value: ManifestValue, at path: ArraySlice<Step>, with replacement: ManifestValue?) -> ManifestValue {
        guard let step = path.first else { return replacement ?? value }
        switch (value, step) {
        case (.table(var entries), .key(let key)):
            if path.count == 1 && replacement == nil { entries[key] = nil } else { entries[key] = mutate(entries[key]!, at: path.dropFirst(), with: replacement) }
            return .table(entries)
        case (.array(var items), .index(let index)):
            if path.count == 1 && replacement == nil { items.remove(at: index) } else { items[index] = mutate(items[index], at: path.dropFirst(), with: replacement) }
            return .array(items)
        default:
            return value
        }
    }

    /// Plans `entries` as a declaration of `file` at `preset`; returns nil on success, else the error text.
    static func plan(_ entries: ManifestValue, file: String, preset: PresetName) -> String? {
        guard case .table(let root) = entries else { return "not a table" }
        do {
            let declaration = try SuiteDeclaration(table: ParameterTable(file: file, entries: root))
            let plan = try SuitePlanner.plan(
                declaration, preset: preset, experiment: try ExperimentRegistry.experiment(for: declaration), memoryBudget: Double(8 << 30))
            XCTAssertLessThan(plan.prepared.planned.metrics.count, 200_000, "\(file): an implausibly large plan")
            return nil
        } catch {
            return "\(error)"
        }
    }

    private func assertDeclarationError(_ message: String?, file: String, mutation: String) {
        guard let message else { return }
        XCTAssertFalse(message.isEmpty, mutation)
        XCTAssertFalse(message.contains("\n"), "\(mutation): not one line: \(message)")
        XCTAssertTrue(message.hasPrefix(file) || message.hasPrefix("--set"), "\(mutation): does not name the file: \(message)")
    }

    func testEveryMutationOfEveryDeclarationPlansOrFailsInOneLine() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.suites.path).filter { $0.hasSuffix(".toml") }.sorted()
        XCTAssertEqual(names.count, 4)
        var outcomes = (plans: 0, errors: 0)
        for name in names {
            let file = "suites/\(name)"
            let text = try String(contentsOf: Self.suites.appendingPathComponent(name), encoding: .utf8)
            let original = ManifestValue.table(try SuiteRegistry.parse(text, file: file))
            XCTAssertNil(Self.plan(original, file: file, preset: .smoke), "\(file) must plan as committed")
            for path in Self.paths(original) {
                // A mutation inside a preset is planned at that preset, anything else at smoke.
                var preset = PresetName.smoke
                if path.count >= 2, path[0] == .key("presets"), case .key(let name) = path[1] { preset = PresetName(name) }
                let thorough = path.count >= 3 && (preset == .smoke || preset == .default)
                for replacement in thorough ? Self.replacements + [nil] : Self.fewerReplacements {
                    let mutated = Self.mutate(original, at: path[...], with: replacement)
                    let message = Self.plan(mutated, file: file, preset: preset)
                    assertDeclarationError(message, file: file, mutation: "\(file) \(path) = \(String(describing: replacement))")
                    if message == nil { outcomes.plans += 1 } else { outcomes.errors += 1 }
                }
            }
            // Duplicated tables: each section header, and the section under it, written twice.
            let lines = text.components(separatedBy: "\n")
            for (index, line) in lines.enumerated() where line.hasPrefix("[") {
                let end = lines[(index + 1)...].firstIndex { $0.hasPrefix("[") } ?? lines.count
                let duplicated = lines[..<end] + lines[index..<end] + lines[end...]
                let message: String?
                do {
                    message = Self.plan(.table(try SuiteRegistry.parse(duplicated.joined(separator: "\n"), file: file)), file: file, preset: .smoke)
                } catch {
                    message = "\(error)"
                }
                assertDeclarationError(message, file: file, mutation: "\(file): \(line) duplicated")
                if line.hasPrefix("[[") == false { XCTAssertNotNil(message, "\(file): duplicated \(line) must be an error") }
            }
        }
        print("fuzzed \(outcomes.plans + outcomes.errors) mutations: \(outcomes.plans) valid plans, \(outcomes.errors) one-line errors")
        // Both outcomes occur: the fuzzer reaches valid plans as well as errors.
        XCTAssertGreaterThan(outcomes.plans, 0)
        XCTAssertGreaterThan(outcomes.errors, outcomes.plans)
    }

    func testEveryCommittedPresetPlans() throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.suites.path).filter({ $0.hasSuffix(".toml") }).sorted() {
            let declaration = try SuiteRegistry.load(Self.suites.appendingPathComponent(name), displayPath: "suites/\(name)")
            for preset in declaration.presetNames {
                XCTAssertNoThrow(try SuitePlanner.plan(
                    declaration, preset: preset, experiment: try ExperimentRegistry.experiment(for: declaration), memoryBudget: .infinity),
                    "suites/\(name) [presets.\(preset)]")
            }
        }
    }
}
