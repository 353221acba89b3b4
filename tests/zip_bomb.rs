//! A zip whose `manifest.json` inflates to 1 GiB is refused by `verify`
//! without the memory to hold it. Alone in its test binary, so that the
//! process's peak memory is this test's.

use std::io::Write;

/// Bits written least significant first, as deflate wants them.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u32, count: u32) {
        for i in 0..count {
            self.acc |= ((value >> i) & 1) << self.n;
            self.n += 1;
            if self.n == 8 {
                self.out.push(self.acc as u8);
                self.acc = 0;
                self.n = 0;
            }
        }
    }

    /// A Huffman code: most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        for i in (0..len).rev() {
            self.put((code >> i) & 1, 1);
        }
    }
}

/// One fixed-Huffman deflate block: a space, then `pairs` copies of the
/// 258 bytes before (length 258, distance 1): 1 + 258 × pairs spaces.
fn deflated_spaces(pairs: u32) -> Vec<u8> {
    let mut b = Bits::default();
    b.put(1, 1); // last block
    b.put(1, 2); // fixed Huffman codes
    b.code(0b0011_0000 + u32::from(b' '), 8);
    for _ in 0..pairs {
        b.code(0b1100_0101, 8); // length code 285: 258
        b.code(0, 5); // distance code 0: 1
    }
    b.code(0, 7); // end of block
    b.put(0, 7);
    b.out
}

/// A zip of one deflated entry (`crc` left 0: the entry is never read to its end).
fn zip_of(name: &str, data: &[u8], size: u32) -> Vec<u8> {
    let mut z = Vec::new();
    let le16 = |v: u16| v.to_le_bytes();
    let le32 = |v: u32| v.to_le_bytes();
    let n = name.len() as u16;
    let c = data.len() as u32;
    for part in [
        &le32(0x0403_4b50)[..],
        &le16(20),
        &le16(0),
        &le16(8),
        &le16(0),
        &le16(0x21),
    ] {
        z.extend_from_slice(part);
    }
    for part in [
        &le32(0)[..],
        &le32(c),
        &le32(size),
        &le16(n),
        &le16(0),
        name.as_bytes(),
        data,
    ] {
        z.extend_from_slice(part);
    }
    let cd = z.len() as u32;
    for part in [
        &le32(0x0201_4b50)[..],
        &le16(0x031e),
        &le16(20),
        &le16(0),
        &le16(8),
        &le16(0),
    ] {
        z.extend_from_slice(part);
    }
    for part in [
        &le16(0x21)[..],
        &le32(0),
        &le32(c),
        &le32(size),
        &le16(n),
        &le16(0),
        &le16(0),
    ] {
        z.extend_from_slice(part);
    }
    for part in [
        &le16(0)[..],
        &le16(0),
        &le32(0o100644 << 16),
        &le32(0),
        name.as_bytes(),
    ] {
        z.extend_from_slice(part);
    }
    let cd_size = z.len() as u32 - cd;
    for part in [
        &le32(0x0605_4b50)[..],
        &le16(0),
        &le16(0),
        &le16(1),
        &le16(1),
        &le32(cd_size),
        &le32(cd),
        &le16(0),
    ] {
        z.extend_from_slice(part);
    }
    z
}

fn peak_memory_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[test]
fn a_manifest_bomb_is_refused_in_little_memory() {
    let pairs = 4_161_000u32;
    let size = 1 + 258 * pairs;
    let bytes = zip_of("manifest.json", &deflated_spaces(pairs), size);
    assert!(bytes.len() < 8 << 20, "{} bytes", bytes.len());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.zip");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(&bytes)
        .unwrap();
    drop(bytes);
    let report = auditpack::package::verify::verify(&path, None).unwrap();
    assert!(!report.ok());
    assert!(
        report.problems.iter().any(|p| p.contains("larger than")),
        "{:?}",
        report.problems
    );
    let peak = peak_memory_kib();
    assert!(peak < 100 * 1024, "peak memory {peak} KiB");
}
