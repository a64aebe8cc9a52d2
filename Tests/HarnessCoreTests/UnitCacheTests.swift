import ContentDigest
import Foundation
import TestSupport
import XCTest

@testable import HarnessCore

/// The result cache: SHA-256 against FIPS 180-4's vectors, key stability, `why`'s explanations,
/// concurrent writers, torn entries and the temporaries of killed writers.
final class UnitCacheTests: XCTestCase {
    // MARK: - SHA-256

    func testSHA256MatchesTheStandardsKnownAnswers() {
        XCTAssertEqual(SHA256.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // 56 bytes: the padding needs a second block.
        XCTAssertEqual(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Fed in pieces, the same digest as at once.
        var pieces = SHA256()
        for chunk in ["ab", "cdbcdecdefdefgefghfghighijhijkijkljklmklmnlmno", "mnopnopq"] { pieces.update(chunk) }
        XCTAssertEqual(pieces.hexDigest(), SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))
    }

    // MARK: - Keys

    static func platform(core: String = "Haswell", threads: Int = 1) -> PlatformFingerprint.ComputeRelevant {
        PlatformFingerprint(
            cpu: PlatformFingerprint.CPU(
                architecture: "x86_64", vendor: "GenuineIntel", modelName: "Xeon", family: 6, model: 85, logicalCores: 2,
                physicalCores: 2, features: ["sse3", "avx", "avx2", "fma", "avx512f"]),
            blas: PlatformFingerprint.BLAS(
                library: "OpenBLAS", version: "0.3.21", configuration: "OpenBLAS 0.3.21 DYNAMIC_ARCH \(core)", core: core,
                coreChoice: .native, requestedCore: nil, threads: threads),
            kernelPaths: ["VectorExp": "swift-simd (baseline x86-64: SSE2)"], toolchain: .init(swiftCompiler: "Swift 6.3", cLibrary: "glibc 2.36"),
            workerThreads: threads
        ).computeRelevant
    }

    static func code(experiment: String = "x", linearAlgebra: String = "y") -> CodeFingerprint {
        let sources = ["SinkhornExperiment": experiment, "LinearAlgebra": linearAlgebra, "HarnessCore": "z", CodeFingerprint.manifest: "m"]
        return CodeFingerprint(module: "SinkhornExperiment", closure: SHA256.hex(sources.keys.sorted().map { "\($0)=\(sources[$0]!)" }.joined()), sources: sources)
    }

    static func key(
        eta: Double = 300, seed: UInt64 = 1, unit: WorkUnitID = "random-assignment/n=500/eta=300", declaration: String = "d1",
        code: CodeFingerprint = code(), platform: PlatformFingerprint.ComputeRelevant = platform(), preset: PresetName = .smoke,
        suite: SuiteID = "sinkhorn"
    ) -> UnitCacheKey {
        UnitCacheKey(
            declarationFile: "suites/\(suite).toml", declarationHash: declaration, suite: suite, preset: preset,
            parameters: .object(["eta": .array([.number(eta)]), "n": .array([.number(500)]), "rho_n": .number(2),
                                 "per_case": .object(["fashion-mnist-l1": .object(["rho_n": .number(15)])])]),
            seed: seed, unit: unit, code: code, platform: platform)
    }

    func testTheSameInputsGiveTheSameKeyAndEveryComponentChangesIt() throws {
        let base = Self.key()
        XCTAssertEqual(base.digest, Self.key().digest)
        XCTAssertEqual(base.digest.count, 64)
        // Through JSON and back (as the entry's header stores it): the same digest.
        XCTAssertEqual(try CanonicalJSON.decode(UnitCacheKey.self, from: CanonicalJSON.encode(base)).digest, base.digest)
        var platformThreads = Self.platform()
        platformThreads.workerThreads = 2
        let variants: [String: UnitCacheKey] = [
            "declaration": Self.key(declaration: "d2"),
            "suite": Self.key(suite: "kde"),
            "preset": Self.key(preset: .default),
            "parameters": Self.key(eta: 1200),
            "seed": Self.key(seed: 2),
            "unit": Self.key(unit: "random-assignment/n=500/eta=1200"),
            "code": Self.key(code: Self.code(linearAlgebra: "y2")),
            "BLAS core": Self.key(platform: Self.platform(core: "SkylakeX")),
            "worker threads": Self.key(platform: platformThreads),
        ]
        for (component, variant) in variants {
            XCTAssertNotEqual(variant.digest, base.digest, "changing the \(component) must change the key")
        }
        XCTAssertEqual(Set(variants.values.map(\.digest)).count, variants.count, "every variant has its own key")
        // One ulp is a different parameter.
        XCTAssertNotEqual(Self.key(eta: 300.0.nextUp).digest, base.digest)
    }

    // MARK: - Explanations

    private func store(_ key: UnitCacheKey, in cache: UnitCache, result: String = "{\"value\":1}") throws {
        try cache.store(Data(result.utf8), for: key)
    }

    func testWhyNamesAParameterEditASourceEditAndABLASCoreChangeInOneLineEach() throws {
        let scratch = TemporaryDirectory()
        let cache = UnitCache(directory: scratch.url)
        let cached = Self.key()
        XCTAssertEqual(cache.status(of: cached), .neverRun)
        XCTAssertEqual(cache.status(of: cached).line, "never run")
        try store(cached, in: cache)
        XCTAssertEqual(cache.status(of: cached).line, "cached")

        XCTAssertEqual(cache.status(of: Self.key(eta: 1200)).line, "parameter `eta` [300] → [1200]")
        XCTAssertEqual(cache.status(of: Self.key(code: Self.code(experiment: "x2"))).line, "source of SinkhornExperiment changed")
        XCTAssertEqual(cache.status(of: Self.key(code: Self.code(experiment: "x2", linearAlgebra: "y2"))).line,
                       "source of LinearAlgebra, SinkhornExperiment changed")
        XCTAssertEqual(cache.status(of: Self.key(platform: Self.platform(core: "SkylakeX"))).line, "OpenBLAS core: Haswell → SkylakeX")
        XCTAssertEqual(cache.status(of: Self.key(seed: 2)).line, "seed 1 → 2")
        XCTAssertEqual(cache.status(of: Self.key(declaration: "d2")).line, "suites/sinkhorn.toml changed")
        var manifest = Self.code()
        manifest.sources[CodeFingerprint.manifest] = "m2"
        manifest.closure = "other"
        XCTAssertEqual(cache.status(of: Self.key(code: manifest)).line, "Package.swift changed")
        // Several changes at once are all named, in one line.
        XCTAssertEqual(cache.status(of: Self.key(eta: 1200, seed: 2)).line, "parameter `eta` [300] → [1200]; seed 1 → 2")
        // A nested parameter is named by its path.
        var nested = Self.key()
        nested.parameters = .object(["eta": .array([.number(300)]), "n": .array([.number(500)]), "rho_n": .number(2),
                                     "per_case": .object(["fashion-mnist-l1": .object(["rho_n": .number(10)])])])
        XCTAssertEqual(cache.status(of: nested).line, "parameter `per_case.fashion-mnist-l1.rho_n` 15 → 10")
        // Another unit of the same suite and preset was never run.
        XCTAssertEqual(cache.status(of: Self.key(unit: "point-clouds/n=500/eta=300")), .neverRun)
    }

    func testWhyExplainsAgainstTheClosestOfTheLatestEntries() throws {
        let scratch = TemporaryDirectory()
        let cache = UnitCache(directory: scratch.url)
        // Cached on Haswell, then on SkylakeX with 2 threads (the newest).
        try store(Self.key(), in: cache)
        try store(Self.key(platform: Self.platform(core: "SkylakeX", threads: 2)), in: cache)
        // A parameter edit on Haswell is explained against the Haswell entry: one difference, not four.
        XCTAssertEqual(cache.status(of: Self.key(eta: 1200)).line, "parameter `eta` [300] → [1200]")
        XCTAssertEqual(cache.recentKeys(suite: "sinkhorn", preset: .smoke, unit: Self.key().unit).map(\.platform.blasCore), ["SkylakeX", "Haswell"])
        // The index keeps the latest `indexDepth` entries.
        for seed in 2...UInt64(UnitCache.indexDepth + 3) { try store(Self.key(seed: seed), in: cache) }
        let recent = cache.recentKeys(suite: "sinkhorn", preset: .smoke, unit: Self.key().unit)
        XCTAssertEqual(recent.count, UnitCache.indexDepth)
        XCTAssertEqual(recent.first?.seed, UInt64(UnitCache.indexDepth + 3))
    }

    // MARK: - Entries on disk

    func testAHitReturnsTheStoredBytesExactly() throws {
        let scratch = TemporaryDirectory()
        let cache = UnitCache(directory: scratch.url)
        // Bytes as UnitResultCodec writes them, with a newline and non-ASCII inside.
        let result = try UnitResultCodec.encode(["label": "line\nbreak é", "nan": "x"])
        try cache.store(result, for: Self.key())
        XCTAssertEqual(cache.lookup(Self.key()), .hit(result))
        XCTAssertEqual(cache.lookup(Self.key(seed: 9)), .miss)
        let entry = cache.entryURL(Self.key())
        XCTAssertEqual(entry.deletingLastPathComponent().lastPathComponent, "sinkhorn", "entries live in results/cache/<suite>/")
        XCTAssertEqual(entry.lastPathComponent, "\(Self.key().digest).unit")
        XCTAssertEqual(cache.indexURL(suite: "sinkhorn", preset: .smoke, unit: "d=30/alpha=0.2").lastPathComponent, "d=30%2Falpha=0.2.json")
        XCTAssertEqual(UnitCache.escape(".hidden/x y"), "%2Ehidden%2Fx%20y")
    }

    func testATornOrGarbageEntryIsAMissThatSaysSoAndIsReplaced() throws {
        let scratch = TemporaryDirectory()
        let cache = UnitCache(directory: scratch.url)
        let key = Self.key()
        let result = Data(String(repeating: "{\"x\":0.1}", count: 50).utf8)
        try cache.store(result, for: key)
        let url = cache.entryURL(key)
        let whole = try Data(contentsOf: url)

        let damaged: [(String, Data)] = [
            ("truncated result", whole.prefix(whole.count - 7)),
            ("truncated header", whole.prefix(40)),
            ("garbage", Data("not an entry at all".utf8)),
            ("empty", Data()),
            ("flipped byte", { var copy = whole; copy[copy.count - 3] ^= 0x01; return copy }()),
        ]
        for (name, bytes) in damaged {
            try bytes.write(to: url)
            guard case .unreadable(let reason) = cache.lookup(key) else { return XCTFail("\(name): expected unreadable, got \(cache.lookup(key))") }
            XCTAssertTrue(reason.hasPrefix("\(key.digest).unit: "), reason)
            XCTAssertTrue(cache.status(of: key).line.hasPrefix("cached entry unreadable ("), name)
        }
        // An entry whose header is another key's (a file copied under the wrong name) is unreadable too.
        try cache.store(result, for: Self.key(seed: 5))
        try Data(contentsOf: cache.entryURL(Self.key(seed: 5))).write(to: url)
        XCTAssertEqual(cache.lookup(key), .unreadable("\(key.digest).unit: its header is for another key"))
        // Storing again replaces the damaged entry.
        try cache.store(result, for: key)
        XCTAssertEqual(cache.lookup(key), .hit(result))
    }

    func testAKilledWritersTemporaryIsIgnoredAndCleanedAtTheNextWrite() throws {
        let scratch = TemporaryDirectory()
        let cache = UnitCache(directory: scratch.url)
        let key = Self.key()
        // What a writer killed between write and rename leaves: a partial entry under a temporary name
        // (the pid of no live process), and one of this process, which must be kept.
        let stale = scratch.write("{\"key\":", to: "sinkhorn/.\(key.digest).unit.\(Int32.max - 1)-3.tmp")
        let older = scratch.write("{\"key\":", to: "sinkhorn/.\(key.digest).unit.\(Int32.max - 2).tmp")
        let mine = scratch.write("{", to: "sinkhorn/.other.unit.\(getpid())-1.tmp")
        XCTAssertEqual(cache.lookup(key), .miss, "a temporary is never read as an entry")
        XCTAssertEqual(cache.status(of: key), .neverRun)
        try cache.store(Data("1".utf8), for: Self.key(seed: 3))
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: older.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: mine.path), "a live process's temporary stays")
        XCTAssertEqual(AtomicFile.writerProcess(ofTemporary: ".a.unit.123-45.tmp"), 123)
        XCTAssertEqual(AtomicFile.writerProcess(ofTemporary: ".a.json.123.tmp"), 123)
        XCTAssertNil(AtomicFile.writerProcess(ofTemporary: ".a.json.tmp"))
    }

    func testConcurrentWritersLoseAndTearNothing() throws {
        let scratch = TemporaryDirectory()
        let cache = UnitCache(directory: scratch.url)
        // 8 writers at once: each writes the 6 shared entries (same key, same bytes, as shards
        // racing on one unit would) and 6 entries of its own, with 400-byte results.
        let writers = 8, perWriter = 6
        @Sendable func payload(_ seed: UInt64) -> Data { Data(String(repeating: "\(seed),", count: 400 / 3).utf8) }
        let failures = FailureLog()
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            for index in 0..<perWriter {
                do {
                    try cache.store(payload(UInt64(index)), for: Self.key(seed: UInt64(index)))
                    let own = UInt64(100 + writer * perWriter + index)
                    try cache.store(payload(own), for: Self.key(seed: own))
                    // Readers running alongside see a whole entry or none.
                    switch cache.lookup(Self.key(seed: UInt64(index))) {
                    case .hit(let data) where data == payload(UInt64(index)): break
                    case let other: failures.add("writer \(writer) read \(other)")
                    }
                } catch {
                    failures.add("writer \(writer): \(error)")
                }
            }
        }
        XCTAssertEqual(failures.messages, [])
        let shared = Array(0..<UInt64(perWriter)), own = Array(100..<UInt64(100 + writers * perWriter))
        for seed in shared + own {
            XCTAssertEqual(cache.lookup(Self.key(seed: seed)), .hit(payload(seed)), "seed \(seed)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: scratch.url.appendingPathComponent("sinkhorn").path)
        XCTAssertEqual(names.filter { $0.hasSuffix(".tmp") }, [], "no temporary left behind")
        XCTAssertEqual(names.filter { $0.hasSuffix(".unit") }.count, perWriter + writers * perWriter)
        // The shared unit's index reads back and points at entries that exist.
        XCTAssertFalse(cache.recentKeys(suite: "sinkhorn", preset: .smoke, unit: Self.key().unit).isEmpty)
    }
}

/// Messages collected from concurrent closures.
private final class FailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func add(_ message: String) { lock.withLock { stored.append(message) } }
    var messages: [String] { lock.withLock { stored } }
}
