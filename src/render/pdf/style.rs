//! The look of the PDF: page size, margins, type sizes and colours, in one
//! place.

use super::blocks::Tone;

/// An RGB colour, 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

const fn hex(v: u32) -> Rgb {
    Rgb(
        ((v >> 16) & 0xff) as f32 / 255.0,
        ((v >> 8) & 0xff) as f32 / 255.0,
        (v & 0xff) as f32 / 255.0,
    )
}

/// A4 portrait, in points.
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
pub const MARGIN_X: f32 = 56.0;
/// Top of the body (below the running header).
pub const BODY_TOP: f32 = 72.0;
/// Bottom of the body (above the footer).
pub const BODY_BOTTOM: f32 = PAGE_H - 64.0;
pub const BODY_W: f32 = PAGE_W - 2.0 * MARGIN_X;
pub const BODY_H: f32 = BODY_BOTTOM - BODY_TOP;

pub const TEXT_SIZE: f32 = 9.5;
pub const TABLE_SIZE: f32 = 8.0;
pub const CODE_SIZE: f32 = 8.0;
pub const SMALL_SIZE: f32 = 7.5;

pub const INK: Rgb = hex(0x1f2328);
pub const MUTED: Rgb = hex(0x59636e);
pub const ACCENT: Rgb = hex(0x0b3d6e);
pub const LINK: Rgb = hex(0x0a58a8);
pub const RULE: Rgb = hex(0xd0d7de);
pub const HEAD_BG: Rgb = hex(0xe8edf3);
pub const LABEL_BG: Rgb = hex(0xf4f6f8);
pub const CODE_BG: Rgb = hex(0xf3f4f6);

/// Horizontal padding inside a badge.
pub const BADGE_PAD: f32 = 3.0;

/// Background and text colour of a badge. Every pair keeps a contrast of at
/// least 4.5:1, and the badge always carries its words.
pub fn badge_colors(t: Tone) -> (Rgb, Rgb) {
    match t {
        Tone::Good => (hex(0xdcf3e2), hex(0x11652c)),
        Tone::Bad => (hex(0xfbe0e0), hex(0xa4161a)),
        Tone::Warn => (hex(0xfff0c7), hex(0x7a4b00)),
        Tone::Partial => (hex(0xfde8d4), hex(0x8a3b00)),
        Tone::Provider => (hex(0xdde9fb), hex(0x17457e)),
        Tone::Neutral => (hex(0xeceef1), hex(0x424a53)),
        Tone::Shared => (hex(0xebe3fa), hex(0x553098)),
        Tone::Customer => (hex(0xd9f2f1), hex(0x0c5b57)),
    }
}
