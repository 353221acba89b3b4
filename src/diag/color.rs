//! Colour on terminals: `--color auto|always|never`, honouring `NO_COLOR`.

use super::Severity;

/// The `--color` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stderr is a terminal and `NO_COLOR` is unset or empty.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour, given whether the stream is a terminal and the
    /// value of `NO_COLOR` (https://no-color.org: any non-empty value).
    pub fn enabled(self, terminal: bool, no_color: Option<&str>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && no_color.is_none_or(str::is_empty),
        }
    }
}

/// ANSI styles, or nothing when colour is off.
#[derive(Debug, Clone, Copy, Default)]
pub struct Paint {
    pub on: bool,
}

impl Paint {
    fn wrap(self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    /// The severity word in its colour (red, yellow, cyan), bold.
    pub fn severity(self, sev: Severity, s: &str) -> String {
        let code = match sev {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Note => "1;36",
        };
        self.wrap(code, s)
    }

    /// Bold text (locations, messages).
    pub fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }

    /// Dim-blue text (gutters and carets).
    pub fn gutter(self, s: &str) -> String {
        self.wrap("1;34", s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_and_terminals() {
        use ColorChoice::*;
        let cases = [
            (Auto, true, None, true),
            (Auto, false, None, false),
            (Auto, true, Some("1"), false),
            (Auto, true, Some(""), true),
            (Always, false, Some("1"), true),
            (Never, true, None, false),
        ];
        for (choice, tty, nc, want) in cases {
            assert_eq!(choice.enabled(tty, nc), want, "{choice:?} {tty} {nc:?}");
        }
    }

    #[test]
    fn paint_off_is_plain() {
        let p = Paint { on: false };
        assert_eq!(p.severity(Severity::Error, "error"), "error");
        let p = Paint { on: true };
        assert_eq!(p.bold("x"), "\x1b[1mx\x1b[0m");
    }
}
