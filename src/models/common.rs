//! Pieces shared by the Sign and DEM models.

/// Defines an *open* string enum: the listed variants plus `Unknown(String)` for any value
/// this SDK version does not know yet (API reference §0.6).
///
/// The generated type is encoded as a plain JSON string, and an `Unknown` value re-encodes
/// exactly as it was received. It gets `as_str()`, `Display`, `From<&str>`, `From<String>`
/// and an infallible `FromStr`. An optional trailing `default = Variant;` adds a `Default`
/// impl (used by structs whose required field holds the enum).
///
/// Hand-written rather than derived because serde's `#[serde(other)]` only supports a unit
/// fallback variant and so loses the unknown value.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal, )+
        }
        $(default = $default:ident;)?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this SDK version does not know; kept verbatim so it round-trips.
            Unknown(String),
        }

        impl $name {
            /// The wire value, e.g. as sent in JSON or a query string.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )+
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $( $wire => Self::$variant, )+
                    _ => Self::Unknown(value),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }

        $(
            impl ::std::default::Default for $name {
                fn default() -> Self {
                    Self::$default
                }
            }
        )?
    };
}
