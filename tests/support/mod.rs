//! What the test binaries share (`mod support;` in each): the sample package
//! built once per binary ([`sample`]), small projects written for one rule
//! each ([`project`]) and file helpers ([`files`]). Not every binary uses
//! every helper.

pub mod files;
pub mod project;
pub mod sample;
