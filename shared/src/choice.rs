//! Closed sets of options shown as a select or radio group: the stored value, the Japanese label,
//! and the display order, from one declaration.

/// Declares an enum of options. Each variant names its stored value (what forms send, the
/// database keeps and the API documents) and its label (what users read, what CSV files use).
///
/// ```ignore
/// choice! {
///     /// 性別
///     pub enum Gender {
///         Male => "male", "男性";
///         Female => "female", "女性";
///     }
/// }
/// ```
#[macro_export]
macro_rules! choice {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $variant:ident => $value:literal, $label:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        pub enum $name {
            $( #[serde(rename = $value)] $variant, )+
        }

        impl $name {
            /// Every option, in display order.
            pub const ALL: &'static [$name] = &[$( $name::$variant, )+];

            /// The stored value.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $value, )+
                }
            }

            /// The Japanese label.
            pub const fn label(self) -> &'static str {
                match self {
                    $( $name::$variant => $label, )+
                }
            }

            /// From a stored value (form submissions).
            pub fn parse(value: &str) -> Option<Self> {
                match value {
                    $( $value => Some($name::$variant), )+
                    _ => None,
                }
            }

            /// From a label (CSV files carry labels).
            pub fn from_label(label: &str) -> Option<Self> {
                match label {
                    $( $label => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    choice! {
        /// Test options.
        pub enum Colour {
            Red => "red", "赤";
            Blue => "blue", "青";
        }
    }

    #[test]
    fn values_labels_and_order_come_from_one_declaration() {
        assert_eq!(Colour::ALL, &[Colour::Red, Colour::Blue]);
        assert_eq!(Colour::parse("blue"), Some(Colour::Blue));
        assert_eq!(Colour::from_label("赤"), Some(Colour::Red));
        assert_eq!(Colour::parse("赤"), None);
        assert_eq!(Colour::Blue.label(), "青");
        assert_eq!(serde_json::to_string(&Colour::Red).unwrap(), "\"red\"");
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()), Some(*c));
            assert_eq!(Colour::from_label(c.label()), Some(*c));
        }
    }
}
