import Foundation
import ImageDatasets
import TestSupport
import XCTest

/// IDX parsing and gzip reading on small files written (and gzip-compressed with zlib) here.
final class IDXReadingTests: XCTestCase {
    /// Three 28×28 images whose pixel k of image i is (7i + k) mod 256, labels 4, 0, 9.
    private func writeSplit(_ split: FashionMNIST.Split, in directory: TemporaryDirectory,
                            images: [UInt8]? = nil, imageShape: [Int] = [3, 28, 28],
                            labels: [UInt8] = [4, 0, 9]) throws -> [UInt8] {
        let pixels = images ?? (0..<(imageShape.reduce(1, *))).map { UInt8(truncatingIfNeeded: 7 * ($0 / 784) + $0 % 784) }
        try GzipFile.write(IDXFile.encode(shape: imageShape, payload: pixels), to: directory.url.appendingPathComponent(split.imagesFile).path)
        try GzipFile.write(IDXFile.encode(shape: [labels.count], payload: labels), to: directory.url.appendingPathComponent(split.labelsFile).path)
        return pixels
    }

    func testReadsWhatWasWritten() throws {
        let directory = TemporaryDirectory()
        let pixels = try writeSplit(.test, in: directory)
        let set = try FashionMNIST.load(.test, directory: directory.url.path)
        XCTAssertEqual(set.count, 3)
        XCTAssertEqual(set.labels, [4, 0, 9])
        XCTAssertEqual(set.pixels, pixels)
        XCTAssertEqual(Array(set.image(1)), Array(pixels[784..<1568]))
        XCTAssertEqual(set.image(2).first, 14)
    }

    func testHeaderIsBigEndianWithTheUnsignedByteMagic() {
        let bytes = IDXFile.encode(shape: [2, 3], payload: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(Array(bytes[0..<12]), [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3])
        XCTAssertEqual(IDXFile.magic(dimensions: 3), 2051)
        XCTAssertEqual(IDXFile.magic(dimensions: 1), 2049)
    }

    /// The checksum is zlib's CRC-32 of the decompressed bytes: known answer "123456789" → cbf43926.
    func testChecksumIsCRC32() {
        XCTAssertEqual(GzipFile.crc32(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(GzipFile.crc32([]), 0)
    }

    func testChecksumCoversHeaderAndPayload() throws {
        let directory = TemporaryDirectory()
        let pixels = try writeSplit(.train, in: directory)
        let set = try FashionMNIST.load(.train, directory: directory.url.path)
        XCTAssertEqual(set.checksum.images, GzipFile.crc32(IDXFile.encode(shape: [3, 28, 28], payload: pixels)))
        XCTAssertEqual(set.checksum.labels, GzipFile.crc32(IDXFile.encode(shape: [3], payload: [4, 0, 9])))
        XCTAssertEqual(set.checksum.combined >> 32, UInt64(set.checksum.images))
    }

    func testMissingFileNamesThePackage() {
        let directory = TemporaryDirectory()
        XCTAssertThrowsError(try FashionMNIST.load(.test, directory: directory.url.path)) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("t10k-images-idx3-ubyte.gz"), message)
            XCTAssertTrue(message.contains("apt-get install dataset-fashion-mnist"), message)
            XCTAssertFalse(message.contains("\n"))
        }
    }

    func testWrongMagicIsRejected() throws {
        let directory = TemporaryDirectory()
        _ = try writeSplit(.test, in: directory)
        // A labels file (1 dimension) where the images file (3 dimensions) belongs.
        let path = directory.url.appendingPathComponent(FashionMNIST.Split.test.imagesFile).path
        try GzipFile.write(IDXFile.encode(shape: [4], payload: [1, 2, 3, 4]), to: path)
        XCTAssertThrowsError(try FashionMNIST.load(.test, directory: directory.url.path)) { error in
            XCTAssertTrue(String(describing: error).contains("magic number 0x00000801, expected 0x00000803"), "\(error)")
        }
    }

    func testTruncatedPayloadIsRejected() throws {
        let directory = TemporaryDirectory()
        _ = try writeSplit(.test, in: directory)
        let path = directory.url.appendingPathComponent(FashionMNIST.Split.test.imagesFile).path
        var bytes = IDXFile.encode(shape: [3, 28, 28], payload: [UInt8](repeating: 1, count: 3 * 784))
        bytes.removeLast(5)
        try GzipFile.write(bytes, to: path)
        XCTAssertThrowsError(try FashionMNIST.load(.test, directory: directory.url.path)) { error in
            XCTAssertTrue(String(describing: error).contains("need 2368 bytes, the file holds 2363"), "\(error)")
        }
    }

    func testShortHeaderIsRejected() {
        XCTAssertThrowsError(try IDXFile.parse([0, 0, 8, 3, 0, 0], dimensions: 3, path: "x.gz")) { error in
            XCTAssertEqual(error as? ImageDatasetError, .malformed(path: "x.gz", problem: "6 bytes, shorter than the 16-byte header"))
        }
        XCTAssertThrowsError(try IDXFile.parse([0, 0], dimensions: 1, path: "x.gz"))
    }

    func testWrongImageSizeIsRejected() throws {
        let directory = TemporaryDirectory()
        _ = try writeSplit(.test, in: directory, images: [UInt8](repeating: 0, count: 3 * 16), imageShape: [3, 4, 4])
        XCTAssertThrowsError(try FashionMNIST.load(.test, directory: directory.url.path)) { error in
            XCTAssertTrue(String(describing: error).contains("images are 4×4, expected 28×28"), "\(error)")
        }
    }

    func testCountMismatchAndBadLabelAreRejected() throws {
        let directory = TemporaryDirectory()
        _ = try writeSplit(.test, in: directory, labels: [1, 2])
        XCTAssertThrowsError(try FashionMNIST.load(.test, directory: directory.url.path)) { error in
            XCTAssertEqual(error as? ImageDatasetError, .mismatchedSplit(
                images: directory.url.appendingPathComponent("t10k-images-idx3-ubyte.gz").path,
                labels: directory.url.appendingPathComponent("t10k-labels-idx1-ubyte.gz").path,
                imageCount: 3, labelCount: 2))
        }
        _ = try writeSplit(.test, in: directory, labels: [1, 10, 2])
        XCTAssertThrowsError(try FashionMNIST.load(.test, directory: directory.url.path)) { error in
            XCTAssertTrue(String(describing: error).contains("label 10 is not a class index 0–9"), "\(error)")
        }
    }

    func testUncompressedFileIsRejected() throws {
        let directory = TemporaryDirectory()
        _ = try writeSplit(.test, in: directory)
        let path = directory.url.appendingPathComponent(FashionMNIST.Split.test.labelsFile)
        try Data(IDXFile.encode(shape: [3], payload: [4, 0, 9])).write(to: path)
        XCTAssertThrowsError(try FashionMNIST.load(.test, directory: directory.url.path)) { error in
            XCTAssertEqual(error as? ImageDatasetError, .notGzip(path: path.path))
        }
    }

    func testTruncatedGzipStreamIsRejected() throws {
        let directory = TemporaryDirectory()
        _ = try writeSplit(.test, in: directory)
        let path = directory.url.appendingPathComponent(FashionMNIST.Split.test.imagesFile)
        let whole = try Data(contentsOf: path)
        try whole.prefix(whole.count / 2).write(to: path)
        XCTAssertThrowsError(try FashionMNIST.load(.test, directory: directory.url.path)) { error in
            guard case .unreadable = error as? ImageDatasetError else { return XCTFail("\(error)") }
        }
    }
}
