import Foundation

/// Writes files so that a reader never sees a half-written one and nothing already written is
/// lost: the bytes go to a temporary file in the same directory, which is then renamed into
/// place (rename(2) is atomic within one file system).
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
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            // A plain write to the temporary name; the rename below is what makes it atomic.
            try data.write(to: temporary)
        } catch {
            throw WriteError(path: url.path, reason: "cannot write the temporary file \(temporary.lastPathComponent) (\(error.localizedDescription))")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: url.path, reason: "rename failed: \(reason)")
        }
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
}
