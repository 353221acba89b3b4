//! The unit of pagination, shared by the flow (`flow.rs`) and the tables
//! (`table.rs`) that make units, and the pager (`pager.rs`) that places them.

use super::layout::Draw;
use std::rc::Rc;

/// An unbreakable slice of the flow: a line, a table row, a heading.
#[derive(Debug, Clone, Default)]
pub struct Unit {
    pub h: f32,
    /// Space above, dropped at the top of a page.
    pub gap: f32,
    /// Never the last unit of a page when the next one could follow it.
    pub keep_next: bool,
    /// Starts a new page.
    pub break_before: bool,
    /// Draws relative to the unit's top; `x` is absolute.
    pub draws: Vec<Draw>,
    pub anchors: Vec<String>,
    /// (level, title) of an outline entry starting here.
    pub outline: Option<(u8, String)>,
    /// The header row to repeat when this table row starts a page.
    pub header: Option<Rc<Unit>>,
}

/// Takes the units a flow has finished, taking from the front those whose
/// place is decided (the pager).
pub trait Drain {
    fn drain(&mut self, units: &mut Vec<Unit>);
}
