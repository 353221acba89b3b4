//! Why a command stopped: its exit code and the error line to print.
//! Commands return `Result<(), CliError>`; [`super::run`] is the one place
//! that prints the error and turns it into the exit code.

use std::fmt::Display;

/// Exit code of invalid input, error-level findings or a failed verification.
pub const INVALID: u8 = 1;
/// Exit code of a usage or I/O error.
pub const USAGE_OR_IO: u8 = 2;

/// A command that stopped with an exit code other than 0.
#[derive(Debug, thiserror::Error)]
#[error("{}", message.as_deref().unwrap_or("the command failed"))]
pub struct CliError {
    /// The exit code.
    pub code: u8,
    /// The error line; `None` when the command has already said what went
    /// wrong (diagnostics, a verification report).
    pub message: Option<String>,
}

impl CliError {
    /// An error printed as `error: MESSAGE`, exiting with `code`.
    pub fn new(code: u8, message: impl Display) -> Self {
        CliError {
            code,
            message: Some(message.to_string()),
        }
    }

    /// A usage or I/O error (exit 2).
    pub fn usage_or_io(message: impl Display) -> Self {
        CliError::new(USAGE_OR_IO, message)
    }

    /// Invalid input or a failed check (exit 1).
    pub fn invalid(message: impl Display) -> Self {
        CliError::new(INVALID, message)
    }

    /// Exit with `code`, printing nothing more: the command has reported.
    pub fn reported(code: u8) -> Self {
        CliError {
            code,
            message: None,
        }
    }

    /// The same error with `context: ` before its message.
    pub fn context(self, context: impl Display) -> Self {
        CliError {
            code: self.code,
            message: self.message.map(|m| format!("{context}: {m}")),
        }
    }
}

/// `Ok` for exit code 0, else the error that exits with `code`.
pub fn exit_with(code: u8) -> Result<(), CliError> {
    match code {
        0 => Ok(()),
        code => Err(CliError::reported(code)),
    }
}

macro_rules! usage_or_io_from {
    ($($t:ty),* $(,)?) => {$(
        impl From<$t> for CliError {
            fn from(e: $t) -> Self {
                CliError::usage_or_io(e)
            }
        }
    )*};
}

usage_or_io_from!(
    crate::package::PackageError,
    crate::package::sign::SignError,
    crate::render::RenderError,
    crate::ingest::IngestError,
    crate::pipeline::AsOfError,
    super::ArgError,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exit_code_and_message_follow_the_error() {
        let e: CliError = crate::package::PackageError::EvidenceChanged("a.pdf".into()).into();
        assert_eq!(
            (e.code, e.to_string()),
            (
                USAGE_OR_IO,
                "a.pdf: changed while the package was built".into()
            )
        );
        let e = CliError::invalid("bad").context("a.yaml");
        assert_eq!(
            (e.code, e.message.as_deref()),
            (INVALID, Some("a.yaml: bad"))
        );
        assert!(exit_with(0).is_ok());
        assert_eq!(
            exit_with(1).map_err(|e| (e.code, e.message)),
            Err((1, None))
        );
    }
}
