//! Comparing texts where the web build is slow at it. wasm32's `memcmp` (compiler-builtins, no SIMD)
//! compares one byte at a time; an edit in a long history compares megabytes of file text and
//! thousands of messages with the ones before.

/// `a == b`: eight bytes at a time in the web build, the platform's `memcmp` elsewhere.
pub fn same_text(a: &str, b: &str) -> bool {
    if cfg!(target_arch = "wasm32") { by_words(a, b) } else { a == b }
}

/// Whether `text` contains `needle`, ASCII letters in either case: the candidates are found by their
/// first byte with `memchr` (vectorised), not by comparing a window at every byte.
pub fn contains_ignore_ascii_case(text: &str, needle: &str) -> bool {
    let (h, n) = (text.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first() else { return true };
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), h)
        .any(|i| h.get(i..i + n.len()).is_some_and(|w| w.eq_ignore_ascii_case(n)))
}

/// `a == b`, comparing eight bytes at a time.
fn by_words(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let (x, y) = (a.chunks_exact(8), b.chunks_exact(8));
    let (x_rest, y_rest) = (x.remainder(), y.remainder());
    let word = |c: &[u8]| u64::from_ne_bytes(c.try_into().unwrap_or_default());
    x.zip(y).all(|(c, d)| word(c) == word(d)) && x_rest == y_rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_ignore_ascii_case_agrees_with_lowercasing_both() {
        let texts = ["", "UPDATE t SET x = 1", "an update", "upDaTe", "updat", "é update é", "xupdatex", "UPDAT E"];
        for text in texts {
            for needle in ["", "update", "UPDATE", "é", "t set", "x"] {
                let expected = text.to_ascii_lowercase().contains(&needle.to_ascii_lowercase());
                assert_eq!(contains_ignore_ascii_case(text, needle), expected, "{text:?} {needle:?}");
            }
        }
    }

    #[test]
    fn texts_compare_as_with_eq() {
        let texts = ["", "a", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghijklmnopq", "é✓🐘 and more than eight"];
        for a in texts {
            for b in texts {
                assert_eq!(by_words(a, b), a == b, "{a:?} {b:?}");
                assert_eq!(same_text(a, b), a == b, "{a:?} {b:?}");
            }
            // Differing in one byte, at every place.
            for at in 0..a.len() {
                let mut other = a.as_bytes().to_vec();
                other[at] ^= 1;
                assert!(!by_words(a, &String::from_utf8_lossy(&other)), "{a:?} at {at}");
            }
        }
    }
}

/// An immutable string that is cheap to copy: a diagnostic's message and help are copied into every
/// new analysis that re-uses the run they came from, on each keystroke of a long history.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(std::sync::Arc<str>);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `self == other` as [`same_text`] compares: at once when both share one allocation (a re-used
    /// run's diagnostics share their texts with the analysis before).
    pub fn same(&self, other: &Text) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0) || same_text(&self.0, &other.0)
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(s.into())
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(s.into())
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text(s.as_str().into())
    }
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.0.to_string()
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&*self.0, f)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}
