import Foundation
import Synchronization

/// Writes files so that a reader never sees a half-written one and nothing already written is
/// lost: the bytes go to a temporary file in the same directory, are flushed to disk (fsync),
/// and the file is renamed into place (rename(2) is atomic within one file system); the
/// directory is then flushed too, so the rename itself survives a power cut.
///
/// Temporary names are `.<name>.<pid>-<n>.tmp`, `n` counting this process's writes, so that
/// threads or processes writing the same file at once (shards sharing a result cache) never
/// share a temporary: each renames a complete file into place and the last one wins. One left
/// behind by a process that was killed is removed the next time a file is written in the same
/// directory.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: url.path, reason: "cannot create its directory (\(error.localizedDescription))")
        }
        removeStaleTemporaries(in: directory)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid())-\(nextSerial()).tmp")
        do {
            try writeAndSync(data, to: temporary.path)
        } catch let reason as POSIXReason {
            unlink(temporary.path)
            throw WriteError(path: url.path, reason: "cannot write the temporary file \(temporary.lastPathComponent) (\(reason.text))")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw WriteError(path: url.path, reason: "rename failed: \(reason)")
        }
        syncDirectory(directory)
    }

    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Copies `source` over `destination` atomically.
    public static func copy(_ source: URL, to destination: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: source)
        } catch {
            throw WriteError(path: destination.path, reason: "cannot read \(source.path) (\(error.localizedDescription))")
        }
        try write(data, to: destination)
    }

    /// Removes `.<name>.<pid>-<n>.tmp` (and older `.<name>.<pid>.tmp`) files in `directory` whose
    /// process no longer exists.
    public static func removeStaleTemporaries(in directory: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            guard let pid = writerProcess(ofTemporary: name), pid != getpid() else { continue }
            // kill(pid, 0) fails with ESRCH when no such process exists.
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory.appendingPathComponent(name).path) }
        }
    }

    /// The process id in a temporary's name, `nil` when the name is not one of ours.
    static func writerProcess(ofTemporary name: String) -> Int32? {
        guard let last = name.dropLast(4).split(separator: ".").last else { return nil }
        return Int32(last.split(separator: "-", maxSplits: 1).first ?? "")
    }

    private static let serial = Atomic<Int>(0)

    /// 1, 2, 3, … for this process's writes, whatever thread asks.
    static func nextSerial() -> Int { serial.wrappingAdd(1, ordering: .relaxed).newValue }

    struct POSIXReason: Error { var text: String }

    private static func writeAndSync(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXReason(text: String(cString: strerror(errno))) }
        defer { close(fd) }
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXReason(text: String(cString: strerror(errno)))
                }
                offset += written
            }
        }
        guard fsync(fd) == 0 else { throw POSIXReason(text: "fsync: \(String(cString: strerror(errno)))") }
    }

    /// Flushes a directory's entries; best effort (some file systems refuse fsync on directories).
    static func syncDirectory(_ directory: URL) {
        let fd = open(directory.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
