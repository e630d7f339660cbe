//! A small macro for enums that travel as stable lowercase codes (in forms, URLs, the database
//! and the catalog's `applies_when`), each with a label for people.

/// Declares an enum whose variants have a stable code and a human label.
#[macro_export]
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order (the order forms list them in).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored and sent for this value.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The label shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses a code exactly as `code()` writes it.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl $crate::domain::codes::Coded for $name {
            const ALL: &'static [Self] = $name::ALL;
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn label(self) -> &'static str {
                $name::label(self)
            }
            fn from_code(code: &str) -> Option<Self> {
                $name::from_code(code)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

/// A value with a stable code and a label: the coded enums, and yes/no.
pub trait Coded: Copy + Sized + 'static {
    /// Every value, in the order forms list them.
    const ALL: &'static [Self];
    /// The stable code stored and sent for this value.
    fn code(self) -> &'static str;
    /// The label shown to people.
    fn label(self) -> &'static str;
    /// Parses a code exactly as `code()` writes it.
    fn from_code(code: &str) -> Option<Self>;
}

/// Yes/no attributes travel as `false` / `true`.
impl Coded for bool {
    const ALL: &'static [Self] = &[false, true];
    fn code(self) -> &'static str {
        if self {
            "true"
        } else {
            "false"
        }
    }
    fn label(self) -> &'static str {
        if self {
            "Yes"
        } else {
            "No"
        }
    }
    fn from_code(code: &str) -> Option<Self> {
        match code {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
}
