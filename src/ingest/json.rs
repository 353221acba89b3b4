//! Stream the elements of a JSON array, one at a time, without holding the
//! document: the array is the whole document, or the value of one key of
//! a top-level object (`{"Findings": [...]}`).

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use std::cell::Cell;
use std::fmt;
use std::io::Read;
use std::marker::PhantomData;

/// Where a parse failed and why: (`line L, column C, finding [i]`, message).
pub type Located = (String, String);

struct Elements<'a, T, F> {
    each: &'a mut F,
    index: &'a Cell<usize>,
    _t: PhantomData<T>,
}

impl<'de, T: DeserializeOwned, F: FnMut(T)> Visitor<'de> for Elements<'_, T, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of findings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<T>()? {
            (self.each)(v);
            self.index.set(self.index.get() + 1);
        }
        Ok(())
    }
}

impl<'de, T: DeserializeOwned, F: FnMut(T)> DeserializeSeed<'de> for Elements<'_, T, F> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

struct Top<'a, T, F> {
    key: Option<&'a str>,
    elements: Elements<'a, T, F>,
}

impl<'de, T: DeserializeOwned, F: FnMut(T)> Visitor<'de> for Top<'_, T, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.key {
            Some(k) => write!(f, "an array of findings, or an object with `{k}`"),
            None => f.write_str("an array of findings"),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.elements.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some(key) = self.key else {
            return Err(de::Error::invalid_type(de::Unexpected::Map, &self));
        };
        let mut elements = Some(self.elements);
        while let Some(k) = map.next_key::<String>()? {
            match elements.take() {
                Some(e) if k == key => map.next_value_seed(e)?,
                other => {
                    elements = other;
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        match elements {
            Some(_) => Err(de::Error::missing_field("findings array")),
            None => Ok(()),
        }
    }
}

/// Call `each` with every element of the array (the document, or the
/// value of `key` in a top-level object). Errors say the line, column and
/// the index of the finding being read.
pub fn stream<T: DeserializeOwned>(
    reader: impl Read,
    key: Option<&str>,
    mut each: impl FnMut(T),
) -> Result<(), Located> {
    let index = Cell::new(0);
    let mut de = serde_json::Deserializer::from_reader(reader);
    let top = Top {
        key,
        elements: Elements {
            each: &mut each,
            index: &index,
            _t: PhantomData,
        },
    };
    let result = de::Deserializer::deserialize_any(&mut de, top).and_then(|()| de.end());
    result.map_err(|e| located(&e, index.get()))
}

/// (`line L, column C (finding [i])`, the message without its position).
fn located(e: &serde_json::Error, index: usize) -> Located {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = text.strip_suffix(&suffix).unwrap_or(&text).to_string();
    let what = match e.classify() {
        serde_json::error::Category::Eof | serde_json::error::Category::Syntax => {
            format!("line {}, column {}", e.line(), e.column())
        }
        _ => format!(
            "line {}, column {} (finding [{index}])",
            e.line(),
            e.column()
        ),
    };
    (what, message)
}
