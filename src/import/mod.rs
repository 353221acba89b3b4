//! Importers that turn public catalogs into the library's framework format.

pub mod oscal;
