//! Comparing texts where the web build is slow at it. wasm32's `memcmp` (compiler-builtins, no SIMD)
//! compares one byte at a time; an edit in a long history compares megabytes of file text and
//! thousands of messages with the ones before.

/// `a == b`: eight bytes at a time in the web build, the platform's `memcmp` elsewhere.
pub fn same_text(a: &str, b: &str) -> bool {
    if cfg!(target_arch = "wasm32") { by_words(a, b) } else { a == b }
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
