//! The embedded fonts (DejaVu Sans, Bold, Oblique and Sans Mono, under
//! `assets/fonts/` with their licence), their glyph advances, and the visible
//! fallback for characters the fonts lack.
//!
//! Widths come from the same parsed fonts that printpdf embeds, so what the
//! layout measures is what the viewer draws.

use printpdf::{FontId, ParsedFont};
use std::sync::OnceLock;

/// A face of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Regular,
    Bold,
    Italic,
    Mono,
}

impl Face {
    pub const ALL: [Face; 4] = [Face::Regular, Face::Bold, Face::Italic, Face::Mono];

    fn index(self) -> usize {
        self as usize
    }

    /// The fixed resource id of the face. printpdf takes the subset tag
    /// (`ABCDEF+DejaVuSans`) from the first six letters of the id, so a fixed
    /// id gives reproducible bytes.
    pub fn id(self) -> FontId {
        FontId(
            match self {
                Face::Regular => "DJVSAN",
                Face::Bold => "DJVSBD",
                Face::Italic => "DJVSOB",
                Face::Mono => "DJVSMO",
            }
            .to_string(),
        )
    }
}

/// Shown for a character that no face has: visible, never silently dropped.
pub const REPLACEMENT: char = '\u{FFFD}';

const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Oblique.ttf");
const MONO: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSansMono.ttf");

/// Advances of the Basic Multilingual Plane are tabulated up front; `MISSING`
/// marks a character the face has no glyph for.
const MISSING: u16 = u16::MAX;
const TABLE: usize = 0x1_0000;

/// One parsed face and its advance table.
pub struct FaceData {
    pub parsed: ParsedFont,
    /// Advance of each BMP character in font units, or `MISSING`.
    advance: Vec<u16>,
    units_per_em: f32,
}

impl FaceData {
    fn load(bytes: &[u8]) -> FaceData {
        let mut warnings = Vec::new();
        let parsed =
            ParsedFont::from_bytes(bytes, 0, &mut warnings).expect("the embedded fonts parse");
        let mut advance = vec![MISSING; TABLE];
        for (c, slot) in advance.iter_mut().enumerate() {
            if let Some(g) = parsed.lookup_glyph_index(c as u32) {
                if g != 0 {
                    *slot = parsed.get_horizontal_advance(g).min(MISSING - 1);
                }
            }
        }
        let units_per_em = match parsed.pdf_font_metrics.units_per_em {
            0 => 1000.0,
            u => u as f32,
        };
        FaceData {
            parsed,
            advance,
            units_per_em,
        }
    }

    /// The advance of `c` in font units, when the face has it.
    fn units(&self, c: char) -> Option<u16> {
        let cp = c as usize;
        if cp < TABLE {
            let a = self.advance[cp];
            (a != MISSING).then_some(a)
        } else {
            match self.parsed.lookup_glyph_index(cp as u32) {
                Some(g) if g != 0 => Some(self.parsed.get_horizontal_advance(g)),
                _ => None,
            }
        }
    }
}

/// The four faces.
pub struct Fonts {
    faces: Vec<FaceData>,
}

/// The fonts, parsed once per process.
pub fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts {
        faces: [REGULAR, BOLD, ITALIC, MONO]
            .iter()
            .map(|b| FaceData::load(b))
            .collect(),
    })
}

impl Fonts {
    pub fn face(&self, face: Face) -> &FaceData {
        &self.faces[face.index()]
    }

    /// Whether `face` has a glyph for `c`.
    pub fn has(&self, face: Face, c: char) -> bool {
        self.face(face).units(c).is_some()
    }

    /// Width of one character at `size` points (missing glyphs measure as
    /// the replacement character).
    pub fn char_width(&self, face: Face, c: char, size: f32) -> f32 {
        let f = self.face(face);
        let u = f.units(c).or_else(|| f.units(REPLACEMENT)).unwrap_or(0);
        u as f32 * size / f.units_per_em
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, face: Face, text: &str, size: f32) -> f32 {
        let f = self.face(face);
        let mut units = 0u32;
        for c in text.chars() {
            units += f.units(c).or_else(|| f.units(REPLACEMENT)).unwrap_or(0) as u32;
        }
        units as f32 * size / f.units_per_em
    }

    /// Split `text` into runs that `face` can show: characters it lacks are
    /// shown in the regular face when that has them, else as U+FFFD.
    /// Invisible format characters (variation selectors, joiners) are dropped.
    pub fn cover(&self, face: Face, text: &str) -> Vec<(Face, String)> {
        let mut out: Vec<(Face, String)> = Vec::new();
        for c in text.chars() {
            if is_invisible(c) {
                continue;
            }
            let (f, c) = if self.has(face, c) {
                (face, c)
            } else if self.has(Face::Regular, c) {
                (Face::Regular, c)
            } else if c == '\t' {
                (face, ' ')
            } else {
                (Face::Regular, REPLACEMENT)
            };
            match out.last_mut() {
                Some((lf, s)) if *lf == f => s.push(c),
                _ => out.push((f, c.to_string())),
            }
        }
        out
    }
}

/// Characters that draw nothing by design.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_punctuation_are_covered() {
        let f = fonts();
        for c in "Zoë Müller, José Núñez, Łukasz — “quotes” … ✓ ✗ ⚠ ◐ ○ ◇ · ☁".chars()
        {
            assert!(f.has(Face::Regular, c), "regular lacks {c:?}");
        }
        for c in "Zoë Müller Łukasz — “”".chars() {
            assert!(
                f.has(Face::Bold, c) && f.has(Face::Italic, c),
                "bold or italic lacks {c:?}"
            );
        }
        assert!(f.has(Face::Regular, REPLACEMENT));
    }

    #[test]
    fn missing_glyphs_fall_back_visibly() {
        let f = fonts();
        let runs = f.cover(Face::Bold, "ok ✅\u{FE0F} 😀");
        let text: String = runs.iter().map(|(_, s)| s.as_str()).collect();
        assert!(!text.contains('\u{FE0F}'));
        assert!(text.contains(REPLACEMENT), "{text:?}");
        assert!(f.width(Face::Regular, "WWW", 10.0) > f.width(Face::Regular, "iii", 10.0));
        assert!((f.width(Face::Mono, "iii", 10.0) - f.width(Face::Mono, "WWW", 10.0)).abs() < 0.01);
    }
}
