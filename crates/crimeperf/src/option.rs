//! Option values spelled one way: the snake_case words that `label()`, `FromStr`, serde and the
//! Python API share (`"half_up"`, `"lower_is_better"`, `"no_significant_change"`).

use crate::{Error, Result};

/// An option whose values each have one snake_case label.
pub(crate) trait OptionLabel: Copy + 'static {
    /// What the option is called in errors, e.g. "rounding".
    const WHAT: &'static str;
    /// The labels of [`all`](OptionLabel::all), comma separated, for errors.
    const EXPECTED: &'static str;
    /// Every value.
    fn all() -> &'static [Self];
    /// The value's label.
    fn label(self) -> &'static str;
}

/// The value whose label is `text` (ignoring case and surrounding space); otherwise
/// [`Error::UnknownOption`] listing the labels and suggesting the closest.
pub(crate) fn parse<T: OptionLabel>(text: &str) -> Result<T> {
    let wanted = text.trim().to_ascii_lowercase();
    T::all()
        .iter()
        .copied()
        .find(|value| value.label() == wanted)
        .ok_or_else(|| Error::UnknownOption {
            what: T::WHAT,
            label: text.to_owned(),
            expected: T::EXPECTED,
        })
}

/// Declares an option enum with its snake_case `label()`, `Display` and a `FromStr` that accepts
/// exactly the labels and lists them when given anything else.
macro_rules! option_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal, $expected:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $label:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The snake_case label, as serde and `FromStr` spell it.
            pub fn label(self) -> &'static str {
                match self {
                    $( $name::$variant => $label, )+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl $crate::option::OptionLabel for $name {
            const WHAT: &'static str = $what;
            const EXPECTED: &'static str = $expected;
            fn all() -> &'static [Self] {
                $name::ALL
            }
            fn label(self) -> &'static str {
                $name::label(self)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::Error;

            /// Parses a label, case-insensitive and trimmed, as every option of the crate.
            fn from_str(s: &str) -> $crate::Result<Self> {
                $crate::option::parse(s)
            }
        }
    };
}

pub(crate) use option_enum;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Polarity, RagRule, RagStatus, RateMethod, Rounding, Significance};

    /// [`OptionLabel::EXPECTED`] lists exactly the labels of [`OptionLabel::all`], each one
    /// snake_case, and each parses back to its value.
    fn check<T: OptionLabel + PartialEq + std::fmt::Debug>() {
        let labels: Vec<&str> = T::all().iter().map(|v| v.label()).collect();
        assert_eq!(labels.join(", "), T::EXPECTED);
        for &value in T::all() {
            let label = value.label();
            assert!(
                label.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{label}"
            );
            assert_eq!(parse::<T>(label), Ok(value));
            assert_eq!(
                parse::<T>(&format!("  {}\t", label.to_uppercase())),
                Ok(value)
            );
        }
    }

    #[test]
    fn every_option_lists_its_labels() {
        check::<Rounding>();
        check::<Polarity>();
        check::<RateMethod>();
        check::<RagStatus>();
        check::<RagRule>();
        check::<Significance>();
    }
}
