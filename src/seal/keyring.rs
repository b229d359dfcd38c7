//! The wrapped keyring file and unlocking it with the staff passphrase.

use super::blind::{BlindIndex, BlindKind};
use super::{Error, Result, Sealer, random};
use crate::protocol::sealed::{OpenKey, SealKey, from_hex, to_hex};
use crate::store::files;
use argon2::{Algorithm, Argon2, Block, Params, Version};
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{Key, KeyInit, XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use zeroize::{Zeroize, Zeroizing};

/// The keyring's file name inside `<data_dir>/keys/`.
pub const KEYRING_FILE: &str = "seal-keyring.json";

/// Shortest staff passphrase, in characters (a Chinese phrase of 12 characters is fine).
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// The data dir's folder of keys (the fairs' keys live there too, `crate::app::keys`).
pub const KEYS_DIR: &str = "keys";

/// Where the keyring of the kiosk in `data_dir` lives.
pub fn keyring_path(data_dir: &Path) -> PathBuf {
    data_dir.join(KEYS_DIR).join(KEYRING_FILE)
}

const FORMAT: u32 = 1;
const WRAP_AAD: &[u8] = b"jobfair-kiosk seal keyring 1\0";

/// How the wrapping key is derived from the passphrase: argon2id with these costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kdf {
    pub algorithm: String,
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
    /// 16 random bytes, hex; fresh for every wrap.
    pub salt: String,
}

impl Kdf {
    /// The costs new keyrings get: 7 MiB and 5 passes, one of OWASP's equivalent argon2id
    /// settings (Password Storage Cheat Sheet: 46 MiB × 1, 19 × 2, 12 × 3, 9 × 4, 7 × 5).
    /// The least memory of them: the working memory lands on top of everything the kiosk
    /// holds when the staff unlock (its whole footprint goal is 40 MB, bench/RESULTS.md);
    /// it is allocated for the unlock and unmapped right after, and the unlock stays far
    /// under a second (`cargo bench --bench seal`). Keyrings made with other costs keep
    /// theirs (the costs are in the file).
    pub const MEMORY_KIB: u32 = 7 * 1024;
    pub const ITERATIONS: u32 = 5;

    /// Default costs with a fresh salt.
    pub fn new() -> Result<Kdf> {
        Kdf::with_costs(Kdf::MEMORY_KIB, Kdf::ITERATIONS)
    }

    /// Other costs with a fresh salt (tests use small ones to stay quick).
    pub fn with_costs(memory_kib: u32, iterations: u32) -> Result<Kdf> {
        Ok(Kdf {
            algorithm: "argon2id".into(),
            memory_kib,
            iterations,
            parallelism: 1,
            salt: to_hex(&random::<16>()?),
        })
    }

    fn derive(&self, passphrase: &str, path: &Path) -> Result<Zeroizing<[u8; 32]>> {
        let bad = |reason: &str| Error::BadKeyring {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        };
        if self.algorithm != "argon2id" {
            return Err(bad("unknown kdf"));
        }
        let salt = from_hex(&self.salt).ok_or_else(|| bad("salt"))?;
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, Some(32))
            .map_err(|_| bad("kdf parameters"))?;
        let mut out = Zeroizing::new([0u8; 32]);
        let memory = KdfMemory::new(params.block_count()).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into_with_memory(passphrase.as_bytes(), &salt, out.as_mut(), memory)
            .map_err(|_| bad("kdf"))?;
        Ok(out)
    }
}

/// Argon2's working memory in pages of its own (`mmap`), wiped and given back to the
/// system (`munmap`) when dropped. Through the heap, glibc kept each unlock's memory (12 MiB
/// then): the kiosk's resident memory grew by 12 MiB per unlock (`cargo bench --bench seal`).
struct KdfMemory {
    ptr: std::ptr::NonNull<Block>,
    len: usize,
}

impl KdfMemory {
    fn new(len: usize) -> std::io::Result<KdfMemory> {
        let bytes = len * std::mem::size_of::<Block>();
        // SAFETY: an anonymous private mapping, not tied to any file or existing memory.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                bytes,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        let ptr = std::ptr::NonNull::new(ptr.cast::<Block>())
            .ok_or_else(std::io::Error::last_os_error)?;
        Ok(KdfMemory { ptr, len })
    }
}

impl AsMut<[Block]> for KdfMemory {
    fn as_mut(&mut self) -> &mut [Block] {
        // SAFETY: the mapping holds `len` blocks, is page-aligned (Block needs 64) and zeroed
        // by the kernel (all-zero bytes are a valid Block); it lives as long as `self`.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for KdfMemory {
    fn drop(&mut self) {
        let bytes = self.len * std::mem::size_of::<Block>();
        // SAFETY: the mapping is ours and still mapped; nothing borrows it any more.
        unsafe {
            std::ptr::write_bytes(self.ptr.as_ptr().cast::<u8>(), 0, bytes);
            libc::munmap(self.ptr.as_ptr().cast(), bytes);
        }
    }
}

/// The keyring as stored: the staff's public key in clear, the secrets wrapped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyring {
    format: u32,
    kdf: Kdf,
    /// The staff export key's public half (64 hex digits): sign-ups are sealed to it.
    staff_public_key: String,
    /// 24 bytes, hex.
    nonce: String,
    /// XChaCha20-Poly1305 of the HMAC key (32 bytes) then the staff secret key (32 bytes).
    wrapped: String,
    #[serde(skip)]
    path: PathBuf,
}

/// The keyring's secrets in memory; zeroized when dropped (the HMAC key here, the staff
/// secret key by `crypto_box`). A clone is a second copy, zeroized on its own drop (the
/// phone form's writer thread holds one).
#[derive(Clone)]
pub struct Unlocked {
    pub(super) hmac_key: Zeroizing<[u8; 32]>,
    staff: OpenKey,
}

impl std::fmt::Debug for Unlocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Unlocked(secrets hidden)")
    }
}

impl Unlocked {
    /// The blind index of a phone (`13912345678`) or a resident ID (18 characters, upper-case X).
    pub fn blind(&self, kind: BlindKind, value: &str) -> BlindIndex {
        BlindIndex::compute(&self.hmac_key, kind, value)
    }

    pub(super) fn staff_key(&self) -> &OpenKey {
        &self.staff
    }
}

fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.trim().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::PassphraseTooShort);
    }
    Ok(())
}

impl Keyring {
    /// Makes fresh secrets, wraps them with `passphrase` and writes the keyring (0600,
    /// atomically) to `path`. Refuses to replace an existing keyring: its secrets are the
    /// only way to read what was sealed with it.
    pub fn create(path: &Path, passphrase: &str, kdf: Kdf) -> Result<(Keyring, Unlocked)> {
        check_passphrase(passphrase)?;
        if path.exists() {
            return Err(Error::KeyringExists {
                path: path.to_path_buf(),
            });
        }
        let unlocked = Unlocked {
            hmac_key: Zeroizing::new(random::<32>()?),
            staff: OpenKey::from_bytes(*Zeroizing::new(random::<32>()?)),
        };
        let keyring = Keyring::wrap(path, &unlocked, passphrase, kdf)?;
        keyring.save()?;
        Ok((keyring, unlocked))
    }

    /// Reads the keyring at `path`; [`Error::NoKeyring`] when there is none.
    pub fn load(path: &Path) -> Result<Keyring> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::NoKeyring),
            Err(source) => {
                return Err(Error::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        let mut keyring: Keyring = serde_json::from_str(&text).map_err(|e| Error::BadKeyring {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        if keyring.format != FORMAT {
            return Err(Error::BadKeyring {
                path: path.to_path_buf(),
                reason: format!("format {} (this build reads {FORMAT})", keyring.format),
            });
        }
        keyring.path = path.to_path_buf();
        keyring.staff_key()?;
        Ok(keyring)
    }

    /// The staff export key's public half.
    pub fn staff_key(&self) -> Result<SealKey> {
        SealKey::from_hex(&self.staff_public_key).map_err(|_| Error::BadKeyring {
            path: self.path.clone(),
            reason: "staff_public_key".into(),
        })
    }

    /// What new sign-ups are sealed to: the staff key, and the base's if known.
    pub fn sealer(&self, base: Option<SealKey>) -> Result<Sealer> {
        Ok(Sealer {
            staff: self.staff_key()?,
            base,
        })
    }

    /// The secrets, if `passphrase` is the staff passphrase ([`Error::WrongPassphrase`] if not,
    /// and also if the file's public key or wrapped bytes were changed).
    pub fn unlock(&self, passphrase: &str) -> Result<Unlocked> {
        let kek = self.kdf.derive(passphrase, &self.path)?;
        let bad = |reason: &str| Error::BadKeyring {
            path: self.path.clone(),
            reason: reason.to_string(),
        };
        let nonce = from_hex(&self.nonce)
            .and_then(|n| XNonce::try_from(n.as_slice()).ok())
            .ok_or_else(|| bad("nonce"))?;
        let wrapped = from_hex(&self.wrapped).ok_or_else(|| bad("wrapped"))?;
        let mut plain = Zeroizing::new(
            XChaCha20Poly1305::new(&Key::from(*kek))
                .decrypt(
                    &nonce,
                    Payload {
                        msg: &wrapped,
                        aad: &self.aad(),
                    },
                )
                .map_err(|_| Error::WrongPassphrase)?,
        );
        if plain.len() != 64 {
            return Err(bad("wrapped length"));
        }
        let mut hmac_key = Zeroizing::new([0u8; 32]);
        hmac_key.copy_from_slice(&plain[..32]);
        let mut secret = Zeroizing::new([0u8; 32]);
        secret.copy_from_slice(&plain[32..]);
        plain.zeroize();
        let staff = OpenKey::from_bytes(*secret);
        if staff.seal_key() != self.staff_key()? {
            return Err(bad("the secret key does not match the public key"));
        }
        Ok(Unlocked { hmac_key, staff })
    }

    /// Re-wraps the secrets under `new` (fresh salt and nonce, the same costs) once `old`
    /// unlocked them, and writes the file again atomically. The secrets, and so every index and box, stay.
    pub fn change_passphrase(&mut self, old: &str, new: &str) -> Result<()> {
        check_passphrase(new)?;
        let unlocked = self.unlock(old)?;
        let kdf = Kdf::with_costs(self.kdf.memory_kib, self.kdf.iterations)?;
        *self = Keyring::wrap(&self.path, &unlocked, new, kdf)?;
        self.save()
    }

    fn aad(&self) -> Vec<u8> {
        let mut aad = WRAP_AAD.to_vec();
        aad.extend_from_slice(self.staff_public_key.as_bytes());
        aad
    }

    fn wrap(path: &Path, secrets: &Unlocked, passphrase: &str, kdf: Kdf) -> Result<Keyring> {
        let kek = kdf.derive(passphrase, path)?;
        let nonce = random::<24>()?;
        let mut keyring = Keyring {
            format: FORMAT,
            kdf,
            staff_public_key: secrets.staff.seal_key().to_hex(),
            nonce: to_hex(&nonce),
            wrapped: String::new(),
            path: path.to_path_buf(),
        };
        let mut plain = Zeroizing::new([0u8; 64]);
        plain[..32].copy_from_slice(secrets.hmac_key.as_ref());
        plain[32..].copy_from_slice(&Zeroizing::new(secrets.staff.to_bytes())[..]);
        let wrapped = XChaCha20Poly1305::new(&Key::from(*kek))
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plain.as_ref(),
                    aad: &keyring.aad(),
                },
            )
            .map_err(|_| Error::BadKeyring {
                path: path.to_path_buf(),
                reason: "wrap".into(),
            })?;
        keyring.wrapped = to_hex(&wrapped);
        Ok(keyring)
    }

    fn save(&self) -> Result<()> {
        let io = |source| Error::Io {
            path: self.path.clone(),
            source,
        };
        if let Some(dir) = self.path.parent() {
            files::create_private_dir(dir).map_err(io)?;
        }
        let mut text = serde_json::to_string_pretty(self).expect("keyring serializes");
        text.push('\n');
        files::write_private_atomic(&self.path, text.as_bytes()).map_err(io)
    }
}
