//! What PDF/A-2b asks of the file structure beyond embedded fonts: XMP
//! metadata that matches the document information and declares the part and
//! conformance, an sRGB output intent, and printable link annotations.

use super::document::ReportMeta;
use lopdf::{Dictionary, Object, Stream};

/// The sRGB IEC61966-2.1 profile (zlib licence, see assets/icc/LICENSE).
static SRGB: &[u8] = include_bytes!("../../../assets/icc/sRGB.icc");

/// Escape text for XML.
fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `D:YYYYMMDDHHmmSSZ` → `YYYY-MM-DDTHH:mm:SSZ`.
fn iso(pdf_date: &str) -> String {
    let d = pdf_date.trim_start_matches("D:");
    let part = |a: usize, b: usize| d.get(a..b).unwrap_or("00");
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        part(0, 4),
        part(4, 6),
        part(6, 8),
        part(8, 10),
        part(10, 12),
        part(12, 14)
    )
}

/// The XMP packet.
fn xmp(fur: &ReportMeta) -> String {
    let date = iso(&fur.date);
    format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
   <pdf:Keywords>{keywords}</pdf:Keywords>
   <pdf:Producer>{producer}</pdf:Producer>
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        title = xml(&fur.title),
        author = xml(&fur.author),
        subject = xml(&fur.subject),
        keywords = xml(&fur.keywords.join(", ")),
        producer = xml(&format!("{} (printpdf)", fur.creator)),
        creator = xml(&fur.creator),
    )
}

/// Add the XMP metadata and the output intent to the catalog, and make
/// every annotation printable.
pub fn apply(
    doc: &mut lopdf::Document,
    catalog_id: lopdf::ObjectId,
    fur: &ReportMeta,
) -> Result<(), lopdf::Error> {
    let mut meta = Dictionary::new();
    meta.set("Type", Object::Name(b"Metadata".to_vec()));
    meta.set("Subtype", Object::Name(b"XML".to_vec()));
    let meta_id = doc.add_object(Object::Stream(
        Stream::new(meta, xmp(fur).into_bytes()).with_compression(false),
    ));

    let mut icc = Dictionary::new();
    icc.set("N", Object::Integer(3));
    let icc_id = doc.add_object(Object::Stream(Stream::new(icc, SRGB.to_vec())));
    let mut intent = Dictionary::new();
    intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
    intent.set("S", Object::Name(b"GTS_PDFA1".to_vec()));
    intent.set(
        "OutputConditionIdentifier",
        Object::string_literal("sRGB IEC61966-2.1"),
    );
    intent.set("Info", Object::string_literal("sRGB IEC61966-2.1"));
    intent.set("DestOutputProfile", Object::Reference(icc_id));

    let catalog = doc
        .get_object_mut(catalog_id)
        .and_then(Object::as_dict_mut)?;
    catalog.set("Metadata", Object::Reference(meta_id));
    catalog.set(
        "OutputIntents",
        Object::Array(vec![Object::Dictionary(intent)]),
    );

    for obj in doc.objects.values_mut() {
        if let Object::Dictionary(d) = obj {
            if d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"Annot".as_slice())
                || d.get(b"Subtype").ok().and_then(|t| t.as_name().ok()) == Some(b"Link".as_slice())
            {
                d.set("F", Object::Integer(4));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_and_escaping() {
        assert_eq!(super::iso("D:20260930000000Z"), "2026-09-30T00:00:00Z");
        assert_eq!(super::xml("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
