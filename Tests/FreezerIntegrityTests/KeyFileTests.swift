import Crypto
import Foundation
import FreezerIntegrity
import FreezerTestSupport
import Testing

@Suite("Key files")
struct KeyFileTests {
    @Test func keygenWritesAPrivateKeyOnlyTheOwnerCanReadAndNeverOverwrites() throws {
        let dir = Fixtures.temporaryDirectory()
        let created = try KeyGeneration.generate(name: dir + "/jane.key")
        let attributes = try FileManager.default.attributesOfItem(atPath: created.privateKeyPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let key = try KeyFiles.readPrivateKey(created.privateKeyPath)
        let pub = try KeyFiles.readPublicKey(created.publicKeyPath)
        #expect(key.publicKey.rawRepresentation == pub.rawRepresentation)
        #expect(KeyFiles.fingerprint(pub) == created.fingerprint)
        let before = FileManager.default.contents(atPath: created.privateKeyPath)
        #expect(throws: KeyFileError.exists(path: dir + "/jane.key")) { try KeyGeneration.generate(name: dir + "/jane.key") }
        #expect(FileManager.default.contents(atPath: created.privateKeyPath) == before)
        // An existing NAME.pub alone also blocks, and nothing is created.
        FileManager.default.createFile(atPath: dir + "/other.key.pub", contents: Data("x".utf8))
        #expect(throws: KeyFileError.exists(path: dir + "/other.key.pub")) { try KeyGeneration.generate(name: dir + "/other.key") }
        #expect(!FileManager.default.fileExists(atPath: dir + "/other.key"))
    }

    @Test func filesThatAreNotKeysAreNamed() throws {
        let dir = Fixtures.temporaryDirectory()
        let created = try KeyGeneration.generate(name: dir + "/k")
        #expect { try KeyFiles.readPrivateKey(created.publicKeyPath) } throws: { "\($0)".contains("it is a public key") }
        #expect { try KeyFiles.readPublicKey(created.privateKeyPath) } throws: { "\($0)".contains("PRIVATE key") }
        let junk = dir + "/junk"
        try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: junk))
        #expect { try KeyFiles.readPrivateKey(junk) } throws: { error in
            guard case KeyFileError.notAKey(junk, _, _) = error else { return false }
            return "\(error)".contains(junk)
        }
        #expect(throws: KeyFileError.notFound(path: dir + "/none")) { try KeyFiles.readPublicKey(dir + "/none") }
        // A bare base64 public key, as the log holds it, is accepted.
        let bare = dir + "/bare.pub"
        let pub = try KeyFiles.readPublicKey(created.publicKeyPath)
        try Data((pub.rawRepresentation.base64EncodedString() + "\n").utf8).write(to: URL(fileURLWithPath: bare))
        #expect(try KeyFiles.readPublicKey(bare).rawRepresentation == pub.rawRepresentation)
    }
}
