import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 1;

/**
 * Authenticated encryption (AES-256-GCM) for quarantined originals, which may carry raw user or
 * tenant ids that must not sit readable in a topic or a database. Layout: version (1 byte), IV (12),
 * tag (16), ciphertext. The key is derived from a secret the enricher and the replay CLI share.
 */
export class PayloadSeal {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash('sha256').update(`tokentally-quarantine-seal|${secret}`).digest();
  }

  seal(plain: Buffer): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  unseal(sealed: Buffer): Buffer {
    if (sealed[0] !== VERSION || sealed.length < 29)
      throw new Error('not a sealed payload of a known version');
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(1, 13));
    decipher.setAuthTag(sealed.subarray(13, 29));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
    } catch {
      throw new Error(
        'the sealed payload does not open with this key (QUARANTINE_SEAL_KEY differs from the one that sealed it)',
      );
    }
  }
}
