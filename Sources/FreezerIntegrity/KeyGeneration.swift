import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Creates an Ed25519 key pair: the private key at NAME (mode 0600), the public key at NAME.pub.
public enum KeyGeneration {
    public struct Created: Sendable {
        public var privateKeyPath: String
        public var publicKeyPath: String
        public var fingerprint: String
    }

    /// Generates a key pair and writes both files. Refuses when either file exists: nothing is written then.
    public static func generate(name: String) throws(KeyFileError) -> Created {
        let publicPath = name + ".pub"
        for path in [name, publicPath] where FileManager.default.fileExists(atPath: path) || isSymlink(path) {
            throw .exists(path: path)
        }
        let key = Curve25519.Signing.PrivateKey()
        try createExclusively(path: name, text: KeyFiles.privateKeyText(key), mode: 0o600)
        do {
            try createExclusively(path: publicPath, text: KeyFiles.publicKeyText(key.publicKey), mode: 0o644)
        } catch {
            // Without its public half the private key is useless and confusing: remove what we created.
            unlink(name)
            throw error
        }
        return Created(privateKeyPath: name, publicKeyPath: publicPath, fingerprint: KeyFiles.fingerprint(key.publicKey))
    }

    private static func isSymlink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }

    /// O_EXCL creation: never replaces a file, even one created between the check and the write.
    /// The mode is set at creation, so the private key is never readable by others, not even briefly.
    private static func createExclusively(path: String, text: String, mode: mode_t) throws(KeyFileError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else {
            let e = errno
            if e == EEXIST { throw .exists(path: path) }
            throw .cannotWrite(path: path, reason: String(cString: strerror(e)))
        }
        let bytes = Array(text.utf8)
        var written = 0
        var failure: String?
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                break
            }
            written += n
        }
        if failure == nil, fsync(fd) != 0 { failure = "fsync failed: \(String(cString: strerror(errno)))" }
        close(fd)
        if let failure {
            unlink(path)
            throw .cannotWrite(path: path, reason: failure)
        }
    }
}
