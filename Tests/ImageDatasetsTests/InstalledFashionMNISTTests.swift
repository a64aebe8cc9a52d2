import ImageDatasets
import XCTest

/// The files Debian's `dataset-fashion-mnist` installs. Skipped (with the reason) where the
/// package is absent; `make deps` installs it.
final class InstalledFashionMNISTTests: XCTestCase {
    private func loadOrSkip(_ split: FashionMNIST.Split) throws -> LabelledImages {
        do {
            return try FashionMNIST.load(split)
        } catch ImageDatasetError.missingFile(let path, _) {
            throw XCTSkip("\(path) is absent: install dataset-fashion-mnist (`make deps`) to run this test")
        }
    }

    /// Counts from the data set's publication; CRC-32s as the package's gzip trailers store them
    /// (`gzip -lv` prints the same values), so a wrong decompression or a changed file shows.
    func testTestSplitKnownAnswers() throws {
        let set = try loadOrSkip(.test)
        XCTAssertEqual(set.count, 10_000)
        XCTAssertEqual(set.pixels.count, 10_000 * 784)
        XCTAssertEqual(set.checksum, DatasetChecksum(images: 0x678F_E0B1, labels: 0x8014_2C1F))
        // Fashion-MNIST is balanced: 1,000 test images per class.
        for label in 0..<10 { XCTAssertEqual(set.labels.filter { Int($0) == label }.count, 1_000) }
    }

    func testTrainSplitKnownAnswers() throws {
        let set = try loadOrSkip(.train)
        XCTAssertEqual(set.count, 60_000)
        XCTAssertEqual(set.checksum, DatasetChecksum(images: 0xB4F2_9F28, labels: 0x741A_4657))
        for label in 0..<10 { XCTAssertEqual(set.labels.filter { Int($0) == label }.count, 6_000) }
    }
}
