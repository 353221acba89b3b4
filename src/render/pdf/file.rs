//! PDF file syntax, written as it goes: numbered objects (each serialized
//! by lopdf itself), their byte offsets, then the cross-reference table and
//! the trailer. The bytes are those `lopdf::Document::save_to` writes for
//! the same objects; only the document is never held whole.

use lopdf::content::{Content, Operation};
use lopdf::xref::{XrefEntry, XrefSection};
use lopdf::{Dictionary, Object, StringFormat};
use std::io::{self, Write};

/// A PDF file being written to `out`.
pub struct PdfFile<'w> {
    out: &'w mut dyn Write,
    written: usize,
    /// Byte offset of each object, by id.
    offsets: Vec<Option<u32>>,
}

impl<'w> PdfFile<'w> {
    /// Start the file: version line and binary mark.
    pub fn new(out: &'w mut dyn Write, version: &str, binary_mark: &[u8]) -> io::Result<Self> {
        let mut f = PdfFile {
            out,
            written: 0,
            offsets: Vec::new(),
        };
        f.put(format!("%PDF-{version}\n").as_bytes())?;
        f.put(b"%")?;
        f.put(binary_mark)?;
        f.put(b"\n")?;
        Ok(f)
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.written += bytes.len();
        self.out.write_all(bytes)
    }

    /// Write object `id` (generation 0).
    pub fn object(&mut self, id: u32, object: Object) -> io::Result<()> {
        let i = id as usize;
        if self.offsets.len() <= i {
            self.offsets.resize(i + 1, None);
        }
        // lopdf writes 32-bit offsets.
        self.offsets[i] = Some(self.written as u32);
        let (open, close) = (starts_apart(&object), ends_apart(&object));
        self.put(format!("{id} 0 obj\n{}", if open { " " } else { "" }).as_bytes())?;
        self.put(&serialize(object)?)?;
        self.put(if close { b" \nendobj\n" } else { b"\nendobj\n" })
    }

    /// The cross-reference table, the trailer (its /Size set from
    /// `max_id`) and the end of the file.
    pub fn finish(mut self, mut trailer: Dictionary, max_id: u32) -> io::Result<()> {
        let start = self.written;
        let mut xref = Vec::new();
        xref.extend_from_slice(b"xref\n");
        let mut section = XrefSection::new(0);
        section.add_unusable_free_entry();
        for id in 1..=max_id {
            if section.is_empty() {
                section = XrefSection::new(id);
            }
            match self.offsets.get(id as usize).copied().flatten() {
                Some(offset) => section.add_entry(XrefEntry::Normal {
                    offset,
                    generation: 0,
                }),
                None if !section.is_empty() => {
                    section.write_xref_section(&mut xref)?;
                    section = XrefSection::new(id);
                }
                None => {}
            }
        }
        section.write_xref_section(&mut xref)?;
        self.put(&xref)?;
        trailer.set("Size", i64::from(max_id + 1));
        self.put(b"trailer\n")?;
        let dict = serialize(Object::Dictionary(trailer))?;
        self.put(&dict)?;
        self.put(format!("\nstartxref\n{start}\n%%EOF").as_bytes())?;
        self.out.flush()
    }
}

/// An object in PDF syntax, by lopdf's own writer (through the content
/// stream encoder, which writes an operand and then a space).
fn serialize(object: Object) -> io::Result<Vec<u8>> {
    let mut bytes = Content {
        operations: vec![Operation::new("", vec![object])],
    }
    .encode()
    .map_err(io::Error::other)?;
    bytes.pop();
    Ok(bytes)
}

/// A PDF text string: UTF-16BE with a byte-order mark.
pub fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// A PDF string of ASCII text.
pub fn ascii(s: &str) -> Object {
    Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
}

/// Objects lopdf separates from `obj` by a space.
fn starts_apart(o: &Object) -> bool {
    matches!(
        o,
        Object::Null
            | Object::Boolean(_)
            | Object::Integer(_)
            | Object::Real(_)
            | Object::Reference(_)
    )
}

/// Objects lopdf separates from `endobj` by a space.
fn ends_apart(o: &Object) -> bool {
    starts_apart(o) || matches!(o, Object::Name(_) | Object::Stream(_))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::Stream;

    /// Objects of every kind, with the gaps and escapes lopdf handles.
    fn objects() -> Vec<(u32, Object)> {
        let mut d = Dictionary::new();
        d.set("A", Object::Null);
        d.set("B", Object::Real(-0.5));
        d.set("C c", Object::Name(b"n#a(me)".to_vec()));
        d.set(
            "S",
            Object::String(b"a(b)\\c)\r".to_vec(), StringFormat::Literal),
        );
        d.set(
            "K",
            Object::Array(vec![
                Object::Integer(3),
                Object::Reference((2, 0)),
                Object::Boolean(true),
            ]),
        );
        vec![
            (1, Object::Dictionary(d)),
            (2, Object::Integer(7)),
            (3, Object::Name(b"N".to_vec())),
            (
                5,
                Object::Stream(Stream::new(Dictionary::new(), b"BT ET".to_vec())),
            ),
            (
                6,
                Object::String(vec![0xfe, 0xff, 0, 65], StringFormat::Hexadecimal),
            ),
        ]
    }

    #[test]
    fn same_bytes_as_lopdf_save() {
        let mut doc = lopdf::Document::with_version("1.7");
        // printpdf's documents have a cross-reference table, not a stream.
        doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
        for (id, o) in objects() {
            doc.objects.insert((id, 0), o);
        }
        doc.max_id = 6;
        doc.trailer.set("Root", Object::Reference((1, 0)));
        let mut expected = Vec::new();
        doc.save_to(&mut expected).unwrap();

        let mut got = Vec::new();
        let mut f = PdfFile::new(&mut got, "1.7", &doc.binary_mark).unwrap();
        for (id, o) in objects() {
            f.object(id, o).unwrap();
        }
        let mut trailer = Dictionary::new();
        trailer.set("Root", Object::Reference((1, 0)));
        f.finish(trailer, 6).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&expected)
        );
    }
}
